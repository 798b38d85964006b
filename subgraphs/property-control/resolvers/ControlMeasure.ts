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
  periodStartsAt: async (m, _, ctx) => (await judged(ctx, m)).periodStartsAt,
  expiresAt: async (m, _, ctx) => (await judged(ctx, m)).expiresAt,
  waiting: async (m, _, ctx) => (await judged(ctx, m)).waiting,
  queuePosition: (m) => m.queue_position,
  releasedAt: (m) => m.released_at,
  status: async (m, _, ctx) => (await judged(ctx, m)).status,
  renewalApplicationDue: async (m, _, ctx) => {
    const j = await judged(ctx, m);
    return renewalApplicationDue({ releasedAt: m.released_at, waiting: j.waiting, expiresAt: j.expiresAt }, ctx.today);
  },
};

/** The measure as its property's queue stands on the request's day. */
export async function judged(ctx: PropertyControlContext, m: MeasureRecord): Promise<JudgedMeasure> {
  const j = (await ctx.loaders.judgedQueue.load(m.property_id)).get(m.id);
  if (!j) throw errors.defect(`measure ${m.id}: missing from its property's queue`);
  return j;
}
