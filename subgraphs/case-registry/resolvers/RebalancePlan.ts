import { required } from '../../../lib/loaders';
import { CASE_CATEGORIES } from '../../../domain/caseNumber';
import { parseCourtCode } from '../../../domain/courtCode';
import { refuse } from '../../../domain/errorCatalogue';
import { MOVABLE_TYPE_CODES, UNMOVABLE_CATEGORIES } from '../../../domain/rules/rebalance';
import { checkRebalanceAuthority } from '../../../domain/scope';
import { limitText, TEXT_LIMITS } from '../../../domain/textLimits';
import type { CaseRegistryContext } from '../context';
import type { RebalancePlanResolvers } from '../generated/resolvers-types';
import type { RebalancePlanRecord } from '../sources/records';

export const MAX_REBALANCE_CASES = 200;
/** A province-wide plan covers at most this many sending courts. */
export const MAX_REBALANCE_COURTS = 30;
/** The proposal chooses among the sending courts' oldest open cases, this many per case it may move. */
const CANDIDATES_PER_MOVE = 10;

/**
 * How many of each sending court's oldest open cases the proposal chooses among: 10 × `maxCases` shared over the
 * courts, but never fewer than `maxCases` (one court may have to send every move). So a plan reads at most
 * max(10, courts) × `maxCases` rows — 6,000 for 30 courts and 200 moves, not 30 × 2,000.
 */
export function candidatesPerCourt(courts: number, maxCases: number): number {
  return Math.max(maxCases, Math.ceil((CANDIDATES_PER_MOVE * maxCases) / Math.max(1, courts)));
}

/**
 * Validates the plan's arguments (a refusal naming the field) and the viewer's right to it: only a higher
 * court plans rebalancing, and only for courts in its scope. Checked here, not only on the root field, because
 * `_entities` reaches a plan through `__resolveReference`.
 */
export async function rebalancePlanRecord(
  ctx: CaseRegistryContext,
  fromCourt: string | null,
  fromCourts: readonly string[] | null,
  caseType: string | null,
  maxCases: number,
): Promise<RebalancePlanRecord> {
  checkRebalanceAuthority(ctx.viewer);
  if ((fromCourt === null) === (fromCourts === null)) {
    throw refuse.REBALANCE_COURTS('fromCourts', 'give either fromCourt (one court) or fromCourts (several), not both or neither');
  }
  const field = fromCourt !== null ? 'fromCourt' : 'fromCourts';
  const asked = fromCourt !== null ? [fromCourt] : fromCourts!;
  if (asked.length < 1 || asked.length > MAX_REBALANCE_COURTS) {
    throw refuse.REBALANCE_COURTS(field, `name 1 to ${MAX_REBALANCE_COURTS} courts`);
  }
  const at = (i: number) => (fromCourt !== null ? field : `${field}[${i}]`);
  const codes = asked.map((c, i) => parseCourtCode(c, at(i)).code);
  const courts = await ctx.loaders.court.loadMany(codes);
  codes.forEach((code, i) => {
    const court = courts[i];
    if (court instanceof Error) throw court;
    if (!court) throw refuse.COURT_UNKNOWN(at(i), `no court ${code} in the province`);
    if (codes.indexOf(code) !== i) throw refuse.REBALANCE_COURTS(at(i), `${code} is named twice`);
    const first = courts[0] as { level: string };
    if (court.level !== first.level) {
      throw refuse.REBALANCE_COURTS(
        at(i),
        `${code} is a ${court.level} court; a plan moves cases between courts of one level (${codes[0]} is ${first.level})`,
      );
    }
  });
  for (const code of codes) checkRebalanceAuthority(ctx.viewer, code);
  // Checked here too, since `_entities` reaches a plan without the root field's argument bounds.
  limitText(caseType, 'caseType', TEXT_LIMITS.caseType);
  if (caseType !== null && !(CASE_CATEGORIES as readonly string[]).includes(caseType)) {
    throw refuse.CASE_CATEGORY('caseType', `"${caseType}" is not a case category (${CASE_CATEGORIES.join(', ')})`);
  }
  if (!Number.isInteger(maxCases) || maxCases < 1 || maxCases > MAX_REBALANCE_CASES) {
    throw refuse.MAX_CASES_RANGE('maxCases', `must be between 1 and ${MAX_REBALANCE_CASES}`);
  }
  return { id: `${codes.join(',')}|${caseType ?? ''}|${maxCases}`, fromCourts: codes, caseType, maxCases };
}

export const RebalancePlan: RebalancePlanResolvers = {
  __resolveReference: (ref, ctx) => {
    const [courts, category, size] = ref.id.split('|');
    const codes = (courts ?? '').split(',');
    return codes.length === 1
      ? rebalancePlanRecord(ctx, codes[0]!, null, category || null, Number(size))
      : rebalancePlanRecord(ctx, null, codes, category || null, Number(size));
  },
  fromCourt: (p, _, ctx) => required(ctx.loaders.court, p.fromCourts[0]!, 'court'),
  fromCourts: (p, _, ctx) => Promise.all(p.fromCourts.map((c) => required(ctx.loaders.court, c, 'court'))),
  openCases: (p, _, ctx) =>
    ctx.source.openCasesOfCourts(
      p.fromCourts,
      { typeCodes: MOVABLE_TYPE_CODES, excludedCategories: UNMOVABLE_CATEGORIES, category: p.caseType },
      candidatesPerCourt(p.fromCourts.length, p.maxCases),
    ),
  courts: (_, __, ctx) => ctx.source.courts({}),
};
