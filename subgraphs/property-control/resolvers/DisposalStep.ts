import type { DisposalStepResolvers } from '../generated/resolvers-types';

export const DisposalStep: DisposalStepResolvers = {
  stage: (s) => s.step,
  occurredAt: (s) => s.occurred_at,
  succeeded: (s) => s.outcome === 'DONE',
};
