import type { RebalanceCourtResolvers } from '../generated/resolvers-types';

export const RebalanceCourt: RebalanceCourtResolvers = {
  court: (c) => ({ code: c.code }),
};
