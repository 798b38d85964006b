import { yuanToFen } from '../../../domain/money';
import { progressSince, transferStatistics, type TransferredCaseFact } from '../../../domain/rules/progress';
import { TRANSFER_MODES } from '../../../domain/transferModes';
import type { TransferStatisticsResolvers, TransferredCaseResolvers } from '../generated/resolvers-types';
import type { TransferredCaseRepresentation } from '../sources/records';

/** The plain fact the progress rules judge, from the wire form the gateway supplied through @requires. */
function toFact(c: TransferredCaseRepresentation): TransferredCaseFact {
  if (!c.decidedAt || c.recoveredAfter === undefined || !c.carriedOn) {
    throw new Error(`transferred case ${c.id} arrived without the fields its progress requires`);
  }
  return {
    transferId: c.transferId ?? c.id.split('|')[0]!,
    mode: c.mode ?? '',
    decidedAt: c.decidedAt,
    recoveredAfter: yuanToFen(c.recoveredAfter, 'recoveredAfter'),
    propertyDisposedAt: c.propertyDisposedAt ?? null,
    carriedOn: c.carriedOn,
  };
}

export const TransferredCase: TransferredCaseResolvers = {
  __resolveReference: (ref) => ref,
  progress: (c) => progressSince(toFact(c)),
  substantiveProgress: (c) => progressSince(toFact(c)).length > 0,
};

export const TransferStatistics: TransferStatisticsResolvers = {
  __resolveReference: (ref) => ref,
  byMode: (s) => transferStatistics((s.cases ?? []).map(toFact), TRANSFER_MODES),
};
