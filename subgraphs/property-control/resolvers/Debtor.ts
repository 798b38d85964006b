import { propertiesInScope } from './scope';
import type { DebtorResolvers } from '../generated/resolvers-types';

export const Debtor: DebtorResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  properties: async (d, _, ctx) => propertiesInScope(ctx, await ctx.loaders.propertiesByOwner.load(d.id)),
};
