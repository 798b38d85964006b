import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, SqliteDialect, sql, type CompiledQuery } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { rowsByShape } from '../../lib/sqlite';
import { SqliteReadWorker } from '../../lib/sqliteReadWorker';
import { storeFailureOf } from '../../lib/sqlite';

/**
 * lib/sqliteReadWorker.ts (ADR 31): a read on the worker's connection gives the rows the main connection gives, sees
 * what is committed, fails with SQLite's own code, refuses a write, and hands its statements back to the caller's
 * connection when the worker cannot run.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'read-worker-'));
const file = path.join(dir, 'store.db');
const raw = new Database(file);
raw.pragma('journal_mode = WAL');
raw.exec(`create table t (id integer primary key, name text, amount real, data blob, big integer, empty text);
  insert into t values (1, '四川建设', 12.5, x'00ff', 9007199254740993, null), (2, 'b', -0.0, x'', 2, 'x');`);
const db = new Kysely<{ t: Record<string, unknown> }>({ dialect: new SqliteDialect({ database: rowsByShape(raw) }) });
afterAll(() => {
  raw.close();
  rmSync(dir, { recursive: true, force: true });
});

const READS = [
  sql`select * from t order by id`,
  sql`select t.*, t.name as party_key, t.id as name from t order by id`,
  sql`select count(*) as n, group_concat(name) as names, sum(amount) as total from t where id > ${0}`,
  sql`select * from t where id > ${5}`,
];

const never = () => Promise.reject(new Error('the fallback was not to run'));

describe('SqliteReadWorker', () => {
  it('gives the rows the main connection gives, and reports each statement to onQuery', async () => {
    const logged: string[] = [];
    const worker = new SqliteReadWorker(file, { busyTimeoutMs: 1000, onQuery: (text) => logged.push(text) });
    try {
      for (const query of READS) {
        const compiled = query.compile(db) as CompiledQuery<Record<string, unknown>>;
        expect(await worker.all(compiled, never)).toEqual((await query.execute(db)).rows);
      }
      expect(logged).toEqual(READS.map((q) => q.compile(db).sql));
    } finally {
      await worker.close();
    }
  });

  it('sees a write once it is committed on the main connection', async () => {
    const worker = new SqliteReadWorker(file, { busyTimeoutMs: 1000 });
    const count = sql<{ n: number }>`select count(*) as n from t`.compile(db);
    try {
      expect(await worker.all(count, never)).toEqual([{ n: 2 }]);
      raw.prepare(`insert into t (id, name) values (3, 'c')`).run();
      expect(await worker.all(count, never)).toEqual([{ n: 3 }]);
    } finally {
      raw.prepare(`delete from t where id = 3`).run();
      await worker.close();
    }
  });

  it("fails a statement with SQLite's code, and refuses a write as a defect", async () => {
    const worker = new SqliteReadWorker(file, { busyTimeoutMs: 1000 });
    try {
      await expect(worker.all(sql`select * from missing`.compile(db), never)).rejects.toMatchObject({ code: 'SQLITE_ERROR' });
      const write = worker.all(sql`delete from t`.compile(db), never);
      await expect(write).rejects.toThrow('the read worker runs read-only statements only');
      // A defect of the caller's, not the store's.
      expect(storeFailureOf(await write.catch((e: unknown) => e))).toBeNull();
      expect(raw.prepare(`select count(*) n from t`).get()).toEqual({ n: 2 });
      // Still running after a failed statement.
      expect(worker.running).toBe(true);
      expect(await worker.all(sql<{ n: number }>`select count(*) as n from t`.compile(db), never)).toEqual([{ n: 2 }]);
    } finally {
      await worker.close();
    }
  });

  it("runs its statements on the caller's connection when the worker cannot open the file", async () => {
    const worker = new SqliteReadWorker(path.join(dir, 'no-such.db'), { busyTimeoutMs: 1000 });
    const query = sql<{ n: number }>`select count(*) as n from t`;
    const onConnection = async () => (await query.execute(db)).rows;
    try {
      // The statement may be posted before the worker fails to start: it is handed back either way.
      expect(await worker.all(query.compile(db), onConnection)).toEqual([{ n: 2 }]);
      expect(worker.running).toBe(false);
      expect(await worker.all(query.compile(db), onConnection)).toEqual([{ n: 2 }]);
    } finally {
      await worker.close();
    }
  });

  it('rejects what it was running when the store is closed', async () => {
    const worker = new SqliteReadWorker(file, { busyTimeoutMs: 1000 });
    const pending = worker.all(sql`select * from t`.compile(db), never);
    await worker.close();
    await expect(pending).rejects.toThrow('the store was closed');
  });
});
