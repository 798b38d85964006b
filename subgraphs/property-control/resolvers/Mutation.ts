import { required } from '../../../lib/loaders';
import type {
  DisposalResultResolvers,
  MeasureResultResolvers,
  MutationResolvers,
  ReleaseResultResolvers,
} from '../generated/resolvers-types';
import { writeContextFor } from '../../../lib/recordedWrite';

export const Mutation: MutationResolvers = {
  renewMeasure: (_, { input: { idempotencyKey, ...input } }, ctx) => ctx.workflow.renewMeasure(input, writeContextFor(ctx, idempotencyKey)),
  releaseMeasure: (_, { input: { idempotencyKey, ...input } }, ctx) =>
    ctx.workflow.releaseMeasure(input, writeContextFor(ctx, idempotencyKey)),
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
