import type { ComplaintResolvers } from '../generated/resolvers-types';

export const Complaint: ComplaintResolvers = {
  receivedAt: (c) => c.received_at,
};
