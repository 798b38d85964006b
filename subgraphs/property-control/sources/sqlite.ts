import type Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { DisposalStepInput } from '../../../domain/disposal';
import { SqlRecordedWrites, type WriteRecordsDatabase } from '../../../lib/recordedWrite';
import { dialectOf, jsonObjectsText, keyIn, openPostgres, sqlKeyIn, type Dialect } from '../../../lib/database';
import { DEFAULT_BUSY_TIMEOUT_MS, groupInOrder, openSqlite, pickInOrder, withoutColumn, type OpenOptions } from '../../../lib/sqlite';
import { WriteTransactions } from '../../../lib/writeTransaction';
import { migrateSqliteDatabase, WRITE_RECORDS_MIGRATIONS } from '../../../lib/migrations';
import { isStanding } from '../../../domain/measures';
import { judgeRows, type MeasureRow, type PropertyControlDatabase, type PropertyRow } from './ddl';
import { PROPERTY_CONTROL_MIGRATIONS } from './migrations';
import type { PropertyControlSource, PropertyControlTransaction, WriteAct } from './source';
import type { PropertyColumn } from './records';
import { PropertyControlWorkflow } from './workflow';
import { PropertyControlWrites } from './writes';

export { PROPERTY_CONTROL_INDEXES, PROPERTY_CONTROL_TABLES } from './migrations';

/** Brings a property-control database up to the latest schema step (./migrations.ts). */
export function migratePropertyControl(raw: Database.Database): void {
  migrateSqliteDatabase(raw, PROPERTY_CONTROL_MIGRATIONS);
}

/**
 * A measure may stand on a day when it is neither released (by then) nor lapsed as recorded: waiting, or in effect
 * until that day or later. This is a pre-filter only: a waiting measure whose queue moved on (judgeQueue) may have
 * taken effect and lapsed since, so the exact answer is always judged by domain/measures.ts over the queue.
 */
function standingOn(today: string) {
  return sql<boolean>`(m.released_at is null or m.released_at > ${today}) and (m.waiting = 1 or m.expires_at >= ${today})`;
}

/** The measure columns a property's queue carries as JSON in the overdue-disposal page (one statement per page). */
const QUEUE_FIELDS = [
  'id',
  'property_id',
  'kind',
  'court_code',
  'case_number',
  'imposed_at',
  'period_starts_at',
  'expires_at',
  'waiting',
  'queue_position',
  'renewals',
  'released_at',
] as const;

/** A property may be held on a day while at least one measure may stand on it (a superset; see standingOn). */
function heldOn(today: string) {
  return sql<boolean>`exists (select 1 from measures m where m.property_id = p.id and ${standingOn(today)})`;
}

export function openPropertyControlSqlite(file: string, opts: OpenOptions = {}): SqlPropertyControl {
  if (opts.postgres) return new SqlPropertyControl(openPostgres<PropertyControlDatabase>(opts.postgres, opts).db);
  const { db } = openSqlite<PropertyControlDatabase>(file, {
    ...opts,
    migrate: (r) => {
      migratePropertyControl(r);
      opts.migrate?.(r);
    },
  });
  return new SqlPropertyControl(db);
}

/**
 * The embedded default: property-control's file also holds the product's write bookkeeping (idempotency keys,
 * audit log), created on open, so a write and its record commit together under the file's one write lock, on the same
 * Kysely instance (the same one connection) the reads use.
 */
export function openEmbeddedPropertyControl(
  file: string,
  opts: OpenOptions = {},
): { source: PropertyControlSource; workflow: PropertyControlWorkflow } {
  const source = openPropertyControlSqlite(file, { ...opts, migrate: (r) => migrateSqliteDatabase(r, WRITE_RECORDS_MIGRATIONS) });
  return {
    source,
    workflow: new PropertyControlWorkflow(
      source,
      new SqlRecordedWrites(
        new WriteTransactions(source.db.withTables<WriteRecordsDatabase>(), opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS),
        'property-control',
      ),
    ),
  };
}

/** The property-control system over its SQLite database: reads through Kysely, writes through typed Kysely statements on the write's transaction. */
export class SqlPropertyControl implements PropertyControlSource {
  private readonly writes = new PropertyControlWrites();
  private readonly dialect: Dialect;

  constructor(readonly db: Kysely<PropertyControlDatabase>) {
    this.dialect = dialectOf(db);
  }

  renewMeasure(tx: PropertyControlTransaction, input: { measureId: string; expiresAt: string }, act: WriteAct) {
    return this.writes.renewMeasure(tx, input, act);
  }

  async ownersChangedByWrites(after: number | null, limit: number) {
    // The write log is the product's bookkeeping in the same file (openEmbeddedPropertyControl).
    const db = this.db.withTables<WriteRecordsDatabase>();
    const accepted = () =>
      db
        .selectFrom('audit_log')
        .where('outcome', '=', 'ACCEPTED')
        .where('operation', 'in', ['renewMeasure', 'releaseMeasure', 'recordDisposalStep']);
    if (after === null) {
      const last = await accepted()
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirst();
      return { debtorIds: [], cursor: last?.id ?? 0, hasMore: false };
    }
    const rows = await accepted()
      .select(['id', 'input'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    const taken = rows.slice(0, limit);
    const inputs = taken.map((r) => JSON.parse(r.input) as { measureId?: string; propertyId?: string });
    const measureIds = inputs.flatMap((i) => (i.measureId ? [i.measureId] : []));
    const propertyIds = inputs.flatMap((i) => (i.propertyId ? [i.propertyId] : []));
    const owners = taken.length
      ? await this.db
          .selectFrom('properties as p')
          .select('p.owner_id')
          .distinct()
          .where((eb) =>
            eb.or([
              keyIn(this.dialect, eb, 'p.id', propertyIds),
              eb(
                'p.id',
                'in',
                eb
                  .selectFrom('measures')
                  .select('property_id')
                  .where((w) => keyIn(this.dialect, w, 'id', measureIds)),
              ),
            ]),
          )
          .where('p.owner_id', 'is not', null)
          .orderBy('p.owner_id')
          .execute()
      : [];
    return { debtorIds: owners.map((o) => o.owner_id!), cursor: taken.at(-1)?.id ?? after, hasMore: rows.length > limit };
  }

  releaseMeasure(tx: PropertyControlTransaction, input: { measureId: string }, act: WriteAct) {
    return this.writes.releaseMeasure(tx, input, act);
  }

  recordDisposalStep(tx: PropertyControlTransaction, input: DisposalStepInput & { propertyId: string }, act: WriteAct) {
    return this.writes.recordDisposalStep(tx, input, act);
  }

  async propertiesById(ids: readonly string[]) {
    const rows = await this.db
      .selectFrom('properties')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'id', ids))
      .execute();
    return pickInOrder(ids, rows, (r) => r.id);
  }

  async visiblePropertiesById(ids: readonly string[], courts: readonly string[]) {
    // One statement whether a property is unknown or outside the courts: the two answers must not differ in round trips.
    const rows = await this.db
      .selectFrom('properties')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'id', ids))
      .where(
        sql<boolean>`exists (select 1 from measures m where m.property_id = properties.id and ${sqlKeyIn(this.dialect, 'm.court_code', courts)})`,
      )
      .execute();
    return pickInOrder(ids, rows, (r) => r.id);
  }

  async propertiesByOwner(ownerIds: readonly string[], columns: readonly PropertyColumn[] | null = null) {
    // Given columns, only those are read: the heaviest walk's 6 of the 12 (ADR 33).
    const base = this.db.selectFrom('properties');
    const rows = await (columns ? base.select([...columns]) : base.selectAll())
      .where((eb) => keyIn(this.dialect, eb, 'owner_id', ownerIds))
      .orderBy('id')
      .execute();
    return groupInOrder(ownerIds, rows, (r) => r.owner_id!);
  }

  async measuresById(ids: readonly string[]) {
    const rows = await this.db
      .selectFrom('measures')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'id', ids))
      .execute();
    return pickInOrder(ids, rows, (r) => r.id);
  }

  async measuresByProperty(propertyIds: readonly string[]) {
    const rows = await this.db
      .selectFrom('measures')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'property_id', propertyIds))
      .orderBy('property_id')
      .orderBy('queue_position')
      .execute();
    return groupInOrder(propertyIds, rows, (r) => r.property_id);
  }

  async measuresByCase(caseNumbers: readonly string[]) {
    const rows = await this.db
      .selectFrom('measures')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'case_number', caseNumbers))
      .orderBy('imposed_at')
      .orderBy('id')
      .execute();
    return groupInOrder(caseNumbers, rows, (r) => r.case_number);
  }

  async disposalsByCase(caseNumbers: readonly string[]) {
    // A property is disposed of when an auction sells it or it is sold or taken in payment (a DONE step past the
    // reference price).
    const rows = await this.db
      .selectFrom('measures as m')
      .innerJoin('disposal_steps as d', 'd.property_id', 'm.property_id')
      .select(['m.case_number', 'd.property_id', 'd.occurred_at'])
      .where((eb) => keyIn(this.dialect, eb, 'm.case_number', caseNumbers))
      .where('d.outcome', '=', 'DONE')
      .where('d.step', '!=', 'REFERENCE_PRICE')
      .orderBy('d.occurred_at')
      .execute();
    return groupInOrder(caseNumbers, rows, (r) => r.case_number).map((list) =>
      list.map((r) => ({ propertyId: r.property_id, disposedAt: r.occurred_at })),
    );
  }

  async disposalSteps(propertyIds: readonly string[]) {
    const rows = await this.db
      .selectFrom('disposal_steps')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'property_id', propertyIds))
      .orderBy('property_id')
      .orderBy('seq')
      .execute();
    return groupInOrder(propertyIds, rows, (r) => r.property_id);
  }

  async encumbrancesByProperty(propertyIds: readonly string[]) {
    const rows = await this.db
      .selectFrom('encumbrances')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'property_id', propertyIds))
      .orderBy('property_id')
      .orderBy('rank')
      .execute();
    return groupInOrder(propertyIds, rows, (r) => r.property_id);
  }

  async measureQueues(propertyIds: readonly string[]) {
    const rows = await this.db
      .selectFrom('measures as m')
      .innerJoin('properties as p', 'p.id', 'm.property_id')
      .selectAll('m')
      .select('p.kind as property_kind')
      .where((eb) => keyIn(this.dialect, eb, 'm.property_id', propertyIds))
      .orderBy('m.property_id')
      .orderBy('m.queue_position')
      .execute();
    return groupInOrder(propertyIds, rows, (r) => r.property_id).map((list, i) =>
      list.length === 0
        ? null
        : { propertyId: propertyIds[i]!, kind: list[0]!.property_kind, measures: withoutColumn(list, 'property_kind') },
    );
  }

  async propertyAggregates(ownerIds: readonly string[], at: { today: string; idleCutoff: string; expiryLimit: string }) {
    // One statement for the batch; the statuses come from the queue rule itself (judgeQueue), not a second copy in SQL.
    const rows = await this.db
      .selectFrom('measures as m')
      .innerJoin('properties as p', 'p.id', 'm.property_id')
      .selectAll('m')
      .select(['p.kind as property_kind', 'p.owner_id', 'p.undisposed_since'])
      .where((eb) => keyIn(this.dialect, eb, 'p.owner_id', ownerIds))
      .orderBy('m.property_id')
      .orderBy('m.queue_position')
      .execute();
    const byOwner = groupInOrder(ownerIds, rows, (r) => r.owner_id!);
    return ownerIds.map((debtorId, i) => {
      const byProperty = new Map<string, typeof rows>();
      for (const r of byOwner[i]!) byProperty.set(r.property_id, [...(byProperty.get(r.property_id) ?? []), r]);
      let idlePropertyCount = 0;
      let idleSince: string | null = null;
      let sharedSeizureCount = 0;
      let expiringMeasureCount = 0;
      for (const queue of byProperty.values()) {
        const judged = judgeRows(queue, queue[0]!.property_kind, at.today);
        const standing = queue.filter((m) => isStanding(judged.get(m.id)!.status));
        const since = queue[0]!.undisposed_since;
        if (standing.length > 0 && since !== null && since <= at.idleCutoff) {
          idlePropertyCount++;
          if (idleSince === null || since < idleSince) idleSince = since;
        }
        if (new Set(standing.map((m) => m.court_code)).size >= 2) sharedSeizureCount++;
        for (const m of queue) {
          const j = judged.get(m.id)!;
          if (j.status === 'IN_EFFECT' && j.expiresAt !== null && j.expiresAt >= at.today && j.expiresAt <= at.expiryLimit) {
            expiringMeasureCount++;
          }
        }
      }
      return { debtorId, idlePropertyCount, idleSince, sharedSeizureCount, expiringMeasureCount };
    });
  }

  async overdueDisposals(
    filter: { cutoff: string; today: string; prefecture: string | null; courts: string[] | null },
    first: number,
    after: { undisposedSince: string; id: string } | null,
  ) {
    // The SQL pre-filter (heldOn) can admit a property whose queue has since run out (judgeQueue); each candidate carries
    // its queue in the same statement and is judged exactly here. A further statement runs only when a page lost rows
    // to that check and more candidates remain.
    const rows: PropertyRow[] = [];
    let position = after;
    for (;;) {
      const wanted = first + 1 - rows.length;
      const candidates = await this.overdueCandidates(filter, wanted, position);
      for (const { queue, ...p } of candidates) {
        const judged = judgeRows(JSON.parse(queue) as MeasureRow[], p.kind, filter.today);
        if ([...judged.values()].some((j) => isStanding(j.status))) rows.push(p);
      }
      const last = candidates.at(-1);
      if (rows.length > first || candidates.length < wanted || !last) break;
      position = { undisposedSince: last.undisposed_since!, id: last.id };
    }
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  async countOverdueDisposals(filter: { cutoff: string; today: string; prefecture: string | null; courts: string[] | null }) {
    // Every candidate in one statement, judged as a page's are.
    const candidates = await this.overdueCandidates(filter, null, null);
    return candidates.filter(({ queue, kind }) =>
      [...judgeRows(JSON.parse(queue) as MeasureRow[], kind, filter.today).values()].some((j) => isStanding(j.status)),
    ).length;
  }

  private async overdueCandidates(
    filter: { cutoff: string; today: string; prefecture: string | null; courts: string[] | null },
    limit: number | null,
    after: { undisposedSince: string; id: string } | null,
  ) {
    let q = this.db
      .selectFrom('properties as p')
      .selectAll('p')
      .select(
        sql<string>`(select ${jsonObjectsText(
          this.dialect,
          QUEUE_FIELDS.map((f) => [f, sql.ref(`q.${f}`)] as const),
        )} from measures q where q.property_id = p.id)`.as('queue'),
      )
      .where('p.undisposed_since', 'is not', null)
      .where('p.undisposed_since', '<=', filter.cutoff)
      .where('p.disposal_hold_reason', 'is', null)
      .where(heldOn(filter.today));
    if (filter.prefecture) q = q.where('p.prefecture', '=', filter.prefecture);
    if (filter.courts) {
      const courts = filter.courts;
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('measures as s')
            .select(sql`1`.as('one'))
            .whereRef('s.property_id', '=', 'p.id')
            .where((eb) => keyIn(this.dialect, eb, 's.court_code', courts)),
        ),
      );
    }
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb('p.undisposed_since', '>', after.undisposedSince),
          eb.and([eb('p.undisposed_since', '=', after.undisposedSince), eb('p.id', '>', after.id)]),
        ]),
      );
    }
    q = q.orderBy('p.undisposed_since').orderBy('p.id');
    return (limit === null ? q : q.limit(limit)).execute();
  }

  async propertiesInScope(ids: readonly string[], courts: readonly string[]) {
    const rows = await this.db
      .selectFrom('measures')
      .select('property_id')
      .distinct()
      .where((eb) => keyIn(this.dialect, eb, 'property_id', ids))
      .where((eb) => keyIn(this.dialect, eb, 'court_code', courts))
      .execute();
    const seen = new Set(rows.map((r) => r.property_id));
    return ids.map((id) => seen.has(id));
  }

  async ping() {
    await sql`select 1`.execute(this.db);
  }

  async close() {
    await this.db.destroy();
  }
}
