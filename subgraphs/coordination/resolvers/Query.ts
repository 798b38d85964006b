import type { QueryResolvers } from '../generated/resolvers-types';
import { transferCandidates } from './Candidates';

export const Query: QueryResolvers = {
  rulesConfiguration: (_, __, ctx) => ({
    version: ctx.config.version,
    rules: Object.entries(ctx.config.rules).map(([id, thresholds]) => ({ id, thresholds: JSON.stringify(thresholds) })),
    receivingCourtWeights: Object.entries(ctx.config.receivingCourt.weights).map(([name, weight]) => ({ name, weight })),
    expiryWindowDays: ctx.config.expiryWindowDays,
  }),
  transferCandidates,
};
