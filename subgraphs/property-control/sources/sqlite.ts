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

  async propertyAggregates(ownerIds: readonly string[], at: { today: string; idleCutoff: string; expiryLimit: string }) {
    // A measure "stands" when it is neither released nor lapsed: waiting, or in effect until today or later.
    const { rows } = await sql<{ owner_id: string; idle: number; idle_since: string | null; shared: number; expiring: number }>`
      select o.value as owner_id,
        (select count(*) from properties p where p.owner_id = o.value and p.undisposed_since <= ${at.idleCutoff}) as idle,
        (select min(p.undisposed_since) from properties p where p.owner_id = o.value and p.undisposed_since <= ${at.idleCutoff}) as idle_since,
        (select count(*) from properties p where p.owner_id = o.value and
          (select count(distinct m.court_code) from measures m
            where m.property_id = p.id and m.released_at is null and (m.waiting = 1 or m.expires_at >= ${at.today})) >= 2) as shared,
        (select count(*) from properties p join measures m on m.property_id = p.id
          where p.owner_id = o.value and m.released_at is null and m.waiting = 0
            and m.expires_at between ${at.today} and ${at.expiryLimit}) as expiring
      from json_each(${JSON.stringify(ownerIds)}) o`.execute(this.db);
    return rows.map((r) => ({
      debtorId: r.owner_id,
      idlePropertyCount: Number(r.idle),
      idleSince: r.idle_since,
      sharedSeizureCount: Number(r.shared),
      expiringMeasureCount: Number(r.expiring),
    }));
  }

  async overdueDisposals(filter: { cutoff: string; prefecture: string | null }, first: number, after: { undisposedSince: string; id: string } | null) {
    let q = this.db
      .selectFrom('properties')
      .selectAll()
      .where('undisposed_since', 'is not', null)
      .where('undisposed_since', '<=', filter.cutoff)
      .where('disposal_hold_reason', 'is', null);
    if (filter.prefecture) q = q.where('prefecture', '=', filter.prefecture);
    if (after) {
      q = q.where((eb) => eb.or([eb('undisposed_since', '>', after.undisposedSince), eb.and([eb('undisposed_since', '=', after.undisposedSince), eb('id', '>', after.id)])]));
    }
    const rows = await q.orderBy('undisposed_since').orderBy('id').limit(first + 1).execute();
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  async ping() {
    await sql`select 1`.execute(this.db);
  }

  async close() {
    await this.db.destroy();
  }
}
