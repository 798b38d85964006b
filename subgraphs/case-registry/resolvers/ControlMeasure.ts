import { required } from '../../../lib/loaders';
import { errors } from '../../../domain/errorCatalogue';
import { inScope } from '../../../domain/scope';
import type { ControlMeasureResolvers } from '../generated/resolvers-types';

/**
 * The registry's part of a control measure: the court carrying it today (issue 14 item 9). Measures belong to the case
 * lineage; property-control knows the case a measure was imposed under, only the registry knows where that lineage is
 * executed now. The court is told to a viewer whose scope holds the court executing that case (the imposing court's
 * case) or the carrying court; to anyone else it is null without an error, and the assessment then weighs the measure
 * by its imposing court.
 */
export const ControlMeasure: ControlMeasureResolvers = {
  __resolveReference: (ref) => ref,
  carryingCourt: async (m, _, ctx) => {
    if (m.caseNumber === undefined) throw errors.defect(`measure ${m.id}: the gateway did not supply the case it requires`);
    const lineage = await ctx.loaders.lineageCarrier.load(m.caseNumber);
    if (!lineage || !(inScope(ctx.scope, lineage.caseCourt) || inScope(ctx.scope, lineage.carryingCourt))) return null;
    return required(ctx.loaders.court, lineage.carryingCourt, 'court');
  },
};
