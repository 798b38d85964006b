import type { ApplicantClaimResolvers } from '../generated/resolvers-types';

/** A debtor's claim as applicant (连环债), resolved from the case it is made in. */
export const ApplicantClaim: ApplicantClaimResolvers = {
  case: (c) => c,
  // The source returns only cases owing money, so the amount due is recorded and above the amount recovered.
  outstandingAmount: (c) => (c.amount_due ?? 0) - c.amount_recovered,
  debtors: async (c, _, ctx) => (await ctx.loaders.parties.load(c.number)).filter((p) => p.role === 'DEBTOR'),
};
