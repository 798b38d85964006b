import { DateScalar, MoneyScalar } from '../../../lib/scalars';
import { boundedQueryArguments } from '../../../lib/textArguments';
import { required, requiredAll } from '../../../lib/loaders';
import type { Resolvers } from '../generated/resolvers-types';
import { Case } from './Case';
import { CaseParty } from './CaseParty';
import { Complaint, ConductEvent } from './Complaint';
import { ExcludedPeriod } from './ExcludedPeriod';
import { SupervisionOrder } from './SupervisionOrder';
import { ControlMeasure, lineageCarryingCourt } from './ControlMeasure';
import { Court } from './Court';
import { CrossCourtSummary } from './CrossCourtSummary';
import { CaseConnection, Debtor } from './Debtor';
import { ApplicantClaim } from './ApplicantClaim';
import { DebtorMatch } from './DebtorMatch';
import { ExternalCase } from './ExternalCase';
import { Officer } from './Officer';
import { Property } from './Property';
import { DebtorConnection, Transfer, TransferConnection, TransferStatistics, TransferredCase } from './Transfer';
import { Query } from './Query';
import { changeFeedQuery } from './changes';
import { Mutation } from './Mutation';
import { RebalancePlan } from './RebalancePlan';
import { Supervision, SupervisionEvent } from './Supervision';
import { transferOrThrow } from './scope';

export const resolvers: Resolvers = {
  Money: MoneyScalar,
  Date: DateScalar,
  Query: boundedQueryArguments({ ...Query, ...changeFeedQuery }),
  Mutation,
  RebalancePlan,
  Supervision,
  SupervisionEvent,
  TransferDecisionResult: { transfer: (r, _, ctx) => required(ctx.loaders.transfer, r.transferId, 'transfer decision') },
  TransferDecisionsResult: { transfers: (r, _, ctx) => requiredAll(ctx.loaders.transfer, r.transferIds, 'transfer decision') },
  // A court reporting progress can read the decision (sources/decisions.ts); the check keeps it so.
  SupervisionResult: {
    supervision: async (r, _, ctx) =>
      (await transferOrThrow(ctx, await required(ctx.loaders.transfer, r.transferId, 'transfer decision')))!,
  },
  Court,
  Debtor,
  ApplicantClaim,
  DebtorMatch,
  ExternalCase,
  Case,
  ExcludedPeriod,
  SupervisionOrder,
  CaseParty,
  Complaint,
  ConductEvent,
  ControlMeasure,
  CaseCarrier: { case: (c) => c, carryingCourt: (c, _, ctx) => lineageCarryingCourt(ctx, c.number) },
  Officer,
  Property,
  CrossCourtSummary,
  Transfer,
  TransferredCase,
  TransferStatistics,
  TransferConnection,
  DebtorConnection,
  CaseConnection,
};
