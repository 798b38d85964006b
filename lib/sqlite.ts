import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type RawBuilder } from 'kysely';

export interface OpenOptions {
  /** Called once per SQL statement executed; tests count statements with it. */
  onQuery?: (sqlText: string) => void;
  readonly?: boolean;
  /** Milliseconds a statement waits for a lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /** Tables to create if missing; given only for a database this product owns (the coordination index). */
  ddl?: string;
  /** Brings an existing system database up to what this version writes (tables and columns added if missing). */
  migrate?: (raw: Database.Database) => void;
}

/**
 * Opens one system's SQLite file through Kysely. WAL lets readers run beside a writer; the busy time-out
 * makes a writer wait for a lock rather than fail at once.
 */
export function openSqlite<DB>(file: string, opts: OpenOptions = {}): { db: Kysely<DB>; raw: Database.Database } {
  const raw = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.ddl === undefined });
  raw.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
  if (!opts.readonly) raw.pragma('journal_mode = WAL');
  if (opts.ddl) raw.exec(opts.ddl);
  if (opts.migrate && !opts.readonly) opts.migrate(raw);
  raw.pragma('foreign_keys = ON');
  const db = new Kysely<DB>({
    dialect: new SqliteDialect({ database: raw }),
    log: opts.onQuery
      ? (event) => {
          if (event.level === 'query') opts.onQuery!(event.query.sql);
        }
      : undefined,
  });
  return { db, raw };
}

/**
 * A whole key list as ONE bound parameter (`IN (SELECT value FROM json_each(?))`), so a batch of any size
 * is one statement and never runs into SQLite's bound-parameter limit.
 */
export function inJsonList(keys: readonly (string | number)[]): RawBuilder<string> {
  return sql<string>`(select value from json_each(${JSON.stringify(keys)}))`;
}

/** Groups rows by key into lists in key order: the shape a DataLoader batch function must return. */
export function groupInOrder<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (r: R) => K): R[][] {
  const map = new Map<K, R[]>();
  for (const k of keys) map.set(k, []);
  for (const r of rows) map.get(keyOf(r))?.push(r);
  return keys.map((k) => map.get(k)!);
}

/** One row (or null) per key, in key order. */
export function pickInOrder<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (r: R) => K): (R | null)[] {
  const map = new Map<K, R>();
  for (const r of rows) map.set(keyOf(r), r);
  return keys.map((k) => map.get(k) ?? null);
}

/** Adds a column to an existing table unless it is there already (SQLite has no ADD COLUMN IF NOT EXISTS). */
export function addColumnIfMissing(raw: Database.Database, table: string, column: string, type: string): void {
  const columns = raw.prepare(`select name from pragma_table_info(?)`).all(table) as { name: string }[];
  if (!columns.some((c) => c.name === column)) raw.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
}
