import { DateScalar, MoneyScalar } from '../../../lib/scalars';
import type { Resolvers } from '../generated/resolvers-types';
import { Case } from './Case';
import { CaseParty } from './CaseParty';
import { Court } from './Court';
import { CrossCourtSummary } from './CrossCourtSummary';
import { Debtor } from './Debtor';
import { DebtorMatch } from './DebtorMatch';
import { Officer } from './Officer';
import { DebtorConnection, Transfer, TransferConnection, TransferStatistics, TransferredCase } from './Transfer';
import { Query } from './Query';

export const resolvers: Resolvers = {
  Money: MoneyScalar,
  Date: DateScalar,
  Query,
  Court,
  Debtor,
  DebtorMatch,
  Case,
  CaseParty,
  Officer,
  CrossCourtSummary,
  Transfer,
  TransferredCase,
  TransferStatistics,
  TransferConnection,
  DebtorConnection,
};
