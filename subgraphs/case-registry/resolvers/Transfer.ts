import { hasSubstantiveProgress, recoveredAfter } from '../../../domain/rules/progress';
import type { DebtorConnectionResolvers, TransferConnectionResolvers, TransferResolvers, TransferredCaseResolvers } from '../generated/resolvers-types';
import { encodeCursor } from '../../../lib/cursor';

export const Transfer: TransferResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.transfer.load(ref.id),
  decidingCourt: async (t, _, ctx) => (await ctx.loaders.court.load(t.deciding_court))!,
  receivingCourt: (t, _, ctx) => (t.receiving_court ? ctx.loaders.court.load(t.receiving_court) : null),
  decidedAt: (t) => t.decided_at,
  supervisor: (t) => (t.supervisor_id ? { id: t.supervisor_id } : null),
  reasons: (t) => t.reasons.split(',').filter(Boolean),
  cases: (t, _, ctx) => ctx.loaders.transferredCases.load(t.id),
};

export const TransferredCase: TransferredCaseResolvers = {
  from: async (c, _, ctx) => (await ctx.loaders.case.load(c.fromCase))!,
  to: (c, _, ctx) => (c.toCase ? ctx.loaders.case.load(c.toCase) : null),
  recoveredBefore: (c) => c.recoveredBefore,
  recoveredAfter: (c) => recoveredAfter(c),
  substantiveProgress: (c) => hasSubstantiveProgress(c),
};

export const TransferConnection: TransferConnectionResolvers = {
  nodes: (page) => page.rows,
  pageInfo: (page) => {
    const last = page.rows[page.rows.length - 1];
    return { hasNextPage: page.hasNextPage, endCursor: last ? encodeCursor([last.decided_at, last.id]) : null };
  },
};

export const DebtorConnection: DebtorConnectionResolvers = {
  nodes: (page) => page.rows,
  pageInfo: (page) => {
    const last = page.rows[page.rows.length - 1];
    return { hasNextPage: page.hasNextPage, endCursor: last ? encodeCursor([last.id]) : null };
  },
};
