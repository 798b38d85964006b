import type { ComplaintResolvers, ConductEventResolvers } from '../generated/resolvers-types';

export const Complaint: ComplaintResolvers = {
  receivedAt: (c) => c.received_at,
};

export const ConductEvent: ConductEventResolvers = {
  occurredAt: (e) => e.occurred_at,
};
