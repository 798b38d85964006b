import type { CrossCourtSummaryResolvers } from '../generated/resolvers-types';

export const CrossCourtSummary: CrossCourtSummaryResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.caseAggregates.load(ref.debtorId),
  courtCount: (s) => s.courtCodes.length,
  courts: async (s, _, ctx) => (await ctx.loaders.court.loadMany(s.courtCodes)).map((c) => {
    if (c instanceof Error || c === null) throw c ?? new Error('court missing from the registry');
    return c;
  }),
  prefectureCount: (s) => s.prefectures.length,
  outstandingAmount: (s) => s.outstandingFen,
};
