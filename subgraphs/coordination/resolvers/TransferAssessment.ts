import type { TransferAssessmentResolvers } from '../generated/resolvers-types';

export const TransferAssessment: TransferAssessmentResolvers = {
  proposedCases: (a) => a.proposedCases.map((number) => ({ number })),
};
