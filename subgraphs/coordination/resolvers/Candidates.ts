import { forbidden, isHigherCourt } from '../../../domain/scope';
import { RULE_IDS, type RuleId } from '../../../domain/rules/config';
import { errors, refuse } from '../../../domain/errorCatalogue';
import { ruleBit, rulesOfMask } from '../../../domain/rules/urgency';
import { parsePrefecture } from '../../../domain/sichuan';
import { decodeCursor, encodeCursor, pageSize } from '../../../lib/cursor';
import type { CandidateSummaryResolvers, QueryResolvers, TransferCandidateConnectionResolvers, TransferCandidateResolvers, TransferMode } from '../generated/resolvers-types';

export const MAX_CANDIDATES_PER_PAGE = 100;

export const transferCandidates: NonNullable<QueryResolvers['transferCandidates']> = async (_, { prefecture, rule, first, after }, ctx) => {
  const limit = pageSize(first, 20, MAX_CANDIDATES_PER_PAGE);
  if (rule != null && !(RULE_IDS as string[]).includes(rule)) {
    throw refuse.UNKNOWN_RULE('rule', `"${rule}" is not a selection rule: one of ${RULE_IDS.join(', ')}`);
  }
  // The province-wide list is the higher courts' tool: an intermediate court sees its own prefecture's candidates.
  if (!isHigherCourt(ctx.viewer)) throw forbidden('the transfer candidate list (a higher court decides transfers)', ctx.viewer);
  let prefectureCode = parsePrefecture(prefecture);
  if (ctx.viewer.role === 'intermediate') {
    if (prefectureCode !== null && prefectureCode !== ctx.viewer.court) throw forbidden('another prefecture', ctx.viewer);
    prefectureCode = ctx.viewer.court;
  }
  const position = after ? decodeCursor(after, 2) : null;
  const urgency = position ? Number(position[0]) : null;
  if (position && !Number.isFinite(urgency)) throw refuse.CURSOR_FORMAT('after', 'not a cursor this query returned: pass pageInfo.endCursor unchanged');
  const meta = await ctx.index.meta();
  if (!meta) throw errors.assessmentIndexNotBuilt('the assessment index');
  const page = await ctx.index.page(
    { ruleBit: rule != null ? ruleBit(rule as RuleId) : null, prefecture: prefectureCode },
    limit,
    position && { urgency: urgency!, debtorId: position[1]! },
  );
  return { ...page, meta };
};

export const TransferCandidateConnection: TransferCandidateConnectionResolvers = {
  nodes: (page) => page.rows,
  pageInfo: (page) => {
    const last = page.rows[page.rows.length - 1];
    return { hasNextPage: page.hasNextPage, endCursor: last ? encodeCursor([String(last.urgency), last.debtor_id]) : null };
  },
  assessedOn: (page) => page.meta.assessedOn,
  configVersion: (page) => page.meta.configVersion,
};

export const TransferCandidate: TransferCandidateResolvers = {
  debtor: (c) => ({ id: c.debtor_id }),
  rulesMet: (c) => rulesOfMask(c.rule_mask),
  recommendedMode: (c) => c.recommended_mode as TransferMode | null,
  explanation: (c) => c.snapshot.explanation,
  receivingCourts: (c) => c.snapshot.receivingCourts,
  summary: (c) => c.snapshot.summary,
};

export const CandidateSummary: CandidateSummaryResolvers = {
  courts: (s) => s.courtCodes.map((code) => ({ code })),
  outstandingAmount: (s) => s.outstandingFen,
};
