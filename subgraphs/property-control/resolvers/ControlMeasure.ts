import { required } from '../../../lib/loaders';
import { measureStatus, renewalApplicationDue } from '../../../domain/measures';
import { periodOf } from '../sources/ddl';
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
  startsAt: (m) => m.imposed_at,
  periodStartsAt: (m) => m.period_starts_at,
  expiresAt: (m) => m.expires_at,
  waiting: (m) => m.waiting === 1,
  queuePosition: (m) => m.queue_position,
  releasedAt: (m) => m.released_at,
  status: (m, _, ctx) => measureStatus(periodOf(m), ctx.today),
  renewalApplicationDue: (m, _, ctx) => renewalApplicationDue(periodOf(m), ctx.today),
};
