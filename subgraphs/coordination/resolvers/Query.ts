import { GraphQLError } from 'graphql';
import { RULE_IDS, type RuleId } from '../../../domain/rules/config';
import { ValidationError, badUserInput, validated } from '../../../domain/errors';
import { ruleBit } from '../../../domain/rules/urgency';
import { parsePrefecture } from '../../../domain/sichuan';
import { decodeCursor, pageSize } from '../../../lib/cursor';
import type { QueryResolvers } from '../generated/resolvers-types';
import { candidatePrefecture, checkDecidesTransfers } from './scope';

export const MAX_CANDIDATES_PER_PAGE = 100;

export const Query: QueryResolvers = {
  rulesConfiguration: (_, __, ctx) => ({
    version: ctx.config.version,
    rules: Object.entries(ctx.config.rules).map(([id, thresholds]) => ({ id, thresholds: JSON.stringify(thresholds) })),
    receivingCourtWeights: Object.entries(ctx.config.receivingCourt.weights).map(([name, weight]) => ({ name, weight })),
    expiryWindowDays: ctx.config.expiryWindowDays,
  }),

  transferCandidates: async (_, { prefecture, rule, first, after }, ctx) => {
    const limit = validated(() => pageSize(first, 20, MAX_CANDIDATES_PER_PAGE));
    if (rule != null && !(RULE_IDS as string[]).includes(rule)) {
      throw badUserInput(new ValidationError('rule', 'UNKNOWN_RULE', `"${rule}" is not a selection rule: one of ${RULE_IDS.join(', ')}`));
    }
    // The province-wide list is the higher courts' tool: an intermediate court sees its own prefecture's candidates.
    checkDecidesTransfers(ctx, 'the transfer candidate list');
    const prefectureCode = candidatePrefecture(ctx, validated(() => parsePrefecture(prefecture)));
    const position = after ? validated(() => decodeCursor(after, 2)) : null;
    const urgency = position ? Number(position[0]) : null;
    if (position && !Number.isFinite(urgency)) throw badUserInput(new ValidationError('after', 'CURSOR_FORMAT', 'not a cursor this query returned: pass pageInfo.endCursor unchanged'));
    const meta = await ctx.source.meta();
    if (!meta) {
      throw new GraphQLError('the assessment index has not been built yet: run `npm run assess` (npm start builds it after start-up)', {
        extensions: { code: 'ASSESSMENT_INDEX_NOT_BUILT' },
      });
    }
    const page = await ctx.source.page(
      { ruleBit: rule != null ? ruleBit(rule as RuleId) : null, prefecture: prefectureCode },
      limit,
      position && { urgency: urgency!, debtorId: position[1]! },
    );
    return { ...page, meta };
  },
};
