import { sql, type Kysely } from 'kysely';
import { dialectOf, keyIn, openPostgres, type Dialect } from '../../../lib/database';
import { groupInOrder, openSqlite, pickInOrder, type OpenOptions } from '../../../lib/sqlite';
import { migrateSqliteDatabase } from '../../../lib/migrations';
import type { PersonnelDatabase } from './ddl';
import { PERSONNEL_MIGRATIONS } from './migrations';
import type { PersonnelSource } from './source';

export { PERSONNEL_INDEXES, PERSONNEL_TABLES } from './migrations';

/** The personnel roster over its SQLite database, through Kysely. */
export function openPersonnelSqlite(file: string, opts: OpenOptions = {}): PersonnelSource {
  if (opts.postgres) return new SqlPersonnel(openPostgres<PersonnelDatabase>(opts.postgres, opts).db);
  return new SqlPersonnel(
    openSqlite<PersonnelDatabase>(file, {
      ...opts,
      migrate: (r) => {
        migrateSqliteDatabase(r, PERSONNEL_MIGRATIONS);
        opts.migrate?.(r);
      },
    }).db,
  );
}

export class SqlPersonnel implements PersonnelSource {
  private readonly dialect: Dialect;

  constructor(private readonly db: Kysely<PersonnelDatabase>) {
    this.dialect = dialectOf(db);
  }

  async officersById(ids: readonly string[]) {
    const rows = await this.db
      .selectFrom('officers')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'id', ids))
      .execute();
    return pickInOrder(ids, rows, (r) => r.id);
  }

  async officersByCourt(courtCodes: readonly string[]) {
    const rows = await this.db
      .selectFrom('officers')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'court_code', courtCodes))
      .where('active', '=', 1)
      .orderBy('court_code')
      .orderBy('id')
      .execute();
    return groupInOrder(courtCodes, rows, (r) => r.court_code);
  }

  async enforcementStaffCounts(courtCodes: readonly string[]) {
    const rows = await this.db
      .selectFrom('officers')
      .select(['court_code', (eb) => eb.fn.countAll<number>().as('n')])
      .where((eb) => keyIn(this.dialect, eb, 'court_code', courtCodes))
      .where('active', '=', 1)
      .where('enforcement', '=', 1)
      .groupBy('court_code')
      .execute();
    const byCode = new Map(rows.map((r) => [r.court_code, Number(r.n)]));
    return courtCodes.map((c) => byCode.get(c) ?? 0);
  }

  async ping() {
    await sql`select 1`.execute(this.db);
  }

  async close() {
    await this.db.destroy();
  }
}
