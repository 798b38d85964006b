import {
  PostgresAdapter,
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type RawBuilder,
  type ReferenceExpression,
  type SqlBool,
} from 'kysely';

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
