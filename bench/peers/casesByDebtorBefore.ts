import { sql } from 'kysely';
import { dialectOf, keyIn } from '../../lib/database';
import type { SqlCaseRegistry } from '../../subgraphs/case-registry/sources/sqlite';
import type { CaseStatusFilter } from '../../subgraphs/case-registry/sources/source';

/*
 * The registry's cases-by-debtor statement as it was before issue 18's change (a DISTINCT over every column of the
 * joined case rows), kept as the reference that the registry's own statement must match row for row and in order:
 * timed beside it by bench/peers/casesByDebtor.ts, compared with it by test/gateway/cases-by-debtor.test.ts.
 */

/** The statement as it was before issue 18's change, built as it was. */
export function wholeRowDistinct(registry: SqlCaseRegistry, ids: readonly string[], status: CaseStatusFilter) {
  let q = registry.db
    .selectFrom('case_parties as p')
    .innerJoin('cases as c', 'c.number', 'p.case_number')
    .distinct()
    .selectAll('c')
    .select('p.person_id as party_key')
    .where((eb) => keyIn(dialectOf(registry.db), eb, 'p.person_id', ids))
    .where('p.role', '=', 'DEBTOR');
  if (status === 'UNCLOSED') q = q.where('c.status', '!=', 'CLOSED');
  else if (status === 'TERMINATED_THIS_ROUND')
    q = q.where(sql<boolean>`(c.status = 'CLOSED' and c.closure = 'TERMINATED_THIS_ROUND'
      and not exists (select 1 from cases x where x.transferred_from = c.number or x.continues = c.number))`);
  else if (status) q = q.where('c.status', '=', status);
  return q.orderBy('c.filed_at', 'desc').orderBy('c.number');
}
