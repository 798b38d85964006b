import { errors } from '../../../domain/errorCatalogue';
import type { RebalancePlanResolvers } from '../generated/resolvers-types';

export const RebalancePlan: RebalancePlanResolvers = {
  __resolveReference: (ref) => ({ id: ref.id, fromCourts: ref.fromCourts, courts: ref.courts }),
  // The courts only: their staffing resolves on Court, one loader batch for all of them.
  staffedCourts: (p) => {
    if (!p.fromCourts || !p.courts) throw errors.defect(`RebalancePlan ${p.id}: the courts this field requires were not supplied`);
    return [...new Set([...p.fromCourts, ...p.courts].map((c) => c.code))].sort().map((code) => ({ code }));
  },
};
