import type { RebalanceMoveResolvers } from '../generated/resolvers-types';

export const RebalanceMove: RebalanceMoveResolvers = {
  case: (m) => ({ number: m.caseNumber }),
  to: (m) => ({ code: m.to }),
};
