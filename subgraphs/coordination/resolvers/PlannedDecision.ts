import type { PlannedDecisionResolvers } from '../generated/resolvers-types';

export const PlannedDecision: PlannedDecisionResolvers = {
  decidingCourt: (d) => ({ code: d.decidingCourt }),
  receivingCourt: (d) => ({ code: d.receivingCourt }),
};
