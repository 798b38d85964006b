import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../lib/sqlite';
import { storeFailureOf, WriteTransactions } from '../../lib/writeTransaction';

/**
 * Issue 16 item 1: a write is one transaction on one connection of the Kysely instance the reads use, and no read in
 * the process sees it before it commits.
 */

interface Db {
  items: { id: number; label: string };
}

let dir: string;
let file: string;
let db: Kysely<Db>;
let writes: WriteTransactions<Db>;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'write-tx-'));
  file = path.join(dir, 'items.db');
  db = openSqlite<Db>(file, {
    ddl: 'create table if not exists items (id integer primary key, label text not null);',
    busyTimeoutMs: 300,
  }).db;
  writes = new WriteTransactions(db, 300);
});

afterEach(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setTimeout(r, 30));
  return done;
};

describe('issue 16 item 1: WriteTransactions on SQLite', () => {
  it('a read through the same instance waits for the write, and never sees the rows it rolled back', async () => {
    let read: Promise<{ id: number }[]> | null = null;
    await expect(
      writes.run(async (tx) => {
        await tx.insertInto('items').values({ id: 1, label: 'uncommitted' }).execute();
        read = db.selectFrom('items').select('id').execute();
        expect(await settled(read)).toBe(false);
        throw new Error('fails midway');
      }),
    ).rejects.toThrow('fails midway');
    expect(await read!).toEqual([]);
  });

  it('a read waiting on a write sees it once committed, and a second write queues behind the first', async () => {
    const order: string[] = [];
    const first = writes.run(async (tx) => {
      await tx.insertInto('items').values({ id: 1, label: 'first' }).execute();
      await new Promise((r) => setTimeout(r, 20));
      order.push('first');
    });
    const second = writes.run(async (tx) => {
      const n = await tx
        .selectFrom('items')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      order.push(`second saw ${n.n}`);
      await tx.insertInto('items').values({ id: 2, label: 'second' }).execute();
    });
    const read = db.selectFrom('items').select('id').orderBy('id').execute();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second saw 1']);
    // The read was asked for while both writes were queued: it ran after them, on committed rows only.
    expect(await read).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await db.selectFrom('items').select('id').orderBy('id').execute()).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('takes the write lock before reading (BEGIN IMMEDIATE): another connection holding it (as another process would) makes the write fail as busy', async () => {
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const err = await writes.run(async (tx) => tx.selectFrom('items').selectAll().execute()).catch((e: unknown) => e);
      expect(storeFailureOf(err)).toBe('busy');
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      // A write told not to wait fails at once, and the store's own wait is back for the next one.
      const quick = Date.now();
      expect(storeFailureOf(await writes.run(async () => 1, { lockWaitMs: 0 }).catch((e: unknown) => e))).toBe('busy');
      expect(Date.now() - quick).toBeLessThan(200);
      expect((await db.selectNoFrom((eb) => eb.val(1).as('one')).execute()).length).toBe(1);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await writes.run(async (tx) => (await tx.insertInto('items').values({ id: 3, label: 'after' }).execute()).length)).toBe(1);
  });

  it('classifies PostgreSQL store failures by SQLSTATE, and leaves a constraint violation to the caller', () => {
    expect(storeFailureOf({ code: '55P03' })).toBe('busy');
    expect(storeFailureOf({ code: '40001' })).toBe('busy');
    expect(storeFailureOf({ code: '25006' })).toBe('not-writable');
    expect(storeFailureOf({ code: '23505' })).toBeNull();
    expect(storeFailureOf({ code: 'SQLITE_BUSY' })).toBe('busy');
    expect(storeFailureOf(new Error('no code'))).toBeNull();
  });
});
