import { DateScalar, MoneyScalar } from '../../../lib/scalars';
import type { Resolvers } from '../generated/resolvers-types';
import { CourtCandidate, RuleEvidence } from './Assessment';
import { CandidateSummary, TransferCandidate, TransferCandidateConnection } from './Candidates';
import { Court } from './Compliance';
import { Debtor } from './Debtor';
import { Query } from './Query';
import { PlannedDecision, RebalanceMove, RebalancePlan } from './Rebalance';
import { TransferStatistics, TransferredCase } from './Statistics';

export const resolvers: Resolvers = {
  Date: DateScalar,
  Money: MoneyScalar,
  Query,
  Debtor,
  RuleEvidence,
  CourtCandidate,
  Court,
  TransferCandidate,
  TransferCandidateConnection,
  CandidateSummary,
  TransferredCase,
  TransferStatistics,
  RebalancePlan,
  RebalanceMove,
  PlannedDecision,
};
