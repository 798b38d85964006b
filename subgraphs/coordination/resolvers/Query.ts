import { RULE_IDS } from '../../../domain/rules/config';
import type { QueryResolvers } from '../generated/resolvers-types';
import { transferCandidates } from './Candidates';

export const Query: QueryResolvers = {
  rulesConfiguration: (_, __, ctx) => ({
    version: ctx.config.version,
    rules: RULE_IDS.map((id) => ({ id, thresholds: JSON.stringify(ctx.config.rules[id]) })),
    receivingCourtWeights: Object.entries(ctx.config.receivingCourt.weights).map(([name, weight]) => ({ name, weight })),
    expiryWindowDays: ctx.config.expiryWindowDays,
  }),
  transferCandidates,
};
