import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { COURTS } from '../../domain/sichuan';
import { SqliteStatements } from '../../lib/sqlite';
import type { CaseRegistryDatabase } from '../../subgraphs/case-registry/sources/ddl';
import { migrateCaseRegistry } from '../../subgraphs/case-registry/sources/sqlite';
import { caseRegistryWriters, courtRow } from '../../subgraphs/case-registry/sources/tables';
import { migrateTransferWorkflow } from '../../subgraphs/case-registry/sources/workflowSqlite';

/** Issue 12 items 1 and 2: the registry's adapter carries only the registry; every table has one writer of its rows. */

const dir = mkdtempSync(path.join(os.tmpdir(), 'sources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tablesOf = (db: Database.Database) =>
  (
    db.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`).all() as { name: string }[]
  ).map((t) => t.name);

describe('issue 12: the case registry and the transfer workflow', () => {
  it("migrates the registry's own tables only; the workflow brings its tables and its write bookkeeping itself", () => {
    const db = new Database(path.join(dir, 'registry.db'));
    migrateCaseRegistry(db);
    expect(tablesOf(db)).toEqual([
      'case_excluded_periods',
      'case_number_counters',
      'case_parties',
      'case_supervision_orders',
      'cases',
      'complaints',
      'conduct_events',
      'courts',
      'external_cases',
      'party_name_grams', // the name index in table form (ADR 26)
      'person_name_grams',
      'persons',
      'schema_migrations',
    ]);
    migrateTransferWorkflow(db);
    expect(tablesOf(db)).toEqual([
      'audit_log',
      'case_excluded_periods',
      'case_number_counters',
      'case_parties',
      'case_supervision_orders',
      'cases',
      'complaints',
      'conduct_events',
      'courts',
      'external_cases',
      'idempotency_keys',
      'party_name_grams',
      'person_name_grams',
      'persons',
      'roster_copy',
      'schema_migrations',
      'supervision_events',
      'transfer_cases',
      'transfers',
    ]);
    db.close();
  });

  it('writes typed rows by column name, upserts on the key, and leaves an existing court alone when asked to', () => {
    const db = new Database(path.join(dir, 'writers.db'));
    migrateCaseRegistry(db);
    const rows = caseRegistryWriters(new SqliteStatements<CaseRegistryDatabase>(db));
    const high = COURTS.find((c) => c.code === '川')!;
    rows.court(courtRow(high));
    rows.courtIfMissing({ ...courtRow(high), name: 'renamed' });
    expect(db.prepare('select * from courts').all()).toEqual([
      { code: '川', name: high.name, level: 'HIGH', prefecture: null, parent: null, division_code: high.divisionCode, special: 0 },
    ]);
    rows.person({ id: 'P1', kind: 'NATURAL_PERSON', name: '张三', name_key: '张三', division_code: null, out_of_province: 0 });
    rows.upsertPerson({
      id: 'P1',
      kind: 'NATURAL_PERSON',
      name: '张三丰',
      name_key: '张三丰',
      division_code: '510104',
      out_of_province: 0,
    });
    expect(db.prepare('select * from persons').all()).toEqual([
      { id: 'P1', kind: 'NATURAL_PERSON', name: '张三丰', name_key: '张三丰', division_code: '510104', out_of_province: 0 },
    ]);
    db.close();
  });
});
