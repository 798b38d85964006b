import type { SqliteStatements } from '../../../lib/sqlite';
import type { PersonnelDatabase } from './ddl';

/** The roster table's own key: the upsert of the SQLite writer below and of the PostgreSQL import (importing/postgres.ts). */
export const PERSONNEL_KEYS = {
  officers: ['id'],
} as const;

/**
 * The one owner of the roster's row shape as written (ddl.ts): the seeder and the importer write officers through
 * these typed writers (Kysely-built INSERTs, prepared once), never through column lists of their own.
 */
export function personnelWriters(sql: SqliteStatements<PersonnelDatabase>) {
  return {
    officer: sql.writer('officers'),
    upsertOfficer: sql.writer('officers', { keys: PERSONNEL_KEYS.officers }),
  };
}
