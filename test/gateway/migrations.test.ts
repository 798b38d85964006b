import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MIGRATIONS_TABLE } from '../../lib/migrations';
import type { RunningGraph } from '../../scripts/graph';
import { migrateDataDir, MigrateDataRefused } from '../../scripts/migrateData';
import { STORE_MIGRATIONS, migrateSubgraphStore } from '../../subgraphs';
import { NAME_GRAM_TABLES } from '../../subgraphs/case-registry/sources/migrations';
import { SUBGRAPHS, type SubgraphName } from '../../subgraphs/catalogue';
import { postGraphQL, startTestGraph, testDataDir } from '../support/graph';
import { DEBTOR_WALK } from '../support/operations';
import { ROOT } from '../support/processes';

/**
 * Issue 16 items 2 and 7: a data directory written by the previous release (commit db05183: its seeder, then its
 * `npm run assess`; test/fixtures/release-db05183.tar.gz, 200 cases) is brought up to date by the versioned
 * migrations and serves; `npm run migrate` does the same ahead of a start; `migrate-data` copies it into PostgreSQL,
 * where the graph serves the same answers.
 */
const FIXTURE = path.join(ROOT, 'test/fixtures/release-db05183.tar.gz');
const dirs: string[] = [];

/** The previous release's data directory, unpacked afresh, with the test province's keys (so test tokens verify). */
function previousRelease(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'court-graph-prev-'));
  dirs.push(dir);
  execFileSync('tar', ['xzf', FIXTURE, '-C', dir]);
  cpSync(path.join(testDataDir(), 'keys'), path.join(dir, 'keys'), { recursive: true });
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const tablesOf = (db: Database.Database) =>
  (
    db
      .prepare(`select name from pragma_table_list where schema = 'main' and type = 'table' and name not like 'sqlite_%' order by name`)
      .all() as { name: string }[]
  ).map((t) => t.name);

function appliedIn(dir: string, system: SubgraphName): string[] {
  const db = new Database(path.join(dir, `${system}.db`), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`select name from ${MIGRATIONS_TABLE} order by rowid`).all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

/** The debtor named in most cases of a data directory, and the walk's answer for it through a graph on `dataDir`. */
function busiestDebtor(dir: string): string {
  const db = new Database(path.join(dir, 'case-registry.db'), { readonly: true, fileMustExist: true });
  try {
    return (
      db
        .prepare(
          `select person_id id from case_parties where role = 'DEBTOR' and person_id is not null group by person_id order by count(*) desc, person_id limit 1`,
        )
        .get() as { id: string }
    ).id;
  } finally {
    db.close();
  }
}

async function walk(graph: RunningGraph, id: string) {
  const { status, body } = await postGraphQL<{ debtor: { id: string; cases: { number: string }[] } }>(graph.gateway.url, DEBTOR_WALK, {
    id,
  });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.data!;
}

describe('a data directory of the previous release (db05183)', () => {
  it('has no migration record and lacks what this version adds; on start every store is brought up to date and serves', async () => {
    const dir = previousRelease();
    const before = new Database(path.join(dir, 'case-registry.db'), { readonly: true });
    expect(tablesOf(before)).not.toContain(MIGRATIONS_TABLE);
    before.close();

    const graph = await startTestGraph({}, { dataDir: dir });
    try {
      for (const { name } of SUBGRAPHS) expect(appliedIn(dir, name), name).toEqual(STORE_MIGRATIONS[name]!.map((m) => m.name));
      const id = busiestDebtor(dir);
      const data = await walk(graph, id);
      expect(data.debtor.id).toBe(id);
      expect(data.debtor.cases.length).toBeGreaterThan(0);
    } finally {
      await graph.close();
    }
    // Once up to date, nothing is left to apply.
    for (const { name } of SUBGRAPHS) expect(await migrateSubgraphStore(name, dir)).toEqual([]);
  });

  it('`npm run migrate` brings it up to date ahead of a start, then finds nothing to do', () => {
    const dir = previousRelease();
    const run = () =>
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/migrate.ts'], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
      });
    const first = run();
    for (const { name } of SUBGRAPHS) expect(first).toContain(`${name}: ${dir}/${name}.db: applied ${STORE_MIGRATIONS[name]![0]!.name}`);
    expect(appliedIn(dir, 'property-control')).toEqual(STORE_MIGRATIONS['property-control']!.map((m) => m.name));
    const second = run();
    for (const { name } of SUBGRAPHS) expect(second).toContain(`${name}: ${dir}/${name}.db: up to date`);
  });
});

describe('migrate-data: the previous release copied into PostgreSQL', () => {
  const server = () => inject('postgresServer');
  let targets: Record<SubgraphName, { url: string; poolMax: number; statementTimeoutMs: number }>;
  let dir: string;

  beforeAll(async () => {
    dir = previousRelease();
    const admin = new pg.Client({ connectionString: server() });
    await admin.connect();
    const suffix = `${process.pid}_${Date.now()}`;
    targets = {} as typeof targets;
    try {
      for (const { name } of SUBGRAPHS) {
        const database = `prev_${name.replace(/-/g, '_')}_${suffix}`;
        await admin.query(`create database "${database}"`);
        const url = new URL(server());
        url.pathname = `/${database}`;
        targets[name] = { url: url.toString(), poolMax: 2, statementTimeoutMs: 30_000 };
      }
    } finally {
      await admin.end();
    }
  });

  it('copies every table row for row, migrates both ends to the same step, and the graph on PostgreSQL answers as on SQLite', async () => {
    const report = await migrateDataDir(dir, targets);
    for (const { name } of SUBGRAPHS) {
      const sqlite = new Database(path.join(dir, `${name}.db`), { readonly: true });
      const client = new pg.Client({ connectionString: targets[name].url });
      await client.connect();
      try {
        const tables = tablesOf(sqlite).filter((t) => t !== MIGRATIONS_TABLE);
        // The name grams (ADR 26) are derived: not copied, but filled by PostgreSQL's triggers to the same rows.
        const derived: readonly string[] = NAME_GRAM_TABLES;
        expect(Object.keys(report[name]!).sort()).toEqual(tables.filter((t) => !derived.includes(t)));
        for (const table of tables) {
          const rows = (sqlite.prepare(`select count(*) n from "${table}"`).get() as { n: number }).n;
          const copied = Number((await client.query(`select count(*) n from "${table}"`)).rows[0].n);
          expect(copied, `${name}.${table}`).toBe(rows);
          if (!derived.includes(table)) expect(report[name]![table], `${name}.${table}`).toBe(rows);
        }
        const steps = (await client.query(`select name from ${MIGRATIONS_TABLE} order by name`)).rows.map((r: { name: string }) => r.name);
        expect(steps).toEqual(STORE_MIGRATIONS[name]!.map((m) => m.name).sort());
      } finally {
        sqlite.close();
        await client.end();
      }
    }
    expect(report['case-registry']!.cases).toBe(200);

    const id = busiestDebtor(dir);
    const onSqlite = await startTestGraph({}, { dataDir: dir });
    const onPostgres = await startTestGraph(
      {
        databases: {
          urls: Object.fromEntries(Object.entries(targets).map(([n, t]) => [n, t.url])),
          poolMax: 2,
          statementTimeoutMs: 30_000,
        },
      },
      { dataDir: dir },
    );
    try {
      expect(await walk(onPostgres, id)).toEqual(await walk(onSqlite, id));
    } finally {
      await onSqlite.close();
      await onPostgres.close();
    }
  });

  it('refuses to copy into a database that already holds rows, and writes nothing', async () => {
    const client = new pg.Client({ connectionString: targets.personnel.url });
    await client.connect();
    try {
      const before = Number((await client.query('select count(*) n from officers')).rows[0].n);
      expect(before).toBeGreaterThan(0);
      await expect(migrateDataDir(dir, { personnel: targets.personnel })).rejects.toThrow(MigrateDataRefused);
      expect(Number((await client.query('select count(*) n from officers')).rows[0].n)).toBe(before);
    } finally {
      await client.end();
    }
  });
});
