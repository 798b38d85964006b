import { DateScalar, MoneyScalar } from '../../../lib/scalars';
import type { Resolvers } from '../generated/resolvers-types';
import { CandidateSummary } from './CandidateSummary';
import { Court } from './Court';
import { CourtCandidate } from './CourtCandidate';
import { Debtor } from './Debtor';
import { PlannedDecision } from './PlannedDecision';
import { Query } from './Query';
import { RebalanceCourt } from './RebalanceCourt';
import { RebalanceMove } from './RebalanceMove';
import { RebalancePlan } from './RebalancePlan';
import { RuleEvidence } from './RuleEvidence';
import { TransferAssessment } from './TransferAssessment';
import { TransferCandidate } from './TransferCandidate';
import { TransferCandidateConnection } from './TransferCandidateConnection';
import { TransferStatistics } from './TransferStatistics';
import { TransferredCase } from './TransferredCase';

export const resolvers: Resolvers = {
  Date: DateScalar,
  Money: MoneyScalar,
  Query,
  Debtor,
  RuleEvidence,
  CourtCandidate,
  Court,
  TransferAssessment,
  TransferCandidate,
  TransferCandidateConnection,
  CandidateSummary,
  TransferredCase,
  TransferStatistics,
  RebalancePlan,
  RebalanceMove,
  RebalanceCourt,
  PlannedDecision,
};
