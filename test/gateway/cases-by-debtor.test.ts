import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wholeRowDistinct } from '../../bench/peers/casesByDebtorBefore';
import { caseHeavyDebtors } from '../../bench/peers/run';
import { postgresSettingsFor } from '../../lib/database';
import { databaseFile } from '../../lib/dataFiles';
import { groupInOrder } from '../../lib/sqlite';
import { openCaseRegistrySqlite, type SqlCaseRegistry } from '../../subgraphs/case-registry/sources/sqlite';
import type { CaseStatusFilter } from '../../subgraphs/case-registry/sources/source';
import { copyTestProvince, databasesFor, DIALECTS, testDataDir } from '../support/graph';

/*
 * Issue 18: the registry's cases-by-debtor statement makes the (debtor, case) pairs distinct on their own instead of
 * every column of the joined case rows, so SQLite builds one temporary B-tree (the ORDER BY's) rather than two. It must
 * give exactly the rows, in exactly the order, of the statement it replaced, for every status filter, on both dialects,
 * in one statement per batch; and a debtor named twice in one case still lists that case once.
 */

async function reference(registry: SqlCaseRegistry, ids: readonly string[], status: CaseStatusFilter) {
  const rows = await wholeRowDistinct(registry, ids, status).execute();
  return groupInOrder(ids, rows, (r) => r.party_key!).map((list) => list.map(({ party_key: _, ...c }) => c));
}

const STATUSES: CaseStatusFilter[] = [null, 'UNCLOSED', 'FILED', 'EXECUTING', 'CLOSED', 'TERMINATED_THIS_ROUND'];

describe.each(DIALECTS)('cases by debtor, stores on %s (issue 18)', (dialect) => {
  const statements: { sql: string; parameters: readonly unknown[] }[] = [];
  let registry: SqlCaseRegistry;
  beforeAll(() => {
    registry = openCaseRegistrySqlite(databaseFile(testDataDir(), 'case-registry'), {
      readonly: true,
      postgres: postgresSettingsFor(databasesFor(dialect), 'case-registry'),
      onQuery: (text, parameters) => statements.push({ sql: text, parameters }),
    });
  });
  afterAll(() => registry.close());

  it('gives the rows of the whole-row DISTINCT statement, in its order, for every status, in one statement', async () => {
    // The 100 debtors in the most cases, an unknown id, and one asked twice: every key answered in its place.
    const ids = [...caseHeavyDebtors(testDataDir(), 100), 'NO-SUCH-DEBTOR', caseHeavyDebtors(testDataDir(), 1)[0]!];
    let listed = 0;
    for (const status of STATUSES) {
      const expected = await reference(registry, ids, status);
      statements.length = 0;
      const actual = await registry.casesByDebtor(ids, status);
      expect(statements, String(status)).toHaveLength(1);
      expect(actual, String(status)).toEqual(expected);
      expect(actual).toHaveLength(ids.length);
      expect(actual.at(-2)).toEqual([]);
      expect(actual.at(-1)).toEqual(actual[0]);
      listed += actual.flat().length;
    }
    // The check is not vacuous: the heaviest debtors have cases under every filter.
    expect(listed).toBeGreaterThan(1000);
    for (const status of STATUSES) expect((await registry.casesByDebtor(ids, status)).flat().length, String(status)).toBeGreaterThan(0);
  });

  it('reads only the columns asked for: the whole rows cut to them, in the same order, in one statement (ADR 32)', async () => {
    const ids = caseHeavyDebtors(testDataDir(), 20);
    const columns = ['amount_due', 'executing_court', 'handler_id', 'number', 'settled_at', 'status'] as const;
    for (const status of STATUSES) {
      const whole = await registry.casesByDebtor(ids, status);
      statements.length = 0;
      const narrow = await registry.casesByDebtor(ids, status, columns);
      expect(statements, String(status)).toHaveLength(1);
      expect(statements[0]!.sql).not.toMatch(/"c"\.\*/);
      const cut = whole.map((list) => list.map((c) => Object.fromEntries(columns.map((k) => [k, c[k]]))));
      expect(narrow, String(status)).toEqual(cut);
      expect(narrow.flat().every((c) => Object.keys(c).length === columns.length)).toBe(true);
    }
  });

  it.runIf(dialect === 'sqlite')('builds one temporary B-tree (for the ORDER BY), none for DISTINCT', async () => {
    const ids = caseHeavyDebtors(testDataDir(), 100);
    statements.length = 0;
    await registry.casesByDebtor(ids, null);
    const [statement] = statements;
    const raw = new Database(databaseFile(testDataDir(), 'case-registry'), { readonly: true, fileMustExist: true });
    try {
      const plan = (text: string, parameters: readonly unknown[]) =>
        (raw.prepare(`explain query plan ${text}`).all(...parameters) as { detail: string }[]).map((r) => r.detail);
      const now = plan(statement!.sql, statement!.parameters);
      expect(now.filter((d) => /TEMP B-TREE/.test(d))).toEqual(['USE TEMP B-TREE FOR ORDER BY']);
      expect(now.some((d) => /COVERING INDEX case_parties_person/.test(d))).toBe(true);
      // The statement it replaced built two, the first over whole case rows.
      const old = wholeRowDistinct(registry, ids, null).compile();
      expect(plan(old.sql, old.parameters).filter((d) => /TEMP B-TREE/.test(d))).toEqual([
        'USE TEMP B-TREE FOR DISTINCT',
        'USE TEMP B-TREE FOR ORDER BY',
      ]);
    } finally {
      raw.close();
    }
  });
});

describe('a debtor named twice in one case (issue 18)', () => {
  it('lists that case once, as the whole-row DISTINCT statement did', async () => {
    const dir = copyTestProvince();
    const file = databaseFile(dir, 'case-registry');
    try {
      const [debtor] = caseHeavyDebtors(dir, 1);
      const raw = new Database(file);
      const party = raw
        .prepare(`select * from case_parties where person_id = ? and role = 'DEBTOR' order by case_number limit 1`)
        .get(debtor) as Record<string, unknown>;
      const last = raw
        .prepare(`select max(position) n from case_parties where case_number = ? and role = 'DEBTOR'`)
        .get(party.case_number) as { n: number };
      raw
        .prepare(`insert into case_parties values (@case_number, @role, @position, @person_id, @name, @name_key, @kind, @division_code)`)
        .run({
          ...party,
          position: last.n + 1,
        });
      raw.close();
      const registry = openCaseRegistrySqlite(file, { readonly: true });
      try {
        const [cases] = await registry.casesByDebtor([debtor!], null);
        expect(cases!.filter((c) => c.number === party.case_number)).toHaveLength(1);
        expect([cases]).toEqual(await reference(registry, [debtor!], null));
        expect(new Set(cases!.map((c) => c.number)).size).toBe(cases!.length);
      } finally {
        await registry.close();
      }
    } finally {
      rmSync(path.resolve(dir), { recursive: true, force: true });
    }
  });
});
