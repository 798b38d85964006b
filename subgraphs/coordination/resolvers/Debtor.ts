import { forbidden, isHigherCourt } from '../../../domain/scope';
import { assessDebtor } from '../../../domain/rules/assess';
import type { DebtorResolvers } from '../generated/resolvers-types';
import { debtorFacts } from '../sources/facts';

export const Debtor: DebtorResolvers = {
  __resolveReference: (ref) => ref,
  // Assessments serve the courts that decide transfers; the facts arrive already limited to the viewer's scope.
  transferAssessment: async (rep, _, ctx) => {
    if (!isHigherCourt(ctx.viewer)) throw forbidden('the transfer assessment (a higher court decides transfers)', ctx.viewer);
    const loads = await ctx.courtLoads();
    const assessment = assessDebtor(debtorFacts(rep), { today: ctx.today, province: loads.province, config: ctx.config });
    return { ...assessment, courtLoadsAsOf: loads.at };
  },
};
