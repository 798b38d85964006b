import { propertiesInScope } from './scope';
import type { DebtorResolvers } from '../generated/resolvers-types';

export const Debtor: DebtorResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  properties: async (d, _, ctx) => propertiesInScope(ctx, await ctx.loaders.propertiesByOwner.load(d.id)),
  propertyMeasures: async (d, _, ctx) => {
    const properties = await propertiesInScope(ctx, await ctx.loaders.propertiesByOwner.load(d.id));
    return (await Promise.all(properties.map((p) => ctx.loaders.measuresByProperty.load(p.id)))).flat();
  },
};
