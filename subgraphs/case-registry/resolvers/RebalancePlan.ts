import { required } from '../../../lib/loaders';
import { CASE_CATEGORIES } from '../../../domain/caseNumber';
import { parseCourtCode } from '../../../domain/courtCode';
import { refuse } from '../../../domain/errorCatalogue';
import { checkRebalanceAuthority } from '../../../domain/scope';
import { limitText, TEXT_LIMITS } from '../../../domain/textLimits';
import type { CaseRegistryContext } from '../context';
import type { RebalancePlanResolvers } from '../generated/resolvers-types';
import type { RebalancePlanRecord } from '../sources/records';

export const MAX_REBALANCE_CASES = 200;
/** The proposal chooses among the oldest open cases, this many per case it may move. */
const CANDIDATES_PER_MOVE = 10;

/**
 * Validates the plan's arguments (a refusal naming the field) and the viewer's right to it: only a higher
 * court plans rebalancing, and only for a court in its scope. Checked here, not only on the root field, because
 * `_entities` reaches a plan through `__resolveReference`.
 */
export async function rebalancePlanRecord(
  ctx: CaseRegistryContext,
  fromCourt: string,
  caseType: string | null,
  maxCases: number,
): Promise<RebalancePlanRecord> {
  checkRebalanceAuthority(ctx.viewer);
  const code = parseCourtCode(fromCourt, 'fromCourt').code;
  if (!(await ctx.loaders.court.load(code))) throw refuse.COURT_UNKNOWN('fromCourt', `no court ${code} in the province`);
  checkRebalanceAuthority(ctx.viewer, code);
  // Checked here too, since `_entities` reaches a plan without the root field's argument bounds.
  limitText(caseType, 'caseType', TEXT_LIMITS.caseType);
  if (caseType !== null && !(CASE_CATEGORIES as readonly string[]).includes(caseType)) {
    throw refuse.CASE_CATEGORY('caseType', `"${caseType}" is not a case category (${CASE_CATEGORIES.join(', ')})`);
  }
  if (!Number.isInteger(maxCases) || maxCases < 1 || maxCases > MAX_REBALANCE_CASES) {
    throw refuse.MAX_CASES_RANGE('maxCases', `must be between 1 and ${MAX_REBALANCE_CASES}`);
  }
  return { id: `${code}|${caseType ?? ''}|${maxCases}`, fromCourt: code, caseType, maxCases };
}

export const RebalancePlan: RebalancePlanResolvers = {
  __resolveReference: (ref, ctx) => {
    const [court, category, size] = ref.id.split('|');
    return rebalancePlanRecord(ctx, court ?? '', category || null, Number(size));
  },
  fromCourt: (p, _, ctx) => required(ctx.loaders.court, p.fromCourt, 'court'),
  openCases: (p, _, ctx) => ctx.source.openCasesOfCourt(p.fromCourt, p.caseType, p.maxCases * CANDIDATES_PER_MOVE),
  courts: (_, __, ctx) => ctx.source.courts({}),
};
