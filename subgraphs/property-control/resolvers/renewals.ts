import { measureStatus } from '../../../domain/measures';
import { measuresToRenew } from '../../../domain/rules/compliance';
import { loadAll } from '../../../lib/loaders';
import type { PropertyControlContext } from '../context';
import { periodOf } from '../sources/ddl';
import type { MeasureRecord } from '../sources/records';

/**
 * The measures of the given lineages, each listed once, that must be renewed within the renewal window from `from`
 * (domain/rules/compliance.ts); a measure's status is judged today, as `ControlMeasure.status` is.
 */
export async function lineageMeasuresToRenew(
  ctx: PropertyControlContext,
  lineages: readonly (readonly string[])[],
  from: string,
): Promise<MeasureRecord[]> {
  const numbers = [...new Set(lineages.flat())];
  const measures = [...new Map((await loadAll(ctx.loaders.measuresByCase, numbers)).flat().map((m) => [m.id, m])).values()];
  const judged = measures.map((record) => ({
    id: record.id,
    status: measureStatus(periodOf(record), ctx.today),
    expiresAt: record.expires_at,
    record,
  }));
  return measuresToRenew(judged, from).map((m) => m.record);
}
