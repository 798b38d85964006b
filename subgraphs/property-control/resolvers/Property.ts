import { propertyOrThrow } from './scope';
import { basicCourtOfDivision } from '../../../domain/sichuan';
import type { PropertyResolvers } from '../generated/resolvers-types';
import type { EncumbranceRecord } from '../sources/records';

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
  measures: async (p, _, ctx) => {
    const measures = await ctx.loaders.measuresByProperty.load(p.id);
    // The property's whole queue, in queue order: its measures' status and period are judged from these rows.
    ctx.loaders.queueRead(p.id, p.kind, measures);
    return measures;
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
