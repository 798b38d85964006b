import type { CasePartyResolvers } from '../generated/resolvers-types';
import { debtorIfInScope } from './scope';

export const CaseParty: CasePartyResolvers = {
  identifier: (p) => p.person_id,
  // A party of a case the viewer may see: its identifier is shown; the debtor entity only within scope.
  debtor: async (p, _, ctx) => (p.person_id ? debtorIfInScope(ctx, await ctx.loaders.person.load(p.person_id)) : null),
  divisionCode: (p) => p.division_code,
};
