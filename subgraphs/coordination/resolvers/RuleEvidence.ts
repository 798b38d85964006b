import type { RuleEvidenceResolvers } from '../generated/resolvers-types';

export const RuleEvidence: RuleEvidenceResolvers = {
  cases: (e) => e.caseNumbers.map((number) => ({ number })),
  courts: (e) => e.courtCodes.map((code) => ({ code })),
  properties: (e) => e.propertyIds.map((id) => ({ id })),
};
