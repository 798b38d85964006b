import { loadAll, requiredAll } from '../../../lib/loaders';
import type { CaseResolvers } from '../generated/resolvers-types';
import { lineageMeasuresToRenew } from './renewals';

export const Case: CaseResolvers = {
  __resolveReference: (ref) => ref,
  // Measures belong to the lineage: the gateway supplies `lineageNumbers` from the registry (@requires).
  measures: async (c, _, ctx) => (await loadAll(ctx.loaders.measuresByCase, c.lineageNumbers ?? [c.number])).flat(),
  measuredProperties: async (c, _, ctx) => {
    const measures = (await loadAll(ctx.loaders.measuresByCase, c.lineageNumbers ?? [c.number])).flat();
    return requiredAll(ctx.loaders.property, [...new Set(measures.map((m) => m.property_id))].sort(), 'property');
  },
  measuresToRenew: (c, _, ctx) => lineageMeasuresToRenew(ctx, [c.lineageNumbers ?? [c.number]], ctx.today),
};
