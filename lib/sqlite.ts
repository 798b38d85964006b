import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type Compilable, type Insertable, type SqliteDatabase, type SqliteStatement } from 'kysely';
import { postgresStoreFailureOf, type DatabaseSettings, type PostgresSettings } from './database';
import { log } from './log';
import { createSqliteBulkSchema, finishSqliteBulkSchema, type Migration } from './migrations';

export { WRITE_TABLES } from './migrations';

export interface OpenOptions {
  /** Called once per SQL statement executed, with its bound parameters; tests count statements with it. */
  onQuery?: (sqlText: string, parameters: readonly unknown[]) => void;
  readonly?: boolean;
  /** Milliseconds a statement waits for a lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /** Tables to create if missing; given only for a database this product owns (the coordination index). */
  ddl?: string;
  /** The system's PostgreSQL store; when given, the store opens there instead of on the file (lib/database.ts). */
  postgres?: PostgresSettings;
  /** Every system's store settings (DATABASE_URL settings); subgraphs/index.ts picks each system's `postgres` from them. */
  databases?: DatabaseSettings;
  /** Creates the file when missing (a database this product owns, its tables made by `migrate`). */
  create?: boolean;
  /** Brings an existing system database up to what this version writes (tables and columns added if missing). */
  migrate?: (raw: Database.Database) => void;
}

/**
 * Opens one system's SQLite file through Kysely. WAL lets readers run beside a writer; the busy time-out
 * makes a writer wait for a lock rather than fail at once.
 */
export function openSqlite<DB>(file: string, opts: OpenOptions = {}): { db: Kysely<DB>; raw: Database.Database } {
  const raw = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.ddl === undefined && !opts.create });
  raw.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
  try {
    if (!opts.readonly) raw.pragma('journal_mode = WAL');
    if (opts.ddl) raw.exec(opts.ddl);
    if (opts.migrate && !opts.readonly) opts.migrate(raw);
  } catch (err) {
    // A store that cannot be written (a read-only data directory, say) still opens: the subgraph serves what it can,
    // refuses writes with SOURCE_NOT_WRITABLE and reports the store in /health/ready, rather than die at start-up.
    if (storeFailureOf(err) !== 'not-writable') throw err;
    log.error({ file, sqlite: (err as { code?: string }).code, problem: storeWriteProblem(file) }, 'database opened but cannot be written');
  }
  raw.pragma('foreign_keys = ON');
  const db = new Kysely<DB>({
    dialect: new SqliteDialect({ database: rowsByShape(raw) }),
    log: opts.onQuery
      ? (event) => {
          if (event.level === 'query') opts.onQuery!(event.query.sql, event.query.parameters);
        }
      : undefined,
  });
  return { db, raw };
}

/**
 * The database as Kysely's SQLite driver uses it, with a read's rows built in JavaScript from better-sqlite3's raw
 * arrays, one object literal per row, instead of by better-sqlite3, which adds each column to a new object one by one
 * (issue 18, ADR 29). The rows are the same: the same keys in the same order, the last of two equal column names
 * winning, the same values (test/unit/sqlite-rows.test.ts). One difference no statement of the product meets: a
 * column named "__proto__" is an own property, where better-sqlite3 would make its value the row's prototype.
 * Measured on the heaviest walk's case read (14,490 rows of 22 columns, 1,000,000 cases): 186–203 ms as objects from
 * better-sqlite3, 77–118 ms as raw arrays, the statement itself 52–57 ms. One builder is kept per column list, and the
 * product's statements have a fixed set of them.
 */
export function rowsByShape(raw: Database.Database): SqliteDatabase {
  return {
    close: () => raw.close(),
    prepare(sqlText: string): SqliteStatement {
      const stmt = raw.prepare(sqlText);
      if (!stmt.reader) return stmt;
      const build = rowBuilder(stmt.columns().map((c) => c.name));
      stmt.raw(true);
      return {
        reader: true,
        all: (parameters) => (stmt.all(parameters) as unknown[][]).map(build),
        run: (parameters) => stmt.run(parameters),
        *iterate(parameters) {
          for (const row of stmt.iterate(parameters) as IterableIterator<unknown[]>) yield build(row);
        },
      };
    },
  };
}

const builders = new Map<string, (row: unknown[]) => Record<string, unknown>>();

/** A function making a row's object from its raw array: one literal of these keys, compiled once per column list. */
export function rowBuilder(columns: readonly string[]): (row: unknown[]) => Record<string, unknown> {
  const key = JSON.stringify(columns);
  let build = builders.get(key);
  if (!build) {
    // A key "__proto__" written as a literal's key would set the prototype; computed, it is an own property.
    const props = columns.map((c, i) => `${c === '__proto__' ? `[${JSON.stringify(c)}]` : JSON.stringify(c)}: row[${i}]`);
    build = new Function('row', `return { ${props.join(', ')} };`) as (row: unknown[]) => Record<string, unknown>;
    builders.set(key, build);
  }
  return build;
}

/** SQLite's lock wait when no STORE_BUSY_TIMEOUT_MS is given. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * How a failed statement's store failed, if it was the store rather than the statement: `busy` when the lock stayed
 * taken past the busy time-out (SQLITE_BUSY, SQLITE_LOCKED), `not-writable` when the file or its directory cannot be
 * written (SQLITE_READONLY*, SQLITE_CANTOPEN, SQLITE_IOERR*, SQLITE_FULL, SQLITE_PERM). Null for anything else.
 */
export function storeFailureOf(err: unknown): 'busy' | 'not-writable' | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (!code.startsWith('SQLITE_')) return postgresStoreFailureOf(err);
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return 'busy';
  if (/^SQLITE_(READONLY|CANTOPEN|IOERR|FULL|PERM)/.test(code)) return 'not-writable';
  return null;
}

/**
 * Why a database file cannot be written, or null when it can: the file, its `-wal` and `-shm` companions (when there)
 * and its directory (SQLite creates the companions there) must all be writable by this process. `access(2)` answers
 * for this process's own rights, a read-only mount included.
 */
export function storeWriteProblem(file: string): string | null {
  const candidates = [path.dirname(file), file, `${file}-wal`, `${file}-shm`];
  for (const candidate of candidates) {
    if (candidate !== path.dirname(file) && candidate !== file && !existsSync(candidate)) continue;
    try {
      accessSync(candidate, constants.W_OK);
    } catch (err) {
      return `${candidate} is not writable (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
    }
  }
  return null;
}

/** Groups rows by key into lists in key order: the shape a DataLoader batch function must return. */
export function groupInOrder<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (r: R) => K): R[][] {
  const map = new Map<K, R[]>();
  for (const k of keys) map.set(k, []);
  for (const r of rows) map.get(keyOf(r))?.push(r);
  return keys.map((k) => map.get(k)!);
}

/**
 * Rows fresh from the driver without a column the statement added for grouping or ranking (`party_key`), removed in
 * place. Not an object rest copy (`({ party_key: _, ...row }) => row`): copying the driver's wide rows that way cost
 * 15–35 µs a row, a third of a second for the 14,490 cases of the heaviest 100-debtor walk (issue 18 profile).
 */
export function withoutColumn<R extends object, C extends keyof R>(rows: R[], column: C): Omit<R, C>[] {
  for (const row of rows) delete (row as Partial<R>)[column];
  return rows;
}

/** One row (or null) per key, in key order. */
export function pickInOrder<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (r: R) => K): (R | null)[] {
  const map = new Map<K, R>();
  for (const r of rows) map.set(keyOf(r), r);
  return keys.map((k) => map.get(k) ?? null);
}

/** Adds a column to an existing table unless it is there already (SQLite has no ADD COLUMN IF NOT EXISTS). */
export function addColumnIfMissing(raw: Database.Database, table: string, column: string, type: string): void {
  if (!tableColumns(raw, table).includes(column)) raw.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
}

/**
 * Runs Kysely-built statements synchronously on the raw better-sqlite3 connection: the SQLite BULK path only — the
 * seeder's loads (seed/province.ts) and the importer (importing/importFile.ts), which write millions of rows through
 * prepared statements in one synchronous transaction. A bulk path per dialect (PostgreSQL's COPY) is issue 16 item 3.
 * Every other write (decisions, supervision, measures, the bookkeeping, the roster copy, the assessment index) is async
 * Kysely on the store's own instance, one transaction each (lib/writeTransaction.ts, ADR 23), and must not use this:
 * a statement here bypasses Kysely's connection mutex. The SQL text is Kysely's, never written by hand.
 */
export class SqliteStatements<DB> {
  /** Compiles only: it never opens a connection of its own. */
  readonly db: Kysely<DB>;
  private readonly prepared = new Map<string, Database.Statement>();

  constructor(readonly raw: Database.Database) {
    this.db = new Kysely<DB>({ dialect: new SqliteDialect({ database: raw }) });
  }

  private statement(sqlText: string): Database.Statement {
    let s = this.prepared.get(sqlText);
    if (!s) {
      s = this.raw.prepare(sqlText);
      this.prepared.set(sqlText, s);
    }
    return s;
  }

  all<R>(query: Compilable<R>): R[] {
    const c = query.compile();
    return this.statement(c.sql).all(...c.parameters) as R[];
  }

  first<R>(query: Compilable<R>): R | undefined {
    const c = query.compile();
    return this.statement(c.sql).get(...c.parameters) as R | undefined;
  }

  /** Runs a write; the number of rows it changed. */
  run(query: Compilable<unknown>): number {
    const c = query.compile();
    return this.statement(c.sql).run(...c.parameters).changes;
  }

  /** Runs `fn` as one IMMEDIATE transaction: the write lock is taken first, so concurrent writers queue. */
  immediate<T>(fn: () => T): T {
    return this.raw.transaction(fn).immediate();
  }

  /** Runs `fn` as one (deferred) transaction: the bulk loaders' unit of work. */
  transaction<T>(fn: () => T): T {
    return this.raw.transaction(fn)();
  }

  /**
   * A writer for one table: each row is a typed `Insertable` object (the table's row interface is its one shape).
   * The INSERT is built by Kysely once, over every column the table has, and run as a prepared statement with the
   * row's values bound by column name (a nullable column the row leaves out is written as null), so a seeder writes
   * millions of rows at prepared-statement speed. `onConflict` makes it an upsert on those keys (every other column
   * replaced), or with `ignore` leaves an existing row as it is.
   */
  writer<T extends keyof DB & string>(
    table: T,
    onConflict?: { keys: readonly (keyof DB[T] & string)[]; ignore?: boolean },
  ): (row: Insertable<DB[T]>) => void {
    let compiled: { statement: Database.Statement; columns: string[] } | null = null;
    const compile = () => {
      const columns = tableColumns(this.raw, table);
      const placeholder: Record<string, unknown> = Object.fromEntries(columns.map((k) => [k, null]));
      // The builder's table and column types are generic here; the row type above is what callers are held to.
      let q = (this.db as unknown as Kysely<Record<string, Record<string, unknown>>>).insertInto(table).values(placeholder);
      if (onConflict) {
        const conflictKeys: readonly string[] = onConflict.keys;
        const updated = columns.filter((k) => !conflictKeys.includes(k));
        q = q.onConflict((oc) =>
          onConflict.ignore
            ? oc.columns(conflictKeys).doNothing()
            : oc.columns(conflictKeys).doUpdateSet((eb) => Object.fromEntries(updated.map((k) => [k, eb.ref(`excluded.${k}`)])) as never),
        );
      }
      return { statement: this.statement(q.compile().sql), columns };
    };
    // One bound-values array, reused: the statement runs synchronously, so no call sees another's values.
    let bound: unknown[] = [];
    return (row) => {
      if (!compiled) {
        compiled = compile();
        bound = new Array<unknown>(compiled.columns.length);
      }
      const values: Record<string, unknown> = row;
      const { columns, statement } = compiled;
      for (let i = 0; i < columns.length; i++) bound[i] = values[columns[i]!] ?? null;
      statement.run(bound);
    };
  }
}

/**
 * Opens a system's SQLite file for a bulk load (the seeder): no journal and no fsync (a failed load is simply
 * redone), a large page cache, and the tables of every schema step created (lib/migrations.ts: the same steps a
 * running store applies, so a seeded file has the schema a migrated one has). `finishBulkLoad` indexes, records the
 * steps as applied, analyses and returns it to WAL.
 */
export function openForBulkLoad(file: string, migrations: readonly Migration[]): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -200000');
  createSqliteBulkSchema(db, migrations);
  return db;
}

export function finishBulkLoad(db: Database.Database, migrations: readonly Migration[]): void {
  finishSqliteBulkSchema(db, migrations);
  db.exec('ANALYZE');
  db.pragma('journal_mode = WAL');
}

/** The columns a table has today (for migrations that add what an earlier version lacked). */
export function tableColumns(raw: Database.Database, table: string): string[] {
  return (raw.prepare(`select name from pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name);
}
