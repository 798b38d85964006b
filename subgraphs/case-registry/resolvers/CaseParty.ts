import type { CasePartyResolvers } from '../generated/resolvers-types';

export const CaseParty: CasePartyResolvers = {
  identifier: (p) => p.person_id,
  debtor: (p, _, ctx) => (p.person_id ? ctx.loaders.person.load(p.person_id) : null),
  divisionCode: (p) => p.division_code,
};
