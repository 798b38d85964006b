import type { DebtorResolvers } from '../generated/resolvers-types';

export const Debtor: DebtorResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  properties: (d, _, ctx) => ctx.loaders.propertiesByOwner.load(d.id),
};
