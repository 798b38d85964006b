import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { PostgresSettings } from './database';
import { MIGRATIONS_TABLE, derivedTablesOf, type Migration } from './migrations';

/*
 * The PostgreSQL bulk path (issue 16 item 3): a system's rows loaded with COPY, the way the SQLite bulk path
 * (lib/sqlite.ts openForBulkLoad/finishBulkLoad) loads through prepared statements. The schema is the system's own
 * migrations: every step's `tables` first, the rows COPYed in, then every step's `indexes`, every step recorded as
 * applied, identity sequences moved past the loaded ids, all in ONE transaction (a failure leaves the database as it
 * was), and ANALYZE after the commit. COPY is a bulk protocol of PostgreSQL's, not a statement Kysely builds: like
 * SqliteStatements it is for the bulk loaders only (the seeder, the importer's PostgreSQL path).
 */

/** Refused: the target database holds rows and the load was not forced. */
export class BulkLoadRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BulkLoadRefused';
  }
}

/**
 * Refuses (BulkLoadRefused) a system's database any of whose tables holds rows, its migration record aside: what the
 * seeder checks of every target before it generates anything, so a refused seed writes nothing anywhere.
 */
export async function assertEmptyDatabase(settings: PostgresSettings, system: string): Promise<void> {
  const client = new pg.Client({ connectionString: settings.url, application_name: 'court-enforcement-graph bulk load' });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name != $1`,
      [MIGRATIONS_TABLE],
    );
    const held = await firstTableWithRows(
      client,
      rows.map((r) => r.table_name),
    );
    if (held !== null) throw refusal(system, held);
  } finally {
    await client.end();
  }
}

/** The first of `tables` that holds a row, or null when all are empty: the bulk load fills only an empty database. */
async function firstTableWithRows(client: pg.Client | pg.PoolClient, tables: readonly string[]): Promise<string | null> {
  for (const table of tables) {
    const { rows } = await client.query<{ held: boolean }>(`select exists (select 1 from ${ident(table)}) as held`);
    if (rows[0]!.held) return table;
  }
  return null;
}

function refusal(system: string, table: string): BulkLoadRefused {
  return new BulkLoadRefused(
    `not loading ${system}: its PostgreSQL table ${table} holds rows. The bulk load only fills an empty database ` +
      `(npm run seed -- --force drops the system's tables, deliberately)`,
  );
}

/** One value in COPY's text format: `\N` for null, backslash, tab, newline and carriage return escaped. */
export function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (Buffer.isBuffer(value)) return `\\\\x${value.toString('hex')}`;
  const s = String(value);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : s;
}

/** COPY's text format for rows of `columns`, in chunks of about 1 MB. */
async function* copyChunks(rows: Iterable<unknown[]>, onRows: (n: number) => void): AsyncGenerator<string> {
  let chunk = '';
  let n = 0;
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < row.length; i++) line += (i ? '\t' : '') + copyText(row[i]);
    chunk += `${line}\n`;
    n++;
    if (chunk.length >= 1 << 20) {
      yield chunk;
      chunk = '';
      onRows(n);
    }
  }
  if (chunk) yield chunk;
  onRows(n);
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** COPYs rows (arrays in `columns` order) into `table` on `client`; the number of rows. */
export async function copyRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  rows: Iterable<unknown[]>,
  onRows: (n: number) => void = () => {},
): Promise<number> {
  let count = 0;
  const stream = client.query(copyFrom(`COPY ${ident(table)} (${columns.map(ident).join(', ')}) FROM STDIN`));
  await pipeline(
    Readable.from(
      copyChunks(rows, (n) => {
        count = n;
        onRows(n);
      }),
    ),
    stream,
  );
  return count;
}

/** The tables of a SQLite file in creation order (parents before the tables naming them), its migrations table aside. */
function sqliteTables(raw: Database.Database): string[] {
  return (
    raw
      .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name != ? order by rowid`)
      .all(MIGRATIONS_TABLE) as {
      name: string;
    }[]
  ).map((t) => t.name);
}

export interface BulkLoadOptions {
  /** The system's name (the migration lock's key, as lib/migrations.ts migratePostgresDatabase takes it). */
  system: string;
  /** The system's schema steps (subgraphs/index.ts STORE_MIGRATIONS). */
  migrations: readonly Migration[];
  /** Drop the system's tables even when they hold rows (`npm run seed -- --force`). */
  force?: boolean;
  onProgress?: (table: string, rows: number, total: number) => void;
}

/**
 * Loads every table of a SQLite file of a system (its rows as they are) into the system's PostgreSQL database, with
 * COPY, into a fresh schema from the system's migrations. The database may hold the system's tables already, empty
 * (after `npm run migrate`, say): they are dropped and rebuilt. Tables holding rows are refused unless `force`.
 * Rows per table.
 */
export async function bulkLoadFromSqlite(
  raw: Database.Database,
  settings: PostgresSettings,
  opts: BulkLoadOptions,
): Promise<Record<string, number>> {
  // Derived tables (Migration.derivedTables) are not copied: the steps' `indexes` build them from the loaded rows.
  const derived = derivedTablesOf(opts.migrations);
  const tables = sqliteTables(raw).filter((t) => !derived.has(t));
  const client = new pg.Client({ connectionString: settings.url, application_name: 'court-enforcement-graph bulk load' });
  await client.connect();
  const counts: Record<string, number> = {};
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [`court-graph:migrate:${opts.system}`]);
    // No statement time-out for the load itself: COPY of a million rows and the index builds run long by design.
    await client.query('set local statement_timeout = 0');
    const existing = (
      await client.query<{ table_name: string }>(
        `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name = any($1)`,
        [[...tables, MIGRATIONS_TABLE]],
      )
    ).rows.map((r) => r.table_name);
    if (!opts.force) {
      const held = await firstTableWithRows(
        client,
        existing.filter((t) => t !== MIGRATIONS_TABLE),
      );
      if (held !== null) throw refusal(opts.system, held);
    }
    for (const table of existing) await client.query(`drop table ${ident(table)} cascade`);
    for (const m of opts.migrations) await client.query(m.tables.postgres);
    for (const table of tables) {
      const columns = (raw.prepare(`select name from pragma_table_info(?) order by cid`).all(table) as { name: string }[]).map(
        (c) => c.name,
      );
      const total = (raw.prepare(`select count(*) as n from ${ident(table)}`).get() as { n: number }).n;
      opts.onProgress?.(table, 0, total);
      const rows = raw
        .prepare(`select ${columns.map(ident).join(', ')} from ${ident(table)}`)
        .raw()
        .iterate() as IterableIterator<unknown[]>;
      try {
        counts[table] = total === 0 ? 0 : await copyRows(client, table, columns, rows, (n) => opts.onProgress?.(table, n, total));
      } finally {
        // A failed COPY leaves the SQLite statement mid-iteration: end it, or the file cannot be closed.
        rows.return?.();
      }
    }
    for (const m of opts.migrations) if (m.indexes) await client.query(m.indexes.postgres);
    await client.query(`create table if not exists ${MIGRATIONS_TABLE} (name text collate "C" primary key, applied_at text not null)`);
    const at = new Date().toISOString();
    for (const m of opts.migrations)
      await client.query(`insert into ${MIGRATIONS_TABLE} (name, applied_at) values ($1, $2) on conflict do nothing`, [m.name, at]);
    const identity = await client.query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns where table_schema = current_schema() and is_identity = 'YES' and table_name = any($1)`,
      [tables],
    );
    for (const { table_name, column_name } of identity.rows) {
      await client.query(
        `select setval(pg_get_serial_sequence($1, $2), coalesce((select max(${ident(column_name)}) from ${ident(table_name)}), 0) + 1, false)`,
        [table_name, column_name],
      );
    }
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    await client.end();
    throw err;
  }
  try {
    // ANALYZE after the commit: the planner's statistics of the loaded tables (autovacuum would get to them later).
    await client.query('analyze');
  } finally {
    await client.end();
  }
  return counts;
}

/** The columns of `table` in the current schema, in their order (what a staged upsert copies). */
export async function tableColumnsOf(client: pg.ClientBase, table: string): Promise<string[]> {
  const { rows } = await client.query<{ column_name: string }>(
    `select column_name from information_schema.columns where table_schema = current_schema() and table_name = $1 order by ordinal_position`,
    [table],
  );
  if (rows.length === 0) throw new Error(`no table ${table}`);
  return rows.map((r) => r.column_name);
}

/**
 * Upserts rows (objects by column name; a column a row leaves out is written as null) into `table`, in the caller's
 * open transaction on `client`: COPY into a temporary staging table shaped like `table` (dropped at commit), then ONE
 * `INSERT … SELECT … ON CONFLICT (keys) DO UPDATE` of every other column, only where some value differs, so a row
 * that is already as given is neither rewritten nor locked (a re-import writes nothing); with `ignore`, an existing
 * row is left as it is (`DO NOTHING`). The rows must not repeat a key (one statement cannot update a row twice).
 * The number of rows staged.
 */
export async function upsertRows(
  client: pg.ClientBase,
  table: string,
  keys: readonly string[],
  rows: readonly Record<string, unknown>[],
  opts: { ignore?: boolean; onRows?: (n: number) => void } = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = await tableColumnsOf(client, table);
  const staging = `import_staging_${table}`;
  await client.query(`drop table if exists pg_temp.${ident(staging)}`);
  await client.query(`create temp table ${ident(staging)} (like ${ident(table)}) on commit drop`);
  const staged = await copyRows(
    client,
    staging,
    columns,
    (function* () {
      for (const row of rows) yield columns.map((c) => row[c] ?? null);
    })(),
    opts.onRows,
  );
  const list = columns.map(ident).join(', ');
  const updated = columns.filter((c) => !keys.includes(c));
  const conflict =
    opts.ignore || updated.length === 0
      ? 'do nothing'
      : `do update set ${updated.map((c) => `${ident(c)} = excluded.${ident(c)}`).join(', ')} ` +
        `where (${updated.map((c) => `${ident(table)}.${ident(c)}`).join(', ')}) is distinct from (${updated.map((c) => `excluded.${ident(c)}`).join(', ')})`;
  await client.query(
    `insert into ${ident(table)} (${list}) select ${list} from ${ident(staging)} on conflict (${keys.map(ident).join(', ')}) ${conflict}`,
  );
  return staged;
}
