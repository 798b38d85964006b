import { propertyColumnsFor, withMeasures } from './Property';
import { errors } from '../../../domain/errorCatalogue';
import { pageSize, slicePage } from '../../../lib/cursor';
import type { DebtorResolvers } from '../generated/resolvers-types';
import { caseLineageMeasures } from './Case';
import { propertiesInScope } from './scope';

/** A debtor's properties per page of `Debtor.propertyPage`. */
export const MAX_DEBTOR_PROPERTIES_PER_PAGE = 100;

export const Debtor: DebtorResolvers = {
  __resolveReference: (ref) => ({
    id: ref.id,
    unclosedCases: ref.unclosedCases,
    terminatedThisRoundCases: ref.terminatedThisRoundCases,
  }),
  properties: async (d, _, ctx, info) => {
    const list = await ctx.loaders.propertiesByOwner(propertyColumnsFor(info)).load(d.id);
    return withMeasures(ctx, info, await propertiesInScope(ctx, list));
  },
  propertyPage: async (d, { first, after }, ctx) => {
    const limit = pageSize(first, 20, MAX_DEBTOR_PROPERTIES_PER_PAGE);
    const all = await propertiesInScope(ctx, await ctx.loaders.propertiesByOwner().load(d.id));
    // The loader's order: by identifier.
    return slicePage(all, limit, after, (p) => [p.id], ['asc']);
  },
  propertyMeasures: async (d, _, ctx) => {
    const properties = await propertiesInScope(ctx, await ctx.loaders.propertiesByOwner().load(d.id));
    return (await Promise.all(properties.map((p) => ctx.loaders.measuresByProperty.load(p.id)))).flat();
  },
  caseLineageMeasures: async (d, _, ctx) => {
    if (!d.unclosedCases || !d.terminatedThisRoundCases) {
      throw errors.defect(`Debtor ${d.id}: the cases this field requires were not supplied`);
    }
    return caseLineageMeasures(ctx, [...d.unclosedCases, ...d.terminatedThisRoundCases]);
  },
};
