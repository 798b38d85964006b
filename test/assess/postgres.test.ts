import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { assessProvince } from '../../jobs/assess';
import type { DatabaseSettings } from '../../lib/database';
import { databaseFile } from '../../lib/dataFiles';
import type { RunningGraph } from '../../scripts/graph';
import { copyTestProvince, startGraphOn, testDataDir, testToday } from '../support/graph';

/**
 * `npm run assess` with PostgreSQL-backed subgraphs (issue 16 item 3): the pass reads through the gateway and writes
 * the assessment index where the coordination subgraph reads it (its COORDINATION_DATABASE_URL database, not the
 * data directory's coordination.db), and the roster copy where the registry reads it. The same province judged on the
 * same day gives the index the SQLite pass gave the test province.
 */

const database = `assess_pg_${process.pid}`;
let admin: string;
let databases: DatabaseSettings;
let dir: string;
let graph: RunningGraph | undefined;

async function query<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  const urls = inject('postgresUrls');
  const u = new URL(urls.coordination!);
  u.pathname = '/postgres';
  admin = u.toString();
  await query(admin, `create database "${database}"`);
  u.pathname = `/${database}`;
  databases = { urls: { ...urls, coordination: u.toString() }, poolMax: 4, statementTimeoutMs: 60_000 };
  dir = copyTestProvince();
  // No SQLite index in the copy: whatever the pass writes there would show.
  rmSync(databaseFile(dir, 'coordination'), { force: true });
  graph = await startGraphOn(dir, { databases });
}, 120_000);

afterAll(async () => {
  await graph?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (admin) await query(admin, `drop database if exists "${database}" with (force)`).catch(() => {});
});

describe('npm run assess on PostgreSQL', () => {
  it('writes the index into the coordination database the subgraph reads, the same index as on SQLite', async () => {
    await assessProvince(graph!.gateway.url, await graph!.security.serviceToken(), dir, testToday(), { databases });
    const [onPostgres] = await query<{ n: number; rows: string }>(
      databases.urls.coordination!,
      `select count(*)::int as n, string_agg(debtor_id || ':' || rule_mask || ':' || coalesce(recommended_mode, '-'), ',' order by debtor_id) as rows from assessment_index`,
    );
    const raw = new Database(path.join(testDataDir(), 'coordination.db'), { readonly: true });
    const onSqlite = raw
      .prepare(
        `select count(*) as n, group_concat(debtor_id || ':' || rule_mask || ':' || coalesce(recommended_mode, '-'), ',') as rows
         from (select * from assessment_index order by debtor_id)`,
      )
      .get() as { n: number; rows: string };
    raw.close();
    expect(onSqlite.n).toBeGreaterThan(0);
    expect(onPostgres).toEqual(onSqlite);
    // Nothing of the index went to the data directory's SQLite file.
    const file = databaseFile(dir, 'coordination');
    const stray = (() => {
      try {
        const db = new Database(file, { readonly: true, fileMustExist: true });
        try {
          return (db.prepare('select count(*) as n from assessment_index').get() as { n: number }).n;
        } finally {
          db.close();
        }
      } catch {
        return 0;
      }
    })();
    expect(stray).toBe(0);
  }, 300_000);

  it('refreshes the roster copy in the registry database the registry reads', async () => {
    const [copy] = await query<{ n: number }>(databases.urls['case-registry']!, 'select count(*)::int as n from roster_copy');
    const [officers] = await query<{ n: number }>(databases.urls.personnel!, 'select count(*)::int as n from officers where active = 1');
    expect(copy!.n).toBeGreaterThan(0);
    expect(copy!.n).toBe(officers!.n);
  });
});
