import { required } from '../../../lib/loaders';
import type {
  DebtorConnectionResolvers,
  TransferConnectionResolvers,
  TransferResolvers,
  TransferStatisticsResolvers,
  TransferredCaseResolvers,
} from '../generated/resolvers-types';
import { connectionFields, type Page } from '../../../lib/cursor';
import { refuse } from '../../../domain/errorCatalogue';
import type { CaseRegistryContext } from '../context';
import { forbidden } from '../../../domain/scope';
import { caseIfInScope, transferOrThrow, transferredCaseVisible, transferredCasesVisible } from './scope';
import type { PersonRecord, TransferRecord, TransferStatisticsRecord } from '../sources/records';

export const Transfer: TransferResolvers = {
  // Root fields list only decisions in scope; `_entities` is held to the same rule.
  __resolveReference: async (ref, ctx) => transferOrThrow(ctx, await ctx.loaders.transfer.load(ref.id)),
  decidingCourt: (t, _, ctx) => required(ctx.loaders.court, t.deciding_court, 'court'),
  receivingCourt: (t, _, ctx) => (t.receiving_court ? ctx.loaders.court.load(t.receiving_court) : null),
  decidedAt: (t) => t.decided_at,
  supervisor: (t) => (t.supervisor_id ? { id: t.supervisor_id } : null),
  reasons: (t) => t.reasons.split(',').filter(Boolean),
  cases: async (t, _, ctx) => transferredCasesVisible(ctx, await ctx.loaders.transferredCases.load(t.id)),
  supervision: (t) => t,
};

/** A transferred case's entity id: the decision and the case decided on. */
export const transferredCaseId = (transferId: string, caseNumber: string) => `${transferId}|${caseNumber}`;

export const TransferredCase: TransferredCaseResolvers = {
  __resolveReference: async (ref, ctx) => {
    const [transferId, caseNumber] = ref.id.split('|');
    if (!transferId || !caseNumber) return null;
    const c = (await ctx.loaders.transferredCases.load(transferId)).find((x) => x.fromCase === caseNumber) ?? null;
    if (c === null || transferredCaseVisible(ctx, c)) return c;
    throw forbidden('the transferred case', ctx.viewer);
  },
  id: (c) => transferredCaseId(c.transferId, c.fromCase),
  decidedAt: (c) => c.decidedAt,
  decidingCourt: (c, _, ctx) => required(ctx.loaders.court, c.decidingCourt, 'court'),
  from: async (c, _, ctx) => caseIfInScope(ctx, await ctx.loaders.case.load(c.fromCase)),
  to: async (c, _, ctx) => (c.toCase ? caseIfInScope(ctx, await ctx.loaders.case.load(c.toCase)) : null),
  carriedOn: (c, _, ctx) => required(ctx.loaders.case, c.carriedOn, 'case'),
  recoveredBefore: (c) => c.recoveredBefore,
  recoveredAfter: (c) => Math.max(0, c.carriedOnRecovered - c.recoveredBefore),
};

/** The cases decided on in a period, optionally only those sent from one prefecture's courts. */
export async function loadTransferStatistics(
  ctx: CaseRegistryContext,
  from: string,
  to: string,
  prefecture: string | null,
): Promise<TransferStatisticsRecord> {
  if (from > to) throw refuse.DATE_RANGE('to', `to (${to}) is before from (${from})`);
  const all = await ctx.workflow.transferredCasesMatching({ from, to, prefecture });
  // A court's statistics count the cases it sent or received.
  const cases = transferredCasesVisible(ctx, all);
  return { id: `${from}..${to}${prefecture ? `@${prefecture}` : ''}`, from, to, prefecture, cases };
}

export const TransferStatistics: TransferStatisticsResolvers = {
  __resolveReference: (ref, ctx) => {
    const scope = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})(?:@(.+))?$/.exec(ref.id);
    return scope ? loadTransferStatistics(ctx, scope[1]!, scope[2]!, scope[3] ?? null) : null;
  },
};

export type TransferPage = Page<TransferRecord>;
export type DebtorPage = Page<PersonRecord>;

export const TransferConnection: TransferConnectionResolvers = connectionFields;

export const DebtorConnection: DebtorConnectionResolvers = connectionFields;
