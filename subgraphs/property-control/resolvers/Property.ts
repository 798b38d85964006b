import { propertyOrThrow } from './scope';
import { basicCourtOfDivision } from '../../../domain/sichuan';
import type { PropertyResolvers } from '../generated/resolvers-types';
import type { EncumbranceRecord, MeasureRecord, PropertyColumn, PropertyRecord } from '../sources/records';
import type { PropertyControlContext } from '../context';
import { selectedFields, selectsAnyOf, type SelectionInfo } from '../../../lib/selection';

/** Fen the encumbrances secure together. */
const securedBy = (list: readonly EncumbranceRecord[]) => list.reduce((n, e) => n + e.secured_amount, 0);

export const Property: PropertyResolvers = {
  __resolveReference: async (ref, ctx) => propertyOrThrow(ctx, await ctx.loaders.property.load(ref.id)),
  kind: (p) => p.kind,
  divisionCode: (p) => p.division_code,
  outOfProvince: (p) => p.out_of_province === 1,
  estimatedValue: (p) => p.estimated_value,
  // Not `owner`: the registry produces that reference, scope-checked (issue 13 item 5).
  ownerId: (p) => p.owner_id,
  ownerName: (p) => p.owner_name,
  // Without a promise when the list holding the property read its measures first (withMeasures).
  measures: (p, _, ctx) => {
    const measures = ctx.loaders.measuresByProperty.settled(p.id);
    if (measures === undefined) return ctx.loaders.measuresByProperty.load(p.id).then((m) => queueRead(ctx, p, m));
    return queueRead(ctx, p, measures);
  },
  disposalStage: (p) => p.disposal_stage,
  disposalHistory: (p, _, ctx) => ctx.loaders.disposalSteps.load(p.id),
  undisposedSince: (p) => p.undisposed_since,
  disposalHoldReason: (p) => p.disposal_hold_reason,
  encumbrances: (p, _, ctx) => ctx.loaders.encumbrances.load(p.id),
  securedAmount: async (p, _, ctx) => securedBy(await ctx.loaders.encumbrances.load(p.id)),
  equityAfterEncumbrances: async (p, _, ctx) =>
    p.estimated_value === null ? null : Math.max(0, p.estimated_value - securedBy(await ctx.loaders.encumbrances.load(p.id))),
  locationCourt: (p) => {
    const code = p.out_of_province ? null : basicCourtOfDivision(p.division_code);
    return code ? { code } : null;
  },
};

/** The property's whole queue, in queue order, as read: its measures' status and period are judged from these rows. */
function queueRead(ctx: PropertyControlContext, p: PropertyRecord, measures: MeasureRecord[]): MeasureRecord[] {
  ctx.loaders.queueRead(p.id, p.kind, measures);
  return measures;
}

/**
 * A list of properties for a resolver, with their measures read first when its selection asks for them, in the one
 * batch (one statement) `measures` would have made, so that each property answers it without a promise of its own:
 * 5,865 properties in the heaviest 100-debtor walk (issue 18). A failed read is left for the field itself to report.
 */
export async function withMeasures(
  ctx: PropertyControlContext,
  info: SelectionInfo,
  properties: PropertyRecord[],
): Promise<PropertyRecord[]> {
  if (properties.length === 0 || !selectsAnyOf(info, ['measures'])) return properties;
  await ctx.loaders.measuresByProperty.loadMany(properties.map((p) => p.id));
  return properties;
}

/**
 * The property-row columns each `Property` field reads, so that a debtor's list of properties reads only its
 * selection's columns (`propertyColumnsFor`, ADR 33): 6 of the 12 for the heaviest walk's ~5,800 properties. The type
 * holds it complete: a field added to the schema does not compile until its columns are named here;
 * test/gateway/property-columns.test.ts holds each field to answer the same from its columns as from the whole row.
 */
export const PROPERTY_FIELD_COLUMNS = {
  id: ['id'],
  kind: ['kind'],
  description: ['description'],
  divisionCode: ['division_code'],
  prefecture: ['prefecture'],
  outOfProvince: ['out_of_province'],
  estimatedValue: ['estimated_value'],
  ownerId: ['owner_id'],
  ownerName: ['owner_name'],
  measures: ['id', 'kind'],
  disposalStage: ['disposal_stage'],
  disposalHistory: ['id'],
  undisposedSince: ['undisposed_since'],
  disposalHoldReason: ['disposal_hold_reason'],
  encumbrances: ['id'],
  securedAmount: ['id'],
  equityAfterEncumbrances: ['id', 'estimated_value'],
  locationCourt: ['out_of_province', 'division_code'],
} as const satisfies Record<Exclude<keyof PropertyResolvers, '__resolveReference' | '__isTypeOf'>, readonly PropertyColumn[]>;

/**
 * The columns a list of properties reads for its selection: the identifier and owner (the scope check, the read-ahead
 * of measures and the grouping by owner) always, and what each selected field reads (`PROPERTY_FIELD_COLUMNS`), in one
 * order so that one selection is one statement text. Null, the whole row, when the selection names a field the table
 * does not know.
 */
export function propertyColumnsFor(info: SelectionInfo): readonly PropertyColumn[] | null {
  const columns = new Set<PropertyColumn>(['id', 'kind', 'owner_id']);
  for (const field of selectedFields(info)) {
    if (field === '__typename') continue;
    if (!Object.hasOwn(PROPERTY_FIELD_COLUMNS, field)) return null;
    for (const column of PROPERTY_FIELD_COLUMNS[field as keyof typeof PROPERTY_FIELD_COLUMNS]) columns.add(column);
  }
  return [...columns].sort();
}
