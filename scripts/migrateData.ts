import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { openPostgres, type PostgresSettings } from '../lib/database';
import { MIGRATIONS_TABLE, derivedTablesOf, migratePostgresDatabase, migrateSqliteDatabase, type Migration } from '../lib/migrations';
import { SUBGRAPHS, type SubgraphName } from '../subgraphs/catalogue';
import { STORE_MIGRATIONS } from '../subgraphs';

/** What `npm run migrate-data` copied: per system, rows per table. */
export type CopyReport = Partial<Record<SubgraphName, Record<string, number>>>;

/** PostgreSQL's limit on one statement's bound parameters. */
const MAX_PARAMETERS = 65_535;

export class MigrateDataRefused extends Error {}

/**
 * Copies a SQLite data directory into PostgreSQL, one system at a time, for the systems given a URL: the SQLite file
 * is first brought up to the latest schema step, the PostgreSQL database migrated to the same step, then every table
 * copied in key order in ONE transaction per system (a failure leaves that database as it was). A target table that
 * already holds rows is refused: the tool copies into empty databases, it never merges. Identity sequences are moved
 * past the copied ids.
 */
export async function migrateDataDir(
  dataDir: string,
  targets: Partial<Record<SubgraphName, PostgresSettings>>,
  onProgress: (system: SubgraphName, table: string, rows: number) => void = () => {},
): Promise<CopyReport> {
  const report: CopyReport = {};
  for (const { name } of SUBGRAPHS) {
    const target = targets[name];
    if (!target) continue;
    const file = path.join(dataDir, `${name}.db`);
    if (!existsSync(file)) throw new MigrateDataRefused(`${file}: no SQLite database for ${name} in ${dataDir}`);
    const migrations = STORE_MIGRATIONS[name];
    if (!migrations) throw new MigrateDataRefused(`${name} has no schema steps for PostgreSQL (subgraphs/index.ts STORE_MIGRATIONS)`);
    const raw = new Database(file);
    const { db } = openPostgres<Record<string, Record<string, unknown>>>(target);
    try {
      migrateSqliteDatabase(raw, migrations);
      await migratePostgresDatabase(db, name, migrations);
      report[name] = await copySystem(raw, db, migrations, (table, rows) => onProgress(name, table, rows));
    } finally {
      raw.close();
      await db.destroy();
    }
  }
  return report;
}

async function copySystem(
  raw: Database.Database,
  db: Kysely<Record<string, Record<string, unknown>>>,
  migrations: readonly Migration[],
  progress: (table: string, rows: number) => void,
): Promise<Record<string, number>> {
  const tables = (
    raw
      // Ordinary tables only (no virtual table or its shadow tables).
      .prepare(
        `select name from pragma_table_list where schema = 'main' and type = 'table' and name not like 'sqlite_%' and name != ? order by name`,
      )
      .all(MIGRATIONS_TABLE) as { name: string }[]
  )
    .map((t) => t.name)
    // Derived tables (the name grams, ADR 26) are not copied: the target's triggers fill them from the copied rows.
    .filter((t) => !derivedTablesOf(migrations).has(t));
  const counts: Record<string, number> = {};
  await db.transaction().execute(async (tx) => {
    for (const table of tables) {
      const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(tx);
      if (rows[0]!.n > 0)
        throw new MigrateDataRefused(
          `${table} already holds ${rows[0]!.n} rows in the PostgreSQL database; migrate-data copies into empty databases only`,
        );
      const columns = raw.prepare(`select name, pk from pragma_table_info(?) order by cid`).all(table) as { name: string; pk: number }[];
      const keys = columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => `"${c.name}"`);
      const order = keys.length ? keys.join(', ') : 'rowid';
      const batch = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length) - 1);
      let pending: Record<string, unknown>[] = [];
      let copied = 0;
      const flush = async () => {
        if (pending.length === 0) return;
        await tx.insertInto(table).values(pending).execute();
        copied += pending.length;
        pending = [];
        progress(table, copied);
      };
      for (const row of raw.prepare(`select * from "${table}" order by ${order}`).iterate() as Iterable<Record<string, unknown>>) {
        pending.push(row);
        if (pending.length >= batch) await flush();
      }
      await flush();
      counts[table] = copied;
      const identity = await sql<{ column_name: string }>`select column_name from information_schema.columns
        where table_schema = current_schema() and table_name = ${table} and is_identity = 'YES'`.execute(tx);
      for (const { column_name } of identity.rows) {
        await sql`select setval(pg_get_serial_sequence(${table}, ${column_name}), coalesce((select max(${sql.ref(column_name)}) from ${sql.table(table)}), 0) + 1, false)`.execute(
          tx,
        );
      }
    }
  });
  return counts;
}
