import { loadAll, requiredAll } from '../../../lib/loaders';
import type { PropertyControlContext } from '../context';
import type { CaseResolvers } from '../generated/resolvers-types';
import type { CaseLineageMeasuresRecord, CaseRef, MeasureRecord, PropertyRecord } from '../sources/records';
import { lineageMeasuresToRenew } from './renewals';

/** The measures of a case's lineage: the gateway supplies `lineageNumbers` from the registry (@requires). */
export async function lineageMeasures(ctx: PropertyControlContext, c: CaseRef): Promise<MeasureRecord[]> {
  return (await loadAll(ctx.loaders.measuresByCase, c.lineageNumbers ?? [c.number])).flat();
}

/** The properties under a case lineage's measures, each once, in id order. */
export async function lineageProperties(ctx: PropertyControlContext, c: CaseRef): Promise<PropertyRecord[]> {
  const measures = await lineageMeasures(ctx, c);
  return requiredAll(ctx.loaders.property, [...new Set(measures.map((m) => m.property_id))].sort(), 'property');
}

/** `CaseLineageMeasures` for each case, in the order given (`Debtor.caseLineageMeasures`, `RebalancePlan.openCaseMeasures`). */
export function caseLineageMeasures(ctx: PropertyControlContext, cases: readonly CaseRef[]): Promise<CaseLineageMeasuresRecord[]> {
  return Promise.all(
    cases.map(async (c) => ({ case: c, measures: await lineageMeasures(ctx, c), measuredProperties: await lineageProperties(ctx, c) })),
  );
}

export const Case: CaseResolvers = {
  __resolveReference: (ref) => ref,
  // Measures belong to the lineage.
  measures: (c, _, ctx) => lineageMeasures(ctx, c),
  measuredProperties: (c, _, ctx) => lineageProperties(ctx, c),
  measuresToRenew: (c, _, ctx) => lineageMeasuresToRenew(ctx, [c.lineageNumbers ?? [c.number]], ctx.today),
};
