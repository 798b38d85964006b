import type { CandidateSummaryResolvers } from '../generated/resolvers-types';

export const CandidateSummary: CandidateSummaryResolvers = {
  courts: (s) => s.courtCodes.map((code) => ({ code })),
  outstandingAmount: (s) => s.outstandingFen,
};
