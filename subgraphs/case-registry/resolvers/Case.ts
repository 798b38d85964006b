import { requiredNow } from '../../../lib/loaders';
import { selectedFields, selectsAnyOf, type SelectionInfo } from '../../../lib/selection';
import type { CaseRegistryContext } from '../context';
import type { CaseColumn, CaseRecord } from '../sources/records';
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

/**
 * The columns each field of `Case` reads of its case row, as the resolvers above (or the default resolver, for
 * `number`, `year`, `status`, `obligation`) read them. A case list whose selection asks only for fields named here
 * reads only their columns (`caseColumnsFor`, ADR 32): 7 of the 21 for the heaviest walk's 14,462 cases at 1,000,000
 * cases. The type holds it complete: a field added to the schema (and so to the generated resolver types) does not
 * compile until its columns are named here; test/gateway/case-columns.test.ts holds each field to answer the same
 * from its columns as from the whole row.
 */
export const CASE_FIELD_COLUMNS = {
  number: ['number'],
  year: ['year'],
  type: ['type_code'],
  court: ['court_code'],
  executingCourt: ['executing_court'],
  status: ['status'],
  filedAt: ['filed_at'],
  closedAt: ['closed_at'],
  closure: ['closure'],
  obligation: ['obligation'],
  category: ['category'],
  conductOrdered: ['conduct_ordered'],
  obligations: ['amount_due', 'conduct_ordered'],
  conductProgress: ['number'],
  amountDue: ['amount_due'],
  amountRecovered: ['amount_recovered'],
  lastActionAt: ['last_action_at'],
  settledAt: ['settled_at'],
  debtors: ['number'],
  applicants: ['number'],
  handler: ['handler_id'],
  lineageNumbers: ['lineage_root'],
  transferredFrom: ['transferred_from'],
  transferredTo: ['number'],
  transfers: ['number'],
  supervision: ['number'],
  complaints: ['number'],
  excludedPeriods: ['number'],
  supervisionOrders: ['number'],
} as const satisfies Record<Exclude<keyof CaseResolvers, '__resolveReference' | '__isTypeOf'>, readonly CaseColumn[]>;

/**
 * The columns a case list reads for its selection: the case number (its key) and executing court (the viewer's scope,
 * scope.ts) always, and what each selected field reads (`CASE_FIELD_COLUMNS`), in one order so that one selection is
 * one statement text. Null, the whole row, when the selection names a field the table does not know.
 */
export function caseColumnsFor(info: SelectionInfo): readonly CaseColumn[] | null {
  const columns = new Set<CaseColumn>(['number', 'executing_court']);
  for (const field of selectedFields(info)) {
    if (field === '__typename') continue;
    if (!Object.hasOwn(CASE_FIELD_COLUMNS, field)) return null;
    for (const column of CASE_FIELD_COLUMNS[field as keyof typeof CASE_FIELD_COLUMNS]) columns.add(column);
  }
  return [...columns].sort();
}
