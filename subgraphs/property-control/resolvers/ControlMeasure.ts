import { required } from '../../../lib/loaders';
import { renewalApplicationDue, type JudgedMeasure } from '../../../domain/measures';
import { errors } from '../../../domain/errorCatalogue';
import type { PropertyControlContext } from '../context';
import type { MeasureRecord } from '../sources/records';
import { forbidden, inScope } from '../../../domain/scope';
import type { ControlMeasureResolvers } from '../generated/resolvers-types';

export const ControlMeasure: ControlMeasureResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.measure.load(ref.id),
  court: (m) => ({ code: m.court_code }),
  // The reference is checked where it is produced: `case { number }` alone never reaches the registry, so a measure
  // imposed by a court outside the viewer's scope (the court executing that case) names no case number.
  case: (m, _, ctx) => {
    if (!inScope(ctx.scope, m.court_code)) throw forbidden('the case', ctx.viewer);
    return { number: m.case_number };
  },
  property: (m, _, ctx) => required(ctx.loaders.property, m.property_id, 'property'),
  propertyId: (m) => m.property_id,
  caseNumber: (m) => m.case_number,
  startsAt: (m) => m.imposed_at,
  // The period as the queue stands today: a waiting seizure whose turn came (the one ahead released or lapsed) is in
  // effect from that day, though its row still records it waiting (查封扣押冻结规定 Arts. 26–27).
  periodStartsAt: (m, _, ctx) => judgedThen(ctx, m, (j) => j.periodStartsAt),
  expiresAt: (m, _, ctx) => judgedThen(ctx, m, (j) => j.expiresAt),
  waiting: (m, _, ctx) => judgedThen(ctx, m, (j) => j.waiting),
  queuePosition: (m) => m.queue_position,
  releasedAt: (m) => m.released_at,
  status: (m, _, ctx) => judgedThen(ctx, m, (j) => j.status),
  renewalApplicationDue: async (m, _, ctx) => {
    const j = await judged(ctx, m);
    return renewalApplicationDue({ releasedAt: m.released_at, waiting: j.waiting, expiresAt: j.expiresAt }, ctx.today);
  },
};

/** The measure as its property's queue stands on the request's day. */
export async function judged(ctx: PropertyControlContext, m: MeasureRecord): Promise<JudgedMeasure> {
  return measureIn(await ctx.loaders.judgedQueue.load(m.property_id), m);
}

/**
 * `pick` of the measure as its queue stands on the request's day: at once when the request has read the queue whole
 * (`judgedQueueRead`), else once its queue is loaded. Either way the same judgement of the same rows.
 */
function judgedThen<T>(ctx: PropertyControlContext, m: MeasureRecord, pick: (j: JudgedMeasure) => T): T | Promise<T> {
  const queue = ctx.loaders.judgedQueueRead(m.property_id);
  if (queue) return pick(measureIn(queue, m));
  return judged(ctx, m).then(pick);
}

function measureIn(queue: ReadonlyMap<string, JudgedMeasure>, m: MeasureRecord): JudgedMeasure {
  const j = queue.get(m.id);
  if (!j) throw errors.defect(`measure ${m.id}: missing from its property's queue`);
  return j;
}
