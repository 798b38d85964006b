import { connectionFields, type Page } from '../../../lib/cursor';
import type { TransferCandidateConnectionResolvers } from '../generated/resolvers-types';
import type { IndexedCandidate } from '../sources/ddl';
import type { IndexMeta } from '../sources/source';

/** A page of the index, with the pass it was judged in. */
export type CandidatePage = Page<IndexedCandidate> & { meta: IndexMeta };

export const TransferCandidateConnection: TransferCandidateConnectionResolvers = {
  ...connectionFields,
  assessedOn: (page) => page.meta.assessedOn,
  configVersion: (page) => page.meta.configVersion,
};
