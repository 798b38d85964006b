import type { SupervisionEventResolvers, SupervisionResolvers } from '../generated/resolvers-types';
import type { CaseRegistryContext } from '../context';
import type { TransferRecord } from '../sources/records';
import { loadAll } from '../../../lib/loaders';

/** The carrying-on case of every case the decision covered; supervision closes when all of them have closed. */
async function carryingOnCases(t: TransferRecord, ctx: CaseRegistryContext) {
  const covered = await ctx.loaders.transferredCases.load(t.id);
  return (
    await loadAll(
      ctx.loaders.case,
      covered.map((c) => c.carriedOn),
    )
  ).filter((c) => c !== null);
}

async function closedAt(t: TransferRecord, ctx: CaseRegistryContext): Promise<string | null> {
  const cases = await carryingOnCases(t, ctx);
  if (cases.length === 0 || cases.some((c) => c.status !== 'CLOSED')) return null;
  return cases
    .map((c) => c.closed_at ?? t.decided_at)
    .sort()
    .at(-1)!;
}

export const Supervision: SupervisionResolvers = {
  transfer: (t) => t,
  owner: (t) => (t.supervisor_id ? { id: t.supervisor_id } : null),
  history: (t, _, ctx) => ctx.loaders.supervisionEvents.load(t.id),
  closed: async (t, _, ctx) => (await closedAt(t, ctx)) !== null,
  closedAt: (t, _, ctx) => closedAt(t, ctx),
  overdue: async (t, _, ctx) => t.deadline < ctx.today && (await closedAt(t, ctx)) === null,
};

export const SupervisionEvent: SupervisionEventResolvers = {
  author: (e) => (e.author_id ? { id: e.author_id } : null),
};
