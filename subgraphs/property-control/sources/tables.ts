import type { SqliteStatements } from '../../../lib/sqlite';
import type { PropertyControlDatabase } from './ddl';

/** Each property-control table's own key: the upserts of the SQLite writers below and of the PostgreSQL import (importing/postgres.ts). */
export const PROPERTY_CONTROL_KEYS = {
  properties: ['id'],
  measures: ['id'],
  disposal_steps: ['property_id', 'seq'],
  encumbrances: ['id'],
} as const;

/**
 * The one owner of the row shapes written to property-control's tables (ddl.ts): the seeder, the importer and the
 * system's writes go through these typed writers (Kysely-built INSERTs, prepared once), never through column lists
 * of their own.
 */
export function propertyControlWriters(sql: SqliteStatements<PropertyControlDatabase>) {
  return {
    property: sql.writer('properties'),
    upsertProperty: sql.writer('properties', { keys: PROPERTY_CONTROL_KEYS.properties }),
    measure: sql.writer('measures'),
    upsertMeasure: sql.writer('measures', { keys: PROPERTY_CONTROL_KEYS.measures }),
    disposalStep: sql.writer('disposal_steps'),
    upsertDisposalStep: sql.writer('disposal_steps', { keys: PROPERTY_CONTROL_KEYS.disposal_steps }),
    upsertEncumbrance: sql.writer('encumbrances', { keys: PROPERTY_CONTROL_KEYS.encumbrances }),
  };
}
