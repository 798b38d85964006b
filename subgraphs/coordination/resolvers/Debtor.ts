import { assessDebtor } from '../../../domain/rules/assess';
import type { DebtorResolvers } from '../generated/resolvers-types';
import { debtorFacts } from '../sources/facts';

export const Debtor: DebtorResolvers = {
  __resolveReference: (ref) => ref,
  transferAssessment: async (rep, _, ctx) => {
    const loads = await ctx.courtLoads();
    const assessment = assessDebtor(debtorFacts(rep), { today: ctx.today, province: loads.province, config: ctx.config });
    return { ...assessment, courtLoadsAsOf: loads.at };
  },
};
