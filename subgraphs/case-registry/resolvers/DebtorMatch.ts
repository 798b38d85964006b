import type { DebtorMatchResolvers } from '../generated/resolvers-types';

export const DebtorMatch: DebtorMatchResolvers = {
  debtor: (m) => m.person,
  cases: async (m, _, ctx) => (await ctx.loaders.case.loadMany(m.caseNumbers)).filter(isRecord),
  possibleDebtors: async (m, _, ctx) => (await ctx.loaders.person.loadMany(m.possibleDebtorIds)).filter(isRecord),
};

function isRecord<T>(v: T | Error | null): v is T {
  if (v instanceof Error) throw v;
  return v !== null;
}
