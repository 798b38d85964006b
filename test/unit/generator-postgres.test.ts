import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresSettings } from '../../lib/database';
import { databaseFile, SYSTEMS, type SystemName } from '../../lib/dataFiles';
import { MIGRATIONS_TABLE, migratePostgresDatabase } from '../../lib/migrations';
import { BulkLoadRefused } from '../../lib/postgresBulk';
import { assertPostgresTargetsEmpty, loadProvinceIntoPostgres } from '../../seed/postgres';
import { generateProvince } from '../../seed/province';
import { STORE_MIGRATIONS } from '../../subgraphs';
import { startTestPostgres, type TestPostgres } from '../support/postgres';

/**
 * `npm run seed` on PostgreSQL (issue 16 item 3): the generated province COPYed into the tests' PostgreSQL server is
 * the SQLite one row for row (a digest of every table's rows, as text, in a canonical order), with the schema of the
 * same migrations (recorded as applied: a store opening on it migrates nothing), indexes and planner statistics; a
 * database holding rows is refused unless forced.
 */

let dataDir: string;
let server: TestPostgres | null = null;
const targets: Partial<Record<SystemName, PostgresSettings>> = {};

/** Each row's values as text (null as null), rows sorted: the same on both engines for the same rows. */
function digest(rows: unknown[][]): string {
  const lines = rows.map((r) => JSON.stringify(r.map((v) => (v === null ? null : String(v))))).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

async function postgresRows(url: string, table: string, columns: string[]): Promise<unknown[][]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query({ text: `select ${columns.map((c) => `"${c}"`).join(', ')} from "${table}"`, rowMode: 'array' });
    return rows as unknown[][];
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  server = await startTestPostgres();
  for (const system of SYSTEMS)
    targets[system] = { url: await server.createDatabase(system.replace(/-/g, '_')), poolMax: 2, statementTimeoutMs: 30_000 };
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'seed-pg-'));
  await generateProvince({ dataDir, cases: 600, seed: 11, asOf: '2026-06-30' });
  await loadProvinceIntoPostgres(dataDir, targets);
}, 300_000);

afterAll(async () => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  await server?.stop();
});

describe('the seeder on PostgreSQL', () => {
  it.each(SYSTEMS)('%s: every table holds the rows of the generated SQLite file', async (system) => {
    const raw = new Database(databaseFile(dataDir, system), { readonly: true });
    try {
      const tables = (
        raw
          .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name != ?`)
          .all(MIGRATIONS_TABLE) as {
          name: string;
        }[]
      ).map((t) => t.name);
      expect(tables).toContain(system === 'case-registry' ? 'cases' : system === 'personnel' ? 'officers' : 'properties');
      let total = 0;
      for (const table of tables) {
        const columns = (raw.prepare(`select name from pragma_table_info(?) order by cid`).all(table) as { name: string }[]).map(
          (c) => c.name,
        );
        const sqliteRows = raw
          .prepare(`select ${columns.map((c) => `"${c}"`).join(', ')} from "${table}"`)
          .raw()
          .all() as unknown[][];
        const pgRows = await postgresRows(targets[system]!.url, table, columns);
        expect({ table, n: pgRows.length, digest: digest(pgRows) }).toEqual({ table, n: sqliteRows.length, digest: digest(sqliteRows) });
        total += sqliteRows.length;
      }
      expect(total).toBeGreaterThan(600);
    } finally {
      raw.close();
    }
  });

  it('records every schema step, so a store opening there migrates nothing; indexes built and tables analysed', async () => {
    for (const system of SYSTEMS) {
      const { db } = openPostgres(targets[system]!);
      try {
        expect(await migratePostgresDatabase(db, system, STORE_MIGRATIONS[system]!)).toEqual([]);
      } finally {
        await db.destroy();
      }
    }
    const client = new pg.Client({ connectionString: targets['case-registry']!.url });
    await client.connect();
    try {
      const indexes = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_indexes where schemaname = current_schema() and tablename = 'cases' and indexname not like '%_pkey'`,
      );
      expect(indexes.rows[0]!.n).toBeGreaterThan(0);
      const analysed = await client.query<{ last_analyze: Date | null }>(
        `select last_analyze from pg_stat_user_tables where relname = 'cases'`,
      );
      expect(analysed.rows[0]!.last_analyze).not.toBeNull();
    } finally {
      await client.end();
    }
  });

  it('refuses a database holding rows unless forced, and leaves it as it was', async () => {
    const count = async () => {
      const rows = await postgresRows(targets.personnel!.url, 'officers', ['id']);
      return rows.length;
    };
    const before = await count();
    await expect(loadProvinceIntoPostgres(dataDir, { personnel: targets.personnel })).rejects.toThrow(BulkLoadRefused);
    // What npm run seed checks before it generates anything.
    await expect(assertPostgresTargetsEmpty({ personnel: targets.personnel })).rejects.toThrow(
      /personnel: its PostgreSQL table officers holds rows/,
    );
    expect(await count()).toBe(before);
    await loadProvinceIntoPostgres(dataDir, { personnel: targets.personnel }, { force: true });
    expect(await count()).toBe(before);
  });
});
