import { rulesOfMask } from '../../../domain/rules/urgency';
import type { TransferCandidateResolvers } from '../generated/resolvers-types';

export const TransferCandidate: TransferCandidateResolvers = {
  debtor: (c) => ({ id: c.debtor_id }),
  rulesMet: (c) => rulesOfMask(c.rule_mask),
  recommendedMode: (c) => c.recommended_mode,
  explanation: (c) => c.snapshot.explanation,
  receivingCourts: (c) => c.snapshot.receivingCourts,
  summary: (c) => c.snapshot.summary,
};
