import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { rowBuilder, rowsByShape } from '../../lib/sqlite';

/**
 * lib/sqlite.ts `rowsByShape` (ADR 29): Kysely's reads get their rows built from better-sqlite3's raw arrays. Every row
 * must be what better-sqlite3 itself gives: the same keys in the same order, a repeated column name's last value, the
 * same values of every storage class, through `all`, `iterate` and a write's RETURNING; writes still report changes.
 */
const open = () => {
  const raw = new Database(':memory:');
  raw.exec(`create table t (id integer primary key, name text, amount real, data blob, big integer, empty text);
    insert into t values (1, '四川建设', 12.5, x'00ff', 9007199254740993, null), (2, 'b', -0.0, x'', 2, 'x');`);
  return raw;
};

const READS = [
  `select * from t order by id`,
  `select t.*, t.name as party_key, t.id as name from t order by id`,
  `select id as "constructor", amount as "", name as "toString" from t order by id`,
  `select count(*) as n, group_concat(name) from t`,
  `select * from t where id > 5`,
];

describe('rows built from raw arrays', () => {
  it('gives exactly better-sqlite3’s rows for every read, through all and iterate', async () => {
    const raw = open();
    const db = new Kysely<{ t: Record<string, unknown> }>({ dialect: new SqliteDialect({ database: rowsByShape(raw) }) });
    for (const text of READS) {
      const expected = raw.prepare(text).all();
      const { rows } = await sql.raw(text).execute(db);
      expect(rows, text).toStrictEqual(expected);
      expect(
        rows.map((r) => Object.keys(r as object)),
        text,
      ).toEqual(expected.map((r) => Object.keys(r as object)));
    }
    // Kysely streams only its own selects: `iterate`, row by row.
    const streamed: unknown[] = [];
    for await (const r of db.selectFrom('t').selectAll().orderBy('id').stream()) streamed.push(r);
    expect(streamed).toStrictEqual(raw.prepare(READS[0]!).all());
    // A column "__proto__" is an own property, not the row's prototype (better-sqlite3 would set the prototype with it,
    // so its value vanished when a primitive): no statement of the product names one.
    const { rows } = await sql.raw<Record<string, unknown>>(`select name as "__proto__" from t order by id`).execute(db);
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(rows[0], '__proto__')?.value).toBe('四川建设');
    await db.destroy();
  });

  it('keeps writes as they were: changes and RETURNING rows', async () => {
    const raw = open();
    const db = new Kysely<{ t: Record<string, unknown> }>({ dialect: new SqliteDialect({ database: rowsByShape(raw) }) });
    const update = await sql.raw(`update t set name = 'c' where id = 2`).execute(db);
    expect(update.numAffectedRows).toBe(1n);
    const { rows } = await sql.raw(`insert into t (id, name) values (3, 'd') returning id, name, amount`).execute(db);
    expect(rows).toStrictEqual([{ id: 3, name: 'd', amount: null }]);
    await db.destroy();
  });

  it('compiles one builder per column list', () => {
    expect(rowBuilder(['a', 'b'])).toBe(rowBuilder(['a', 'b']));
    expect(rowBuilder(['a', 'b'])).not.toBe(rowBuilder(['b', 'a']));
    expect(rowBuilder(['a', 'a'])([1, 2])).toStrictEqual({ a: 2 });
  });
});
