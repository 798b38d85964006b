import type { SqliteStatements } from '../../../lib/sqlite';
import type { PropertyControlDatabase } from './ddl';

/**
 * The one owner of the row shapes written to property-control's tables (ddl.ts): the seeder, the importer and the
 * system's writes go through these typed writers (Kysely-built INSERTs, prepared once), never through column lists
 * of their own.
 */
export function propertyControlWriters(sql: SqliteStatements<PropertyControlDatabase>) {
  return {
    property: sql.writer('properties'),
    upsertProperty: sql.writer('properties', { keys: ['id'] }),
    measure: sql.writer('measures'),
    upsertMeasure: sql.writer('measures', { keys: ['id'] }),
    disposalStep: sql.writer('disposal_steps'),
    upsertDisposalStep: sql.writer('disposal_steps', { keys: ['property_id', 'seq'] }),
    upsertEncumbrance: sql.writer('encumbrances', { keys: ['id'] }),
  };
}
