import { required } from '../../../lib/loaders';
import type { PropertyControlContext } from '../context';
import type {
  DisposalResultResolvers,
  MeasureResultResolvers,
  MutationResolvers,
  ReleaseResultResolvers,
} from '../generated/resolvers-types';
import type { WriteContext } from '../sources/workflow';

function writeContext(ctx: PropertyControlContext, idempotencyKey: string): WriteContext {
  return {
    idempotencyKey,
    viewer: ctx.viewer,
    actor: `${ctx.viewer.sub}@${ctx.viewer.court}`,
    today: ctx.today,
    now: new Date().toISOString(),
  };
}

export const Mutation: MutationResolvers = {
  renewMeasure: (_, { input: { idempotencyKey, ...input } }, ctx) => ctx.workflow.renewMeasure(input, writeContext(ctx, idempotencyKey)),
  releaseMeasure: (_, { input: { idempotencyKey, ...input } }, ctx) =>
    ctx.workflow.releaseMeasure(input, writeContext(ctx, idempotencyKey)),
  recordDisposalStep: (_, { input: { idempotencyKey, ...input } }, ctx) =>
    ctx.workflow.recordDisposalStep({ ...input, method: input.method ?? null }, writeContext(ctx, idempotencyKey)),
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
