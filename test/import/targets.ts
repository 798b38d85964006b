import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, inject } from 'vitest';
import { importFile, type ImportOptions } from '../../importing/importFile';
import type { ImportReport } from '../../importing/validate';
import { DATABASE_URL_SETTINGS } from '../../lib/config';
import type { DatabaseSettings, Dialect } from '../../lib/database';
import { databaseFile, SYSTEMS, type SystemName } from '../../lib/dataFiles';
import { copyTestStore, type Records } from '../support/stores';

/**
 * Where an import test imports: on SQLite a data directory (its systems' files), on PostgreSQL a database per system in
 * the tests' server (and a data directory that stays without them). Empty (`emptyTarget`) or a copy of the test
 * province (`provinceTarget`). The same checks on both: the rows (`records`, SQL both dialects accept, `?` for
 * parameters) and a fingerprint of every table of a system, to prove "unchanged".
 */
export interface ImportTarget {
  dialect: Dialect;
  dir: string;
  databases: DatabaseSettings | undefined;
  /** The settings that put `npm run import` (a child process) on this target (`*_DATABASE_URL`; none on SQLite). */
  env: Record<string, string>;
  import: (system: SystemName, file: string, opts: Omit<ImportOptions, 'databases'>) => Promise<ImportReport>;
  records: (system: SystemName) => Records;
  fingerprint: (system: SystemName) => Promise<string>;
  drop: () => Promise<void>;
}

/** An empty target: no system written yet (the importer creates what it needs, as into an empty DATA_DIR). */
export async function emptyTarget(dialect: Dialect): Promise<ImportTarget> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'court-graph-import-'));
  if (dialect === 'sqlite') return target(dialect, dir, undefined, {}, async () => rmSync(dir, { recursive: true, force: true }));
  const server = inject('postgresServer');
  const tag = randomUUID().slice(0, 8);
  const urls: Record<string, string> = {};
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    for (const system of SYSTEMS) {
      const name = `import_${system.replace(/-/g, '_')}_${tag}`;
      await admin.query(`create database "${name}"`);
      const url = new URL(server);
      url.pathname = `/${name}`;
      urls[system] = url.toString();
    }
  } finally {
    await admin.end();
  }
  return target(dialect, dir, { urls, poolMax: 4, statementTimeoutMs: 30_000 }, envOf(urls), async () => {
    await dropDatabases(server, Object.values(urls));
    rmSync(dir, { recursive: true, force: true });
  });
}

/** A private copy of the test province on `dialect` (test/support/stores.ts copyTestStore). */
export async function provinceTarget(dialect: Dialect): Promise<ImportTarget> {
  const store = await copyTestStore(dialect);
  return target(dialect, store.dir, store.databases, store.env, () => store.drop(), store.records);
}

function envOf(urls: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(urls).map(([system, url]) => [DATABASE_URL_SETTINGS[system as keyof typeof DATABASE_URL_SETTINGS], url]),
  );
}

async function dropDatabases(server: string, urls: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    for (const url of urls) await client.query(`drop database if exists "${new URL(url).pathname.slice(1)}" with (force)`);
  } finally {
    await client.end();
  }
}

function target(
  dialect: Dialect,
  dir: string,
  databases: DatabaseSettings | undefined,
  env: Record<string, string>,
  remove: () => Promise<void>,
  storeRecords?: (system: SystemName) => Records,
): ImportTarget {
  const opened: Records[] = [];
  const records = (system: SystemName): Records => {
    if (storeRecords) return storeRecords(system);
    const r = dialect === 'sqlite' ? sqliteRecords(databaseFile(dir, system)) : postgresRecords(databases!.urls[system]!);
    opened.push(r);
    return r;
  };
  return {
    dialect,
    dir,
    databases,
    env,
    import: (system, file, opts) => importFile(system, file, dir, { ...opts, databases }),
    records,
    async fingerprint(system) {
      if (storeRecords) return fingerprintOf(dialect, storeRecords(system));
      const r = dialect === 'sqlite' ? sqliteRecords(databaseFile(dir, system)) : postgresRecords(databases!.urls[system]!);
      try {
        return await fingerprintOf(dialect, r);
      } finally {
        await r.close();
      }
    },
    async drop() {
      for (const r of opened.splice(0)) await r.close();
      await remove();
    },
  };
}

/** A hash of every row of every table (the migration record aside), each table in the order of its first columns. */
async function fingerprintOf(dialect: Dialect, records: Records): Promise<string> {
  const tables = (
    await records.all<{ name: string }>(
      dialect === 'sqlite'
        ? `select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name != 'schema_migrations' order by name`
        : `select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name != 'schema_migrations' order by table_name`,
    )
  ).map((t) => t.name);
  const hash = createHash('sha256');
  for (const t of tables) {
    const width = (await records.get<{ n: number }>(
      dialect === 'sqlite'
        ? `select count(*) as n from pragma_table_info(?)`
        : `select count(*) as n from information_schema.columns where table_schema = current_schema() and table_name = ?`,
      t,
    ))!.n;
    const order = [1, 2, 3].slice(0, width).join(', ');
    for (const row of await records.all(`select * from "${t}" order by ${order}`)) hash.update(`${t}:${JSON.stringify(row)}\n`);
  }
  return hash.digest('hex');
}

/** Opened at the first statement: the file may not exist before the first import. */
function sqliteRecords(file: string): Records {
  let db: Database.Database | null = null;
  const open = () => {
    if (!existsSync(file)) throw new Error(`no ${file} (nothing imported yet)`);
    return (db ??= new Database(file, { fileMustExist: true }));
  };
  return {
    all: async <T>(q: string, ...p: unknown[]) =>
      open()
        .prepare(q)
        .all(...p) as T[],
    get: async <T>(q: string, ...p: unknown[]) =>
      open()
        .prepare(q)
        .get(...p) as T | undefined,
    run: async (q, ...p) =>
      void open()
        .prepare(q)
        .run(...p),
    close: async () => void db?.close(),
  };
}

function postgresRecords(url: string): Records {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  const query = async (q: string, p: unknown[]) => {
    let i = 0;
    const result = await pool.query(
      q.replace(/\?/g, () => `$${++i}`),
      p,
    );
    // int8 as numbers, as SQLite gives them (the tests' figures are far below 2^53).
    const int8 = result.fields.filter((f) => f.dataTypeID === 20).map((f) => f.name);
    for (const row of result.rows as Record<string, unknown>[]) for (const k of int8) if (row[k] !== null) row[k] = Number(row[k]);
    return result.rows;
  };
  return {
    all: async <T>(q: string, ...p: unknown[]) => (await query(q, p)) as T[],
    get: async <T>(q: string, ...p: unknown[]) => (await query(q, p))[0] as T | undefined,
    run: async (q, ...p) => void (await query(q, p)),
    close: () => pool.end(),
  };
}

/** A fresh empty target per call, dropped after each test (call inside the describe of a dialect). */
export function freshTargets(dialect: Dialect): () => Promise<ImportTarget> {
  const made: ImportTarget[] = [];
  afterEach(async () => {
    for (const t of made.splice(0)) await t.drop();
  });
  return async () => {
    const t = await emptyTarget(dialect);
    made.push(t);
    return t;
  };
}
