import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPostgres } from '../../lib/database';
import { MIGRATIONS_TABLE, migratePostgresDatabase, migrateSqliteDatabase } from '../../lib/migrations';
import { storeFailureOf } from '../../lib/sqlite';
import { STORE_MIGRATIONS } from '../../subgraphs';
import { SUBGRAPHS } from '../../subgraphs/catalogue';
import { testDataDir } from '../support/graph';

/** Issue 16 items 1 and 2: the schema steps, the pool's settings and the store failures on a real PostgreSQL server. */
const server = () => inject('postgresServer');
let url: string;

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: server() });
  await admin.connect();
  const database = `store_${process.pid}_${Date.now()}`;
  await admin.query(`create database "${database}"`);
  await admin.end();
  const u = new URL(server());
  u.pathname = `/${database}`;
  url = u.toString();
});

describe('the schema steps', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'court-graph-schema-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const schemaOf = (db: Database.Database) =>
    db
      .prepare(`select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite_%' and name != ? order by type, name`)
      .all(MIGRATIONS_TABLE);

  it.each(['case-registry', 'property-control', 'personnel'] as const)(
    "the seeder's bulk load makes %s the schema its migrations make on an empty file",
    (system) => {
      const seeded = new Database(path.join(testDataDir(), `${system}.db`), { readonly: true, fileMustExist: true });
      const migrated = new Database(path.join(dir, `${system}.db`));
      try {
        expect(migrateSqliteDatabase(migrated, STORE_MIGRATIONS[system]!)).toEqual(STORE_MIGRATIONS[system]!.map((m) => m.name));
        expect(schemaOf(migrated)).toEqual(schemaOf(seeded));
        const steps = (db: Database.Database) => db.prepare(`select name from ${MIGRATIONS_TABLE} order by name`).all();
        expect(steps(seeded)).toEqual(steps(migrated));
      } finally {
        seeded.close();
        migrated.close();
      }
    },
  );

  it('replicas migrating one PostgreSQL database at once apply each step once', async () => {
    const migrations = SUBGRAPHS.flatMap(({ name }) => STORE_MIGRATIONS[name] ?? []).filter(
      (m, i, all) => all.findIndex((o) => o.name === m.name) === i,
    );
    const replicas = [1, 2, 3].map(() => openPostgres({ url, poolMax: 2, statementTimeoutMs: 30_000 }).db);
    try {
      const applied = await Promise.all(replicas.map((db) => migratePostgresDatabase(db, 'all', migrations)));
      expect(applied.flat().sort()).toEqual(migrations.map((m) => m.name).sort());
      expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
      expect(await migratePostgresDatabase(replicas[0]!, 'all', migrations)).toEqual([]);
    } finally {
      await Promise.all(replicas.map((db) => db.destroy()));
    }
  });
});

describe('the pool and its failures', () => {
  it('reads COUNT and BIGINT sums as numbers, as SQLite returns them', async () => {
    const { db } = openPostgres({ url, poolMax: 1, statementTimeoutMs: 30_000 });
    try {
      const { rows } = await sql<{
        n: unknown;
        s: unknown;
      }>`select count(*) as n, sum(x) as s from (values (2147483647::bigint), (10::bigint)) v(x)`.execute(db);
      expect(rows).toEqual([{ n: 2, s: 2147483657 }]);
    } finally {
      await db.destroy();
    }
  });

  it('cancels a statement past DATABASE_STATEMENT_TIMEOUT_MS, reported as a busy store', async () => {
    const { db } = openPostgres({ url, poolMax: 1, statementTimeoutMs: 200 });
    try {
      const started = Date.now();
      const err = await sql`select pg_sleep(5)`.execute(db).then(
        () => null,
        (e: unknown) => e,
      );
      expect(Date.now() - started).toBeLessThan(3000);
      expect((err as { code?: string }).code).toBe('57014');
      expect(storeFailureOf(err)).toBe('busy');
    } finally {
      await db.destroy();
    }
  });

  it('holds at most DATABASE_POOL_MAX connections, whatever the concurrent statements', async () => {
    const { db } = openPostgres({ url, poolMax: 2, statementTimeoutMs: 30_000 });
    const name = new URL(url).pathname.slice(1);
    try {
      const counts = await Promise.all(
        Array.from({ length: 8 }, () =>
          sql<{
            n: number;
          }>`select count(*) as n from pg_stat_activity where datname = ${name} and application_name = 'court-enforcement-graph' and pg_sleep(0.05) is not null`.execute(
            db,
          ),
        ),
      );
      expect(Math.max(...counts.map((c) => c.rows[0]!.n))).toBeLessThanOrEqual(2);
    } finally {
      await db.destroy();
    }
  });

  it('reports a database that cannot be reached as a store that cannot be written', async () => {
    const u = new URL(url);
    u.port = '1';
    const { db } = openPostgres({ url: u.toString(), poolMax: 1, statementTimeoutMs: 1000, connectTimeoutMs: 2000 });
    try {
      const err = await sql`select 1`.execute(db).then(
        () => null,
        (e: unknown) => e,
      );
      expect(storeFailureOf(err)).toBe('not-writable');
    } finally {
      await db.destroy();
    }
  });

  it("reports a role's missing privilege as a store that cannot be written", async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const role = `reader_${process.pid}`;
    try {
      await admin.query(`create table if not exists guarded (id bigint primary key)`);
      await admin.query(`drop role if exists ${role}`);
      await admin.query(`create role ${role} login password 'r'`);
      await admin.query(`grant select on guarded to ${role}`);
      const u = new URL(url);
      u.username = role;
      u.password = 'r';
      const { db } = openPostgres({ url: u.toString(), poolMax: 1, statementTimeoutMs: 1000 });
      try {
        const err = await sql`insert into guarded (id) values (1)`.execute(db).then(
          () => null,
          (e: unknown) => e,
        );
        expect((err as { code?: string }).code).toBe('42501');
        expect(storeFailureOf(err)).toBe('not-writable');
      } finally {
        await db.destroy();
      }
    } finally {
      await admin.query(`drop table if exists guarded`);
      await admin.query(`drop role if exists ${role}`);
      await admin.end();
    }
  });
});
