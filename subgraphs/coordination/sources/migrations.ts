import type Database from 'better-sqlite3';
import { sameDdl, type Migration } from '../../../lib/migrations';
import { tableColumns } from '../../../lib/sqlite';
import { COORDINATION_TABLES } from './ddl';

/* Coordination's read models' schema, step by step, in both dialects (lib/migrations.ts). A new step is appended. */

/**
 * Adopts a file written before versioned migrations. The index is derived data: an index of the layout before
 * snapshots is dropped (with the date of the pass that built it), to be rebuilt by the next `npm run assess`.
 */
function adoptReadModels(raw: Database.Database): void {
  const columns = tableColumns(raw, 'assessment_index');
  if (columns.length > 0 && !columns.includes('snapshot')) {
    raw.exec('drop table assessment_index');
    if (tableColumns(raw, 'assessment_meta').length > 0) raw.exec("delete from assessment_meta where key = 'assessed_on'");
  }
  raw.exec(COORDINATION_TABLES);
}

const baseline = sameDdl('coordination/0001-baseline', COORDINATION_TABLES);

export const COORDINATION_MIGRATIONS: readonly Migration[] = [{ ...baseline, tables: { ...baseline.tables, sqlite: adoptReadModels } }];
