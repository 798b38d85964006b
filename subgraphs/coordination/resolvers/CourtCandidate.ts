import type { CourtCandidateResolvers } from '../generated/resolvers-types';

export const CourtCandidate: CourtCandidateResolvers = {
  court: (c) => ({ code: c.courtCode }),
};
