import type { DebtorResolvers } from '../generated/resolvers-types';

export const Debtor: DebtorResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.person.load(ref.id),
  divisionCode: (p) => p.division_code,
  outOfProvince: (p) => p.out_of_province === 1,
  cases: (p, { status }, ctx) => ctx.loaders.casesByDebtor(status ?? null).load(p.id),
};
