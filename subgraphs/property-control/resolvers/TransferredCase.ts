import { loadAll } from '../../../lib/loaders';
import type { TransferredCaseResolvers } from '../generated/resolvers-types';

export const TransferredCase: TransferredCaseResolvers = {
  __resolveReference: (ref) => ref,
  // The registry supplies the decision date and the carrying-on case's lineage (@requires); measures follow the
  // lineage, so a property seized before the move and sold after it counts for the receiving court.
  propertyDisposedAt: async (c, _, ctx) => {
    const decidedAt = c.decidedAt;
    const lineage = c.carriedOn?.lineageNumbers;
    if (!decidedAt || !lineage) return null;
    const disposals = (await loadAll(ctx.loaders.disposalsByCase, lineage)).flat();
    const since = disposals
      .map((d) => d.disposedAt)
      .filter((at) => at >= decidedAt)
      .sort();
    return since[0] ?? null;
  },
};
