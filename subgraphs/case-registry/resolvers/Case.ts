import { requiredNow } from '../../../lib/loaders';
import { selectsAnyOf, type SelectionInfo } from '../../../lib/selection';
import type { CaseRegistryContext } from '../context';
import type { CaseRecord } from '../sources/records';
import { CASE_TYPES } from '../../../domain/caseNumber';
import type { CaseResolvers } from '../generated/resolvers-types';
import { caseOrThrow } from './scope';

export const Case: CaseResolvers = {
  __resolveReference: async (ref, ctx) => caseOrThrow(ctx, await ctx.loaders.case.load(ref.number)),
  type: (c) => CASE_TYPES[c.type_code],
  // Without a promise when the list holding the case read its courts first (withCourts).
  court: (c, _, ctx) => requiredNow(ctx.loaders.court, c.court_code, 'court'),
  executingCourt: (c, _, ctx) => requiredNow(ctx.loaders.court, c.executing_court, 'court'),
  filedAt: (c) => c.filed_at,
  closedAt: (c) => c.closed_at,
  closure: (c) => c.closure,
  category: (c) => c.category,
  conductOrdered: (c) => c.conduct_ordered,
  amountDue: (c) => c.amount_due,
  amountRecovered: (c) => c.amount_recovered,
  lastActionAt: (c) => c.last_action_at,
  settledAt: (c) => c.settled_at,
  debtors: async (c, _, ctx) => (await ctx.loaders.parties.load(c.number)).filter((p) => p.role === 'DEBTOR'),
  applicants: async (c, _, ctx) => (await ctx.loaders.parties.load(c.number)).filter((p) => p.role === 'APPLICANT'),
  handler: (c) => (c.handler_id ? { id: c.handler_id } : null),
  lineageNumbers: (c, _, ctx) => ctx.loaders.lineage.load(c.lineage_root),
  transferredFrom: async (c, _, ctx) => (c.transferred_from ? caseOrThrow(ctx, await ctx.loaders.case.load(c.transferred_from)) : null),
  transferredTo: async (c, _, ctx) => caseOrThrow(ctx, await ctx.loaders.transferredTo.load(c.number)),
  transfers: (c, _, ctx) => ctx.loaders.transfersByCase.load(c.number),
  obligations: (c) => [
    ...(c.amount_due !== null ? (['MONEY'] as const) : []),
    ...(c.conduct_ordered !== null ? (['CONDUCT'] as const) : []),
  ],
  conductProgress: (c, _, ctx) => ctx.loaders.conductEvents.load(c.number),
  complaints: (c, _, ctx) => ctx.loaders.complaints.load(c.number),
  supervision: async (c, _, ctx) => (await ctx.loaders.transfersByCase.load(c.number)).at(-1) ?? null,
  excludedPeriods: (c, _, ctx) => ctx.loaders.excludedPeriods.load(c.number),
  supervisionOrders: (c, _, ctx) => ctx.loaders.supervisionOrders.load(c.number),
};

/**
 * A list of cases for a resolver, with the courts its selection asks of each case (`court`, `executingCourt`) read
 * first, in the one batch (one statement) those fields would have made, so that each case answers them without a
 * promise of its own: 14,490 cases in the heaviest 100-debtor walk (issue 18). A failed read is left for the fields
 * themselves to report, at their own paths, as they would have.
 */
export async function withCourts(ctx: CaseRegistryContext, info: SelectionInfo, cases: CaseRecord[]): Promise<CaseRecord[]> {
  const court = selectsAnyOf(info, ['court']);
  const executingCourt = selectsAnyOf(info, ['executingCourt']);
  if (cases.length === 0 || (!court && !executingCourt)) return cases;
  const codes = new Set<string>();
  for (const c of cases) {
    if (court) codes.add(c.court_code);
    if (executingCourt) codes.add(c.executing_court);
  }
  await ctx.loaders.court.loadMany([...codes]);
  return cases;
}
