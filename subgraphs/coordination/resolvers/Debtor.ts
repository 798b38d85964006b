import { assessDebtor } from '../../../domain/rules/assess';
import type { DebtorResolvers } from '../generated/resolvers-types';
import { debtorFacts } from '../sources/facts';

export const Debtor: DebtorResolvers = {
  __resolveReference: (ref) => ref,
  transferAssessment: (rep, _, ctx) => {
    const { debtor, province } = debtorFacts(rep);
    return assessDebtor(debtor, { today: ctx.today, province, config: ctx.config });
  },
};
