import { withCourts } from './Case';
import { maskIdentifier } from '../../../domain/scope';
import { loadAll } from '../../../lib/loaders';
import { casesInScope, debtorIfInScope } from './scope';
import type { DebtorMatchResolvers } from '../generated/resolvers-types';

const present = <T>(v: T | null): v is T => v !== null;

export const DebtorMatch: DebtorMatchResolvers = {
  debtor: (m, _, ctx) => debtorIfInScope(ctx, m.person),
  identifier: async (m, _, ctx) =>
    m.person === null ? null : (await debtorIfInScope(ctx, m.person)) ? m.person.id : maskIdentifier(m.person.id),
  cases: async (m, _, ctx, info) =>
    withCourts(ctx, info, casesInScope(ctx, (await loadAll(ctx.loaders.case, m.caseNumbers)).filter(present))),
  possibleDebtors: async (m, _, ctx) => {
    const persons = (await loadAll(ctx.loaders.person, m.possibleDebtorIds)).filter(present);
    return (await Promise.all(persons.map((p) => debtorIfInScope(ctx, p)))).filter(present);
  },
};
