import { measuresToRenew } from '../../../domain/rules/compliance';
import { loadAll } from '../../../lib/loaders';
import type { PropertyControlContext } from '../context';
import { judged } from './ControlMeasure';
import type { MeasureRecord } from '../sources/records';

/**
 * The measures of the given lineages, each listed once, that must be renewed within the renewal window from `from`
 * (domain/rules/compliance.ts); a measure's status is judged today over its property's queue, as `ControlMeasure.status` is.
 */
export async function lineageMeasuresToRenew(
  ctx: PropertyControlContext,
  lineages: readonly (readonly string[])[],
  from: string,
): Promise<MeasureRecord[]> {
  const numbers = [...new Set(lineages.flat())];
  const measures = [...new Map((await loadAll(ctx.loaders.measuresByCase, numbers)).flat().map((m) => [m.id, m])).values()];
  const judgedMeasures = await Promise.all(
    measures.map(async (record) => {
      const j = await judged(ctx, record);
      return { id: record.id, status: j.status, expiresAt: j.expiresAt, record };
    }),
  );
  return measuresToRenew(judgedMeasures, from).map((m) => m.record);
}
