import { periodDays } from '../../../domain/excludedPeriods';
import type { ExcludedPeriodResolvers } from '../generated/resolvers-types';

export const ExcludedPeriod: ExcludedPeriodResolvers = {
  startsAt: (p) => p.starts_at,
  endsAt: (p) => p.ends_at,
  days: (p, _, ctx) => periodDays({ kind: p.kind, startsAt: p.starts_at, endsAt: p.ends_at }, ctx.today),
};
