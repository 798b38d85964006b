import { sql, type Kysely } from 'kysely';
import { groupInOrder, inJsonList, openSqlite, pickInOrder, type OpenOptions } from '../../../lib/sqlite';
import type { PropertyControlDatabase } from './ddl';
import type { PropertyControlSource } from './source';

/** The property-control system over its SQLite database, through Kysely. */
export function openPropertyControlSqlite(file: string, opts: OpenOptions = {}): PropertyControlSource {
  return new SqlPropertyControl(openSqlite<PropertyControlDatabase>(file, opts).db);
}

export class SqlPropertyControl implements PropertyControlSource {
  constructor(private readonly db: Kysely<PropertyControlDatabase>) {}

  async propertiesById(ids: readonly string[]) {
    const rows = await this.db.selectFrom('properties').selectAll().where('id', 'in', inJsonList(ids)).execute();
    return pickInOrder(ids, rows, (r) => r.id);
  }

  async propertiesByOwner(ownerIds: readonly string[]) {
    const rows = await this.db.selectFrom('properties').selectAll().where('owner_id', 'in', inJsonList(ownerIds)).orderBy('id').execute();
    return groupInOrder(ownerIds, rows, (r) => r.owner_id!);
  }

  async measuresById(ids: readonly string[]) {
    const rows = await this.db.selectFrom('measures').selectAll().where('id', 'in', inJsonList(ids)).execute();
    return pickInOrder(ids, rows, (r) => r.id);
  }

  async measuresByProperty(propertyIds: readonly string[]) {
    const rows = await this.db
      .selectFrom('measures')
      .selectAll()
      .where('property_id', 'in', inJsonList(propertyIds))
      .orderBy('property_id')
      .orderBy('queue_position')
      .execute();
    return groupInOrder(propertyIds, rows, (r) => r.property_id);
  }

  async measuresByCase(caseNumbers: readonly string[]) {
    const rows = await this.db
      .selectFrom('measures')
      .selectAll()
      .where('case_number', 'in', inJsonList(caseNumbers))
      .orderBy('imposed_at')
      .orderBy('id')
      .execute();
    return groupInOrder(caseNumbers, rows, (r) => r.case_number);
  }

  async disposalSteps(propertyIds: readonly string[]) {
    const rows = await this.db
      .selectFrom('disposal_steps')
      .selectAll()
      .where('property_id', 'in', inJsonList(propertyIds))
      .orderBy('property_id')
      .orderBy('seq')
      .execute();
    return groupInOrder(propertyIds, rows, (r) => r.property_id);
  }

  async ping() {
    await sql`select 1`.execute(this.db);
  }

  async close() {
    await this.db.destroy();
  }
}
