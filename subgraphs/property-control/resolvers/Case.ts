import { loadAll } from '../../../lib/loaders';
import type { CaseResolvers } from '../generated/resolvers-types';
import { lineageMeasuresToRenew } from './renewals';

export const Case: CaseResolvers = {
  __resolveReference: (ref) => ref,
  // Measures belong to the lineage: the gateway supplies `lineageNumbers` from the registry (@requires).
  measures: async (c, _, ctx) => (await loadAll(ctx.loaders.measuresByCase, c.lineageNumbers ?? [c.number])).flat(),
  measuresToRenew: (c, _, ctx) => lineageMeasuresToRenew(ctx, [c.lineageNumbers ?? [c.number]], ctx.today),
};
