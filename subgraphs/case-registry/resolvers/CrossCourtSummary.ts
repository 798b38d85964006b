import { forbidden } from '../../../domain/scope';
import { loadAll } from '../../../lib/loaders';
import type { CrossCourtSummaryResolvers } from '../generated/resolvers-types';

export const CrossCourtSummary: CrossCourtSummaryResolvers = {
  // Held to the debtor's scope: `_entities` would otherwise give any debtor's figures by id.
  __resolveReference: async (ref, ctx) => {
    if (!(await ctx.loaders.debtorInScope.load(ref.debtorId))) throw forbidden("the debtor's cross-court figures", ctx.viewer);
    return ctx.loaders.caseAggregates.load(ref.debtorId);
  },
  courtCount: (s) => s.courtCodes.length,
  courts: async (s, _, ctx) =>
    (await loadAll(ctx.loaders.court, s.courtCodes)).map((c, i) => {
      if (c === null) throw new Error(`court ${s.courtCodes[i]} executes cases but is missing from the registry`);
      return c;
    }),
  prefectureCount: (s) => s.prefectures.length,
  outstandingAmount: (s) => s.outstandingFen,
};
