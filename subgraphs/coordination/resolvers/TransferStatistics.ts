import { transferStatistics } from '../../../domain/rules/progress';
import { TRANSFER_MODES } from '../../../domain/transferModes';
import type { TransferStatisticsResolvers } from '../generated/resolvers-types';
import { transferredCaseFact } from '../sources/facts';

export const TransferStatistics: TransferStatisticsResolvers = {
  __resolveReference: (ref) => ref,
  byMode: (s) => transferStatistics((s.cases ?? []).map(transferredCaseFact), TRANSFER_MODES),
};
