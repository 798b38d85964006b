import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { inject } from 'vitest';
import { DATABASE_URL_SETTINGS } from '../../lib/config';
import type { DatabaseSettings, Dialect } from '../../lib/database';
import { type COORDINATION_DB, databaseFile, type SystemName } from '../../lib/dataFiles';
import { copyTestProvince } from './graph';

/**
 * A private, writable copy of the test province on one dialect, for test files that write. On SQLite: a copied data
 * directory (copyTestProvince). On PostgreSQL: the same directory (the keys; its SQLite files go unused) and a fresh
 * database per system in the tests' one server, made from the global set-up's templates by CREATE DATABASE … TEMPLATE
 * (a file copy inside the server: no second server, no reload of the province).
 */
export interface TestStore {
  dialect: Dialect;
  dir: string;
  /** The subgraph option that puts the graph's in-process subgraphs on this store (undefined on SQLite). */
  databases: DatabaseSettings | undefined;
  /** The settings a subgraph process needs to run on this store (`*_DATABASE_URL`; empty on SQLite). */
  env: Record<string, string>;
  /** A reader (and writer) of one system's records, the same SQL on both dialects (`?` placeholders). */
  records: (system: StoredSystem) => Records;
  drop: () => Promise<void>;
}

/** The systems with a store of their own: the three existing systems and coordination's assessment index. */
export type StoredSystem = SystemName | typeof COORDINATION_DB;

export async function copyTestStore(dialect: Dialect): Promise<TestStore> {
  const dir = copyTestProvince();
  const opened: Records[] = [];
  const remember = (r: Records) => (opened.push(r), r);
  if (dialect === 'sqlite') {
    return {
      dialect,
      dir,
      databases: undefined,
      env: {},
      records: (system) => remember(sqliteRecords(databaseFile(dir, system))),
      async drop() {
        for (const r of opened) await r.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const server = inject('postgresServer');
  const tag = randomUUID().slice(0, 8);
  const urls: Record<string, string> = {};
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    for (const [system, url] of Object.entries(inject('postgresUrls'))) {
      const source = new URL(url).pathname.slice(1);
      const name = `${source}_${tag}`;
      await admin.query(`create database "${name}" template "${source}_template"`);
      const copy = new URL(url);
      copy.pathname = `/${name}`;
      urls[system] = copy.toString();
    }
  } finally {
    await admin.end();
  }
  const env = Object.fromEntries(
    Object.entries(urls).map(([system, url]) => [DATABASE_URL_SETTINGS[system as keyof typeof DATABASE_URL_SETTINGS], url]),
  );
  return {
    dialect,
    dir,
    databases: { urls, poolMax: 4, statementTimeoutMs: 30_000 },
    env,
    records: (system) => {
      const url = urls[system];
      if (!url) throw new Error(`${system} has no PostgreSQL copy`);
      return remember(postgresRecords(url));
    },
    async drop() {
      for (const r of opened) await r.close();
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      try {
        for (const url of Object.values(urls))
          await client.query(`drop database if exists "${new URL(url).pathname.slice(1)}" with (force)`);
      } finally {
        await client.end();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One system's records as the tests check them: rows by SQL both dialects accept, `?` for each parameter. */
export interface Records {
  all: <T = Record<string, unknown>>(sqlText: string, ...params: unknown[]) => Promise<T[]>;
  get: <T = Record<string, unknown>>(sqlText: string, ...params: unknown[]) => Promise<T | undefined>;
  run: (sqlText: string, ...params: unknown[]) => Promise<void>;
  close: () => Promise<void>;
}

/** `?, ?, …` for `n` values, to spread a list into an `in (…)`. */
export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

function sqliteRecords(file: string): Records {
  const db = new Database(file, { fileMustExist: true });
  return {
    all: async <T>(q: string, ...p: unknown[]) => db.prepare(q).all(...p) as T[],
    get: async <T>(q: string, ...p: unknown[]) => db.prepare(q).get(...p) as T | undefined,
    run: async (q, ...p) => void db.prepare(q).run(...p),
    close: async () => void db.close(),
  };
}

/** int8 (count(*), bigint columns) as numbers, as SQLite gives them; the tests' figures are far below 2^53. */
const INT8 = 20;

function postgresRecords(url: string): Records {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // An idle connection ended by the server (the copy dropped `with (force)` at teardown) is no test's failure.
  pool.on('error', () => {});
  const query = async (q: string, p: unknown[]) => {
    let i = 0;
    const result = await pool.query(
      q.replace(/\?/g, () => `$${++i}`),
      p,
    );
    const int8 = result.fields.filter((f) => f.dataTypeID === INT8).map((f) => f.name);
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
