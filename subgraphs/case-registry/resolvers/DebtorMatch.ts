import { loadAll } from '../../../lib/loaders';
import type { DebtorMatchResolvers } from '../generated/resolvers-types';

const present = <T>(v: T | null): v is T => v !== null;

export const DebtorMatch: DebtorMatchResolvers = {
  debtor: (m) => m.person,
  cases: async (m, _, ctx) => (await loadAll(ctx.loaders.case, m.caseNumbers)).filter(present),
  possibleDebtors: async (m, _, ctx) => (await loadAll(ctx.loaders.person, m.possibleDebtorIds)).filter(present),
};
