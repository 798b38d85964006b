import type { CrossCourtSummaryResolvers } from '../generated/resolvers-types';

export const CrossCourtSummary: CrossCourtSummaryResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.propertyAggregates.load(ref.debtorId),
};
