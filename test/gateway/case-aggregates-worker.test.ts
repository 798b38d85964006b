import { afterAll, describe, expect, it } from 'vitest';
import { caseHeavyDebtors } from '../../bench/peers/run';
import { databaseFile } from '../../lib/dataFiles';
import { IMPLEMENTATION_TYPE_CODES } from '../../domain/caseKinds';
import { openCaseRegistrySqlite, SqlCaseRegistry } from '../../subgraphs/case-registry/sources/sqlite';
import { testDataDir } from '../support/graph';

/*
 * ADR 31: on SQLite the registry's cross-court aggregates run on a read-only connection on a worker thread, beside
 * the request's case read. They must be exactly the figures the registry's own connection gives, one statement each.
 */
describe('cross-court aggregates on the read worker (issue 18)', () => {
  const statements: string[] = [];
  const registry = openCaseRegistrySqlite(databaseFile(testDataDir(), 'case-registry'), {
    readonly: true,
    onQuery: (text) => statements.push(text),
  });
  // The same store read on its one connection only.
  const onConnection = new SqlCaseRegistry(registry.db);
  afterAll(() => registry.close());

  it('gives the figures the main connection gives, for every debtor asked, in one statement', async () => {
    const ids = [...caseHeavyDebtors(testDataDir(), 100), 'NO-SUCH-DEBTOR'];
    const expected = await onConnection.caseAggregates(ids);
    statements.length = 0;
    const actual = await registry.caseAggregates(ids);
    expect(statements).toHaveLength(1);
    expect(actual).toEqual(expected);
    expect(actual.filter((a) => a.unclosedCaseCount > 0).length).toBeGreaterThan(10);
    expect(actual.at(-1)).toMatchObject({ debtorId: 'NO-SUCH-DEBTOR', unclosedCaseCount: 0, courtCodes: [] });
  });

  it('runs beside a statement on the main connection', async () => {
    const ids = caseHeavyDebtors(testDataDir(), 100);
    const [aggregates, cases] = await Promise.all([registry.caseAggregates(ids), registry.casesByDebtor(ids, 'UNCLOSED')]);
    expect(aggregates.map((a) => a.unclosedCaseCount)).toEqual(
      cases.map((list) => list.filter((c) => (IMPLEMENTATION_TYPE_CODES as readonly string[]).includes(c.type_code)).length),
    );
  });
});
