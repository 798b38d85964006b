import pg from 'pg';
import {
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  sql,
  type Expression,
  type ExpressionBuilder,
  type RawBuilder,
  type ReferenceExpression,
  type SqlBool,
} from 'kysely';
import { log } from './log';

/** The SQL engines a system's store runs on: SQLite (a file in DATA_DIR, the default) or PostgreSQL (a URL setting). */
export type Dialect = 'sqlite' | 'postgres';

/** Which engine a Kysely instance talks to, read from its dialect's adapter. */
export function dialectOf<DB>(db: Kysely<DB>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** A whole key list as ONE bound parameter, in the engine's form (see keyIn). */
function keyList(dialect: Dialect, keys: readonly (string | number)[]): RawBuilder<unknown> {
  // node-postgres sends a JS array as one array parameter; PostgreSQL types it from the column compared.
  return dialect === 'postgres' ? sql`any(${keys})` : sql`(select value from json_each(${JSON.stringify(keys)}))`;
}

/**
 * `column` is one of `keys`, with the whole list as ONE bound parameter, so a batch of any size is one statement and
 * never runs into a bound-parameter limit: `column = any($1)` on PostgreSQL (an array parameter),
 * `column in (select value from json_each(?))` on SQLite (a JSON text parameter).
 */
export function keyIn<DB, TB extends keyof DB>(
  dialect: Dialect,
  eb: ExpressionBuilder<DB, TB>,
  column: ReferenceExpression<DB, TB>,
  keys: readonly (string | number)[],
): Expression<SqlBool> {
  return dialect === 'postgres' ? eb(column, '=', keyList(dialect, keys)) : eb(column, 'in', keyList(dialect, keys));
}

/** keyIn for a statement written with the `sql` tag: `column` is a (qualified) column name. */
export function sqlKeyIn(dialect: Dialect, column: string, keys: readonly (string | number)[]): RawBuilder<SqlBool> {
  return dialect === 'postgres'
    ? sql<SqlBool>`${sql.ref(column)} = ${keyList(dialect, keys)}`
    : sql<SqlBool>`${sql.ref(column)} in ${keyList(dialect, keys)}`;
}

/** A system's PostgreSQL store, as its settings give it (lib/config.ts: <SYSTEM>_DATABASE_URL, DATABASE_POOL_MAX, …). */
export interface PostgresSettings {
  url: string;
  /** Connections this process keeps to the database at most; a query beyond them waits for one. */
  poolMax: number;
  /** The longest one statement may run before PostgreSQL cancels it (statement_timeout). */
  statementTimeoutMs: number;
  /** How long a query waits for a free connection of the pool before it fails. */
  connectTimeoutMs?: number;
}

/** The pg type ids the store reads as numbers: int8 (COUNT, SUM of integers, our BIGINT columns) and numeric (SUM of int8). */
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * node-postgres returns int8 and numeric as strings (they may exceed a double). The store's integers are counts and
 * amounts in fen, far inside 2^53, so they are read as numbers, as SQLite returns them; a value beyond 2^53 fails
 * loudly instead of losing digits.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) {
      return (text: string) => {
        const n = Number(text);
        if (oid === INT8_OID && !Number.isSafeInteger(n)) throw new Error(`int8 value ${text} is beyond a safe integer`);
        return n;
      };
    }
    return pg.types.getTypeParser(oid, format);
  },
} as unknown as pg.CustomTypesConfig;

/**
 * Opens a system's PostgreSQL database through Kysely: a bounded pool, a statement time-out set per connection, the
 * store's integers read as numbers. Lazy: no connection is made until the first statement (the open is synchronous,
 * as a SQLite store's is); `migratePostgresDatabase` runs first at start.
 */
export function openPostgres<DB>(
  settings: PostgresSettings,
  opts: { onQuery?: (sqlText: string) => void } = {},
): { db: Kysely<DB>; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: settings.url,
    max: settings.poolMax,
    statement_timeout: settings.statementTimeoutMs,
    connectionTimeoutMillis: settings.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    types,
    application_name: 'court-enforcement-graph',
  });
  // An idle connection the server closed (a restart, a terminated backend) is dropped by the pool; logged, not fatal.
  pool.on('error', (err: Error) => log.warn({ err: err.message, code: (err as { code?: string }).code }, 'PostgreSQL connection lost'));
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    log: opts.onQuery
      ? (event) => {
          if (event.level === 'query') opts.onQuery!(event.query.sql);
        }
      : undefined,
  });
  return { db, pool };
}

/**
 * How a failed PostgreSQL statement's store failed, in the terms of lib/sqlite.ts storeFailureOf: `busy` for a lock
 * or serialization conflict, a lock wait past lock_timeout or a statement cancelled by statement_timeout (class 40,
 * 55P03, 57014); `not-writable` when the database takes no writes from this role or cannot store them, or cannot be
 * reached (25006 read-only transaction, 42501 insufficient privilege, class 53 resources, class 08 connection,
 * 57P01-57P03 shut down, ECONNREFUSED). Null for anything else.
 */
export function postgresStoreFailureOf(err: unknown): 'busy' | 'not-writable' | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (/^40(001|P01)$/.test(code) || code === '55P03' || code === '57014') return 'busy';
  if (code === '25006' || code === '42501' || /^53/.test(code) || /^08/.test(code) || /^57P0[123]$/.test(code)) return 'not-writable';
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ECONNRESET') return 'not-writable';
  return null;
}

/** Each system's PostgreSQL URL (absent: its SQLite file in DATA_DIR) and the pool settings they share. */
export interface DatabaseSettings {
  urls: Partial<Record<string, string>>;
  poolMax: number;
  statementTimeoutMs: number;
}

/** The PostgreSQL settings of one system, or undefined when it stays on its SQLite file. */
export function postgresSettingsFor(databases: DatabaseSettings | undefined, system: string): PostgresSettings | undefined {
  const url = databases?.urls[system];
  return url ? { url, poolMax: databases!.poolMax, statementTimeoutMs: databases!.statementTimeoutMs } : undefined;
}

/** The distinct non-null values of `expr` over a group, joined by commas: SQLite's group_concat, PostgreSQL's string_agg. */
export function distinctList(dialect: Dialect, expr: RawBuilder<unknown>): RawBuilder<string | null> {
  return dialect === 'postgres'
    ? sql<string | null>`string_agg(distinct ${expr}, ',')`
    : sql<string | null>`group_concat(distinct ${expr})`;
}

/**
 * A JSON array text of one object per row of a group (`[]` for none), each object the given keys and column
 * expressions: SQLite's json_group_array(json_object(…)), PostgreSQL's json_agg(json_build_object(…)) as text.
 */
export function jsonObjectsText(dialect: Dialect, fields: readonly (readonly [string, RawBuilder<unknown>])[]): RawBuilder<string> {
  const args = sql.join(fields.flatMap(([key, value]) => [sql.lit(key), value]));
  return dialect === 'postgres'
    ? sql<string>`coalesce(json_agg(json_build_object(${args})), '[]'::json)::text`
    : sql<string>`json_group_array(json_object(${args}))`;
}

/** SQLite's LIKE ignores ASCII case; PostgreSQL's does not, its ILIKE does: the operator that matches as SQLite's LIKE. */
export function likeIgnoringCase(dialect: Dialect): RawBuilder<unknown> {
  return sql.raw(dialect === 'postgres' ? 'ilike' : 'like');
}
