import type { RebalanceMoveResolvers } from '../generated/resolvers-types';

export const RebalanceMove: RebalanceMoveResolvers = {
  case: (m) => ({ number: m.caseNumber }),
  from: (m) => ({ code: m.from }),
  to: (m) => ({ code: m.to }),
};
