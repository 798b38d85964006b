import { required } from '../../../lib/loaders';
import type {
  DisposalResultResolvers,
  MeasureResultResolvers,
  MutationResolvers,
  ReleaseResultResolvers,
} from '../generated/resolvers-types';
import { writeContextFor } from '../../../lib/recordedWrite';
import type { PropertyControlContext } from '../context';
import type { WriteAct } from '../sources/source';

export const Mutation: MutationResolvers = {
  renewMeasure: async (_, { input: { idempotencyKey, carrierGrant, ...input } }, ctx) =>
    ctx.workflow.renewMeasure(input, { ...writeContextFor(ctx, idempotencyKey), carrier: await carrierOf(ctx, carrierGrant) }),
  releaseMeasure: async (_, { input: { idempotencyKey, carrierGrant, ...input } }, ctx) =>
    ctx.workflow.releaseMeasure(input, { ...writeContextFor(ctx, idempotencyKey), carrier: await carrierOf(ctx, carrierGrant) }),
  recordDisposalStep: (_, { input: { idempotencyKey, ...input } }, ctx) =>
    ctx.workflow.recordDisposalStep({ ...input, method: input.method ?? null }, writeContextFor(ctx, idempotencyKey)),
};

export const MeasureResult: MeasureResultResolvers = {
  measure: (r, _, ctx) => required(ctx.loaders.measure, r.measureId, 'control measure'),
};

export const ReleaseResult: ReleaseResultResolvers = {
  released: (r, _, ctx) => required(ctx.loaders.measure, r.measureId, 'control measure'),
  tookEffect: (r, _, ctx) => (r.tookEffect ? ctx.loaders.measure.load(r.tookEffect) : null),
};

export const DisposalResult: DisposalResultResolvers = {
  property: (r, _, ctx) => required(ctx.loaders.property, r.propertyId, 'property'),
};

/**
 * The registry's carrier grant, verified before the write opens its transaction (verification is asynchronous); the
 * write itself decides, inside its audited transaction, whether the grant is needed and whether it holds.
 */
async function carrierOf(ctx: PropertyControlContext, grant: string | null | undefined): Promise<WriteAct['carrier']> {
  if (!grant) return null;
  if (!ctx.carrierGrants) return { refused: 'this property-control process accepts no carrier grants (no registry key configured)' };
  return ctx.carrierGrants.verify(grant);
}
