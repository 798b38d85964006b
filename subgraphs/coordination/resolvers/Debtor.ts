import { assessDebtor } from '../../../domain/rules/assess';
import type { DebtorResolvers } from '../generated/resolvers-types';
import { debtorFacts } from '../sources/facts';
import { checkDecidesTransfers } from './scope';

export const Debtor: DebtorResolvers = {
  __resolveReference: (ref) => ref,
  // Assessments serve the courts that decide transfers; the facts arrive already limited to the viewer's scope.
  transferAssessment: async (rep, _, ctx) => {
    checkDecidesTransfers(ctx, 'the transfer assessment');
    const loads = await ctx.courtLoads();
    const assessment = assessDebtor(debtorFacts(rep), { today: ctx.today, province: loads.province, config: ctx.config });
    return { ...assessment, courtLoadsAsOf: loads.at };
  },
};
