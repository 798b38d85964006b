import { required } from '../../../lib/loaders';
import { errors } from '../../../domain/errorCatalogue';
import { inScope } from '../../../domain/scope';
import type { ControlMeasureResolvers } from '../generated/resolvers-types';
import type { CaseRegistryContext } from '../context';
import type { MeasureLineageRef } from '../sources/records';

/**
 * The registry's part of a control measure: the court carrying it today (issue 14 item 9). Measures belong to the case
 * lineage; property-control knows the case a measure was imposed under, only the registry knows where that lineage is
 * executed now. The court is told to a viewer whose scope holds the court executing that case (the imposing court's
 * case) or the carrying court; to anyone else it is null without an error, and the assessment then weighs the measure
 * by its imposing court.
 */
export const ControlMeasure: ControlMeasureResolvers = {
  __resolveReference: (ref) => ref,
  carryingCourt: (m, _, ctx) => lineageCarryingCourt(ctx, caseNumberOf(m)),
  // Only for the carrying court itself: a court above it renews by its own authority over the imposing court, or asks
  // the carrying court; a grant is never handed to a court it does not name.
  carrierGrant: async (m, _, ctx) => {
    const lineage = await lineageOf(ctx, m);
    if (!lineage || !ctx.carrierGrants || lineage.carryingCourt !== ctx.viewer.court) return null;
    return ctx.carrierGrants.sign({ measureId: m.id, court: lineage.carryingCourt, caseNumber: lineage.newestCaseNumber });
  },
};

/**
 * The court carrying the lineage of a case today (that of the measures imposed under it), or null for a viewer whose
 * scope holds neither the court executing the case nor the carrying court (see above).
 */
export async function lineageCarryingCourt(ctx: CaseRegistryContext, caseNumber: string) {
  const lineage = await ctx.loaders.lineageCarrier.load(caseNumber);
  if (!lineage || !(inScope(ctx.scope, lineage.caseCourt) || inScope(ctx.scope, lineage.carryingCourt))) return null;
  return required(ctx.loaders.court, lineage.carryingCourt, 'court');
}

function caseNumberOf(m: MeasureLineageRef): string {
  if (m.caseNumber === undefined) throw errors.defect(`measure ${m.id}: the gateway did not supply the case it requires`);
  return m.caseNumber;
}

function lineageOf(ctx: CaseRegistryContext, m: MeasureLineageRef) {
  return ctx.loaders.lineageCarrier.load(caseNumberOf(m));
}
