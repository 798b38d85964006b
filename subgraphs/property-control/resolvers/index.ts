import { errors } from '../../../domain/errorCatalogue';
import { DateScalar, MoneyScalar } from '../../../lib/scalars';
import { boundedQueryArguments } from '../../../lib/textArguments';
import type { Resolvers } from '../generated/resolvers-types';
import { Case, caseLineageMeasures } from './Case';
import { ControlMeasure } from './ControlMeasure';
import { CrossCourtSummary } from './CrossCourtSummary';
import { Debtor } from './Debtor';
import { DisposalStep } from './DisposalStep';
import { Encumbrance } from './Encumbrance';
import { Property } from './Property';
import { PropertyConnection, Query } from './Query';
import { changeFeedQuery } from './changes';
import { Transfer } from './Transfer';
import { TransferredCase } from './TransferredCase';
import { DisposalResult, MeasureResult, Mutation, ReleaseResult } from './Mutation';

export const resolvers: Resolvers = {
  Money: MoneyScalar,
  Date: DateScalar,
  Query: boundedQueryArguments({ ...Query, ...changeFeedQuery }),
  Mutation,
  MeasureResult,
  ReleaseResult,
  DisposalResult,
  Property,
  ControlMeasure,
  DisposalStep,
  Encumbrance,
  Debtor,
  Case,
  RebalancePlan: {
    __resolveReference: (ref) => ({ id: ref.id, openCases: ref.openCases }),
    openCaseMeasures: (p, _, ctx) => {
      if (!p.openCases) throw errors.defect(`RebalancePlan ${p.id}: the cases this field requires were not supplied`);
      return caseLineageMeasures(ctx, p.openCases);
    },
  },
  CrossCourtSummary,
  PropertyConnection,
  TransferredCase,
  Transfer,
};
