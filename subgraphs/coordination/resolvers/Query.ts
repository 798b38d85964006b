import { RULE_IDS } from '../../../domain/rules/config';
import { errors, refuse } from '../../../domain/errorCatalogue';
import { ruleBit } from '../../../domain/rules/urgency';
import { parsePrefecture } from '../../../domain/sichuan';
import { decodeCursor, pageOf, pageSize } from '../../../lib/cursor';
import type { QueryResolvers } from '../generated/resolvers-types';
import { candidatePrefecture, checkDecidesTransfers } from './scope';

export const MAX_CANDIDATES_PER_PAGE = 100;

export const Query: QueryResolvers = {
  rulesConfiguration: (_, __, ctx) => ({
    version: ctx.config.version,
    rules: RULE_IDS.map((id) => ({ id, thresholds: JSON.stringify(ctx.config.rules[id]) })),
    receivingCourtWeights: Object.entries(ctx.config.receivingCourt.assessmentWeights).map(([name, weight]) => ({ name, weight })),
    expiryWindowDays: ctx.config.expiryWindowDays,
  }),

  transferCandidates: async (_, { prefecture, rule, first, after }, ctx) => {
    const limit = pageSize(first, 20, MAX_CANDIDATES_PER_PAGE);
    const ruleId = rule == null ? null : (RULE_IDS.find((id) => id === rule) ?? null);
    if (rule != null && ruleId === null) {
      throw refuse.UNKNOWN_RULE('rule', `"${rule}" is not a selection rule: one of ${RULE_IDS.join(', ')}`);
    }
    // The province-wide list is the higher courts' tool: an intermediate court sees its own prefecture's candidates.
    checkDecidesTransfers(ctx, 'the transfer candidate list');
    const prefectureCode = candidatePrefecture(ctx, parsePrefecture(prefecture));
    const position = after ? decodeCursor(after, 2) : null;
    const urgency = position ? Number(position[0]) : null;
    if (position && !Number.isFinite(urgency))
      throw refuse.CURSOR_FORMAT('after', 'not a cursor this query returned: pass pageInfo.endCursor unchanged');
    const meta = await ctx.source.meta();
    if (!meta) throw errors.assessmentIndexNotBuilt('the assessment index');
    const filter = { ruleBit: ruleId !== null ? ruleBit(ruleId) : null, prefecture: prefectureCode };
    const page = await ctx.source.page(filter, limit, position && { urgency: urgency!, debtorId: position[1]! });
    return {
      ...pageOf(
        page,
        (c) => [String(c.urgency), c.debtor_id],
        () => ctx.source.count(filter),
      ),
      meta,
    };
  },
};
