import type { TransferredCaseResolvers } from '../generated/resolvers-types';
import { progressSince } from '../../../domain/rules/progress';
import { transferredCaseFact } from '../sources/facts';

export const TransferredCase: TransferredCaseResolvers = {
  __resolveReference: (ref) => ref,
  progress: (c) => progressSince(transferredCaseFact(c)),
  substantiveProgress: (c) => progressSince(transferredCaseFact(c)).length > 0,
};
