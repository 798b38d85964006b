import { encodeCursor } from '../../../lib/cursor';
import type { TransferCandidateConnectionResolvers } from '../generated/resolvers-types';

export const TransferCandidateConnection: TransferCandidateConnectionResolvers = {
  nodes: (page) => page.rows,
  pageInfo: (page) => {
    const last = page.rows[page.rows.length - 1];
    return { hasNextPage: page.hasNextPage, endCursor: last ? encodeCursor([String(last.urgency), last.debtor_id]) : null };
  },
  assessedOn: (page) => page.meta.assessedOn,
  configVersion: (page) => page.meta.configVersion,
};
