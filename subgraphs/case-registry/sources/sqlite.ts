import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { sql, type RawBuilder } from 'kysely';
import { IMPLEMENTATION_TYPE_CODES } from '../../../domain/caseKinds';
import { CASE_CATEGORIES, nextCaseNumber, type CaseTypeCode } from '../../../domain/caseNumber';
import { RESUMED_TYPE_CODE } from '../../../domain/transfers';
import type { CourtLevel } from '../../../domain/courtCode';
import { dialectOf, distinctList, keyIn, likeIgnoringCase, openPostgres, sqlKeyIn, type Dialect } from '../../../lib/database';
import { migrateSqliteDatabase } from '../../../lib/migrations';
import { DEFAULT_BUSY_TIMEOUT_MS, groupInOrder, openSqlite, pickInOrder, withoutColumn, type OpenOptions } from '../../../lib/sqlite';
import { SqliteReadWorker } from '../../../lib/sqliteReadWorker';
import type { CaseRegistryDatabase, CaseRow } from './ddl';
import type { CaseColumn, CasePartyRecord, PersonRecord } from './records';
import type { CaseRegistrySource, CaseStatusFilter, OpenCaseFilter, RegistryTransaction, TransferCaseFacts } from './source';
import { CASE_REGISTRY_MIGRATIONS } from './migrations';

export { CASE_REGISTRY_INDEXES, CASE_REGISTRY_TABLES } from './migrations';

/**
 * A case closed as 终结本次执行程序 (终本) that no later case carries on (no 执恢 opened from it, by a transfer or as its
 * continuation): closed procedurally, not concluded (未实结). `c` is the case's alias.
 */
const unresumedTerminatedThisRound = sql<boolean>`(c.status = 'CLOSED' and c.closure = 'TERMINATED_THIS_ROUND'
  and not exists (select 1 from cases x where x.transferred_from = c.number or x.continues = c.number))`;

/**
 * How many rows of each of a text's grams debtorSearch counts to find its rarest (searchByNameKey): enough to tell a
 * rare gram from a common one, few enough that counting every gram of a long text costs less than a millisecond.
 */
const GRAM_PROBE = 256;

/** A debtor is an identified party that at least one case names as a debtor (not only as applicant). */
const isDebtor = sql<boolean>`exists (select 1 from case_parties d where d.person_id = persons.id and d.role = 'DEBTOR')`;

/** Brings a registry database up to the latest schema step (./migrations.ts); the registry's tables only. */
export function migrateCaseRegistry(raw: Database.Database): void {
  migrateSqliteDatabase(raw, CASE_REGISTRY_MIGRATIONS);
}

export function openCaseRegistrySqlite(file: string, opts: OpenOptions = {}): SqlCaseRegistry {
  if (opts.postgres) return new SqlCaseRegistry(openPostgres<CaseRegistryDatabase>(opts.postgres, opts).db);
  const { db } = openSqlite<CaseRegistryDatabase>(file, {
    ...opts,
    migrate: (r) => {
      migrateCaseRegistry(r);
      opts.migrate?.(r);
    },
  });
  // Opened after the main connection, so it finds the file made and migrated.
  const aggregates = new SqliteReadWorker(file, { busyTimeoutMs: opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS, onQuery: opts.onQuery });
  return new SqlCaseRegistry(db, aggregates);
}

/**
 * The case registry over its SQLite database, through Kysely: reads on `db`; a transfer's writes on the transaction the
 * workflow holds (lib/writeTransaction), which runs on the same Kysely instance's one connection.
 */
export class SqlCaseRegistry implements CaseRegistrySource {
  private readonly dialect: Dialect;

  constructor(
    readonly db: Kysely<CaseRegistryDatabase>,
    /**
     * SQLite only: a read-only connection on a worker thread for the cross-court aggregates, which then run beside the
     * case read of the same request (a walk asks both at one level) instead of after it (ADR 31). PostgreSQL's pool
     * runs the two side by side already.
     */
    private readonly aggregateReads: SqliteReadWorker | null = null,
  ) {
    this.dialect = dialectOf(db);
  }

  async decisionCases(tx: RegistryTransaction, numbers: readonly string[]): Promise<(TransferCaseFacts | null)[]> {
    const rows = await tx
      .selectFrom('cases as c')
      .select([
        'c.number',
        'c.executing_court',
        'c.status',
        'c.closure',
        'c.amount_recovered',
        // The case carrying it on: opened from it by a transfer, or continuing it (a 执恢 resuming a 终本 case).
        (eb) =>
          eb
            .selectFrom('cases as n')
            .select('n.number')
            .where((w) => w.or([w('n.transferred_from', '=', w.ref('c.number')), w('n.continues', '=', w.ref('c.number'))]))
            .limit(1)
            .as('moved_to'),
      ])
      .where((eb) => keyIn(dialectOf(tx), eb, 'c.number', numbers))
      .execute();
    const debtors = await tx
      .selectFrom('case_parties')
      .select(['case_number', 'person_id'])
      .where((eb) => keyIn(dialectOf(tx), eb, 'case_number', numbers))
      .where('role', '=', 'DEBTOR')
      .where('person_id', 'is not', null)
      .orderBy('case_number')
      .orderBy('position')
      .execute();
    const debtorIds = groupInOrder(numbers, debtors, (d) => d.case_number);
    return pickInOrder(numbers, rows, (r) => r.number).map((r, i) =>
      r
        ? {
            number: r.number,
            executingCourt: r.executing_court,
            status: r.status,
            closure: r.closure,
            movedTo: r.moved_to,
            amountRecovered: r.amount_recovered,
            debtorIds: debtorIds[i]!.flatMap((d) => (d.person_id === null ? [] : [d.person_id])),
          }
        : null,
    );
  }

  async closeAsTransferred(tx: RegistryTransaction, number: string, day: string): Promise<boolean> {
    const closed = await tx
      .updateTable('cases')
      .set({ status: 'CLOSED', closure: 'TERMINATED', closed_at: day, last_action_at: day })
      .where('number', '=', number)
      .where('status', '!=', 'CLOSED')
      .executeTakeFirst();
    return closed.numUpdatedRows === 1n;
  }

  openContinuation(tx: RegistryTransaction, fromNumber: string, receivingCourt: string, day: string): Promise<CaseRow> {
    return this.openNext(tx, fromNumber, receivingCourt, day, null, 'transfer');
  }

  resumeCase(tx: RegistryTransaction, fromNumber: string, court: string, day: string, byTransfer: boolean): Promise<CaseRow> {
    return this.openNext(tx, fromNumber, court, day, RESUMED_TYPE_CODE, byTransfer ? 'transfer' : 'continuation');
  }

  /**
   * Takes the next sequence number of a court, year and type code in the database, in one statement: the counter row
   * is created or advanced in the writing transaction, which holds SQLite's write lock (or, on PostgreSQL, the row's
   * lock) until it commits, so two writers never take the same number. A counter behind the cases themselves (none
   * yet, or cases a seed or an import wrote) starts after the greatest sequence there; the cases' UNIQUE (court_code,
   * year, type_code, sequence) stays the backstop.
   */
  private async allocateSequence(tx: RegistryTransaction, court: string, year: number, type: CaseTypeCode): Promise<number> {
    const row = await tx
      .insertInto('case_number_counters')
      .values((eb) => ({
        court_code: court,
        year,
        type_code: type,
        last_sequence: eb
          .selectFrom('cases')
          .select(sql<number>`coalesce(max(sequence), 0) + 1`.as('next'))
          .where('court_code', '=', court)
          .where('year', '=', year)
          .where('type_code', '=', type),
      }))
      .onConflict((oc) =>
        oc.columns(['court_code', 'year', 'type_code']).doUpdateSet((eb) => ({
          last_sequence: eb
            .case()
            .when('case_number_counters.last_sequence', '>=', eb.ref('excluded.last_sequence'))
            .then(eb('case_number_counters.last_sequence', '+', 1))
            .else(eb.ref('excluded.last_sequence'))
            .end(),
        })),
      )
      .returning('last_sequence')
      .executeTakeFirstOrThrow();
    return Number(row.last_sequence);
  }

  /**
   * Opens the case that carries `fromNumber` on at `court`: under the next number for that court, the day's year and
   * the type (the old case's, or `typeCode`), in the same lineage, with the same parties, linked as opened from it by
   * a transfer or as its continuation.
   */
  private async openNext(
    tx: RegistryTransaction,
    fromNumber: string,
    court: string,
    day: string,
    typeCode: CaseTypeCode | null,
    link: 'transfer' | 'continuation',
  ): Promise<CaseRow> {
    const old = await tx.selectFrom('cases').selectAll().where('number', '=', fromNumber).executeTakeFirst();
    if (!old) throw new Error(`no case ${fromNumber} to continue`);
    const year = Number(day.slice(0, 4));
    const type = typeCode ?? old.type_code;
    const next = nextCaseNumber(year, court, type, (await this.allocateSequence(tx, court, year, type)) - 1);
    const opened: CaseRow = {
      number: next.number,
      year,
      court_code: court,
      type_code: type,
      sequence: next.sequence,
      executing_court: court,
      status: 'FILED',
      filed_at: day,
      closed_at: null,
      closure: null,
      obligation: old.obligation,
      category: old.category,
      conduct_ordered: old.conduct_ordered,
      amount_due: old.amount_due,
      amount_recovered: old.amount_recovered,
      handler_id: null,
      lineage_root: old.lineage_root,
      transferred_from: link === 'transfer' ? old.number : null,
      continues: link === 'continuation' ? old.number : null,
      last_action_at: day,
      settled_at: null,
    };
    await tx.insertInto('cases').values(opened).execute();
    const parties = await tx
      .selectFrom('case_parties')
      .selectAll()
      .where('case_number', '=', fromNumber)
      .orderBy('role')
      .orderBy('position')
      .execute();
    // One statement for every party, whatever their number.
    if (parties.length > 0)
      await tx
        .insertInto('case_parties')
        .values(parties.map((p) => ({ ...p, case_number: opened.number })))
        .execute();
    return opened;
  }

  async courtsByCode(codes: readonly string[]) {
    const rows = await this.db
      .selectFrom('courts')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'code', codes))
      .execute();
    return pickInOrder(codes, rows, (r) => r.code);
  }

  async courts(filter: { level?: CourtLevel | null; prefecture?: string | null }) {
    let q = this.db.selectFrom('courts').selectAll();
    if (filter.level) q = q.where('level', '=', filter.level);
    if (filter.prefecture) q = q.where('prefecture', '=', filter.prefecture);
    return q.orderBy('code').execute();
  }

  async openCasesOfCourts(courts: readonly string[], filter: OpenCaseFilter, limitPerCourt: number) {
    let q = this.db
      .selectFrom('cases')
      .selectAll()
      .select(sql<number>`row_number() over (partition by executing_court order by filed_at, number)`.as('rank_in_court'))
      .where((eb) => keyIn(this.dialect, eb, 'executing_court', courts))
      .where('status', '!=', 'CLOSED')
      .where('type_code', 'in', [...filter.typeCodes]);
    if (filter.excludedCategories.length > 0) q = q.where('category', 'not in', [...filter.excludedCategories]);
    // A category the registry does not know matches no case.
    if (filter.category) q = q.where('category', '=', CASE_CATEGORIES.find((c) => c === filter.category) ?? null);
    const rows = await this.db.selectFrom(q.as('c')).selectAll().where('rank_in_court', '<=', limitPerCourt).execute();
    const order = new Map(courts.map((c, i) => [c, i]));
    return withoutColumn(
      rows.sort((a, b) => order.get(a.executing_court)! - order.get(b.executing_court)! || a.rank_in_court - b.rank_in_court),
      'rank_in_court',
    );
  }

  async debtorsInScope(ids: readonly string[], courts: readonly string[]) {
    const rows = await this.db
      .selectFrom('case_parties as p')
      .innerJoin('cases as c', 'c.number', 'p.case_number')
      .select('p.person_id')
      .distinct()
      .where('p.role', '=', 'DEBTOR')
      .where((eb) => keyIn(this.dialect, eb, 'p.person_id', ids))
      .where((eb) => keyIn(this.dialect, eb, 'c.executing_court', courts))
      .execute();
    const seen = new Set(rows.map((r) => r.person_id));
    return ids.map((id) => seen.has(id));
  }

  async childCourts(codes: readonly string[]) {
    const rows = await this.db
      .selectFrom('courts')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'parent', codes))
      .orderBy('code')
      .execute();
    return groupInOrder(codes, rows, (r) => r.parent!);
  }

  async openCaseCounts(codes: readonly string[]) {
    const rows = await this.db
      .selectFrom('cases')
      .select(['executing_court', (eb) => eb.fn.countAll<number>().as('n')])
      .where((eb) => keyIn(this.dialect, eb, 'executing_court', codes))
      .where('status', '!=', 'CLOSED')
      .groupBy('executing_court')
      .execute();
    const byCode = new Map(rows.map((r) => [r.executing_court, Number(r.n)]));
    return codes.map((c) => byCode.get(c) ?? 0);
  }

  async personsById(ids: readonly string[]) {
    const rows = await this.db
      .selectFrom('persons')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'id', ids))
      .where(isDebtor)
      .execute();
    return pickInOrder(ids, rows, (r) => r.id);
  }

  async visiblePersonsById(ids: readonly string[], courts: readonly string[]) {
    // One statement whether a debtor is unknown or outside the courts: the two answers must not differ in round trips.
    const rows = await this.db
      .selectFrom('persons')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'id', ids))
      .where(
        sql<boolean>`exists (select 1 from case_parties d join cases c on c.number = d.case_number
                     where d.person_id = persons.id and d.role = 'DEBTOR' and ${sqlKeyIn(this.dialect, 'c.executing_court', courts)})`,
      )
      .execute();
    return pickInOrder(ids, rows, (r) => r.id);
  }

  async casesByNumber(numbers: readonly string[]) {
    const rows = await this.db
      .selectFrom('cases')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'number', numbers))
      .execute();
    return pickInOrder(numbers, rows, (r) => r.number);
  }

  async casesByDebtor(ids: readonly string[], status: CaseStatusFilter, columns: readonly CaseColumn[] | null = null) {
    // A debtor named twice in one case (two positions) lists that case once: the pairs of debtor and case are made
    // distinct on their own, where the index on (person_id, role, case_number) gives them in order, rather than whole
    // case rows (a DISTINCT over every column of c.* built a temporary B-tree of the wide rows on top of the ORDER BY's:
    // 14,490 rows for the heaviest 100 debtors at 1,000,000 cases). The same rows in the same order, one statement.
    // Given columns, only those are read: the heaviest walk's 7 of the 21 take its read from ~70 to ~48 ms (ADR 32).
    const base = this.db
      .selectFrom((eb) =>
        eb
          .selectFrom('case_parties')
          .select(['person_id', 'case_number'])
          .distinct()
          .where((w) => keyIn(this.dialect, w, 'person_id', ids))
          .where('role', '=', 'DEBTOR')
          .as('p'),
      )
      .innerJoin('cases as c', 'c.number', 'p.case_number');
    let q = (columns ? base.select(columns.map((c) => `c.${c}` as const)) : base.selectAll('c')).select('p.person_id as party_key');
    if (status === 'UNCLOSED') q = q.where('c.status', '!=', 'CLOSED');
    else if (status === 'TERMINATED_THIS_ROUND') q = q.where(unresumedTerminatedThisRound);
    else if (status) q = q.where('c.status', '=', status);
    const rows = await q.orderBy('c.filed_at', 'desc').orderBy('c.number').execute();
    return groupInOrder(ids, rows, (r) => r.party_key!).map((list) => withoutColumn(list, 'party_key'));
  }

  async conductEventsByCase(numbers: readonly string[]) {
    const rows = await this.db
      .selectFrom('conduct_events')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'case_number', numbers))
      .orderBy('case_number')
      .orderBy('occurred_at')
      .orderBy('seq')
      .execute();
    return groupInOrder(numbers, rows, (r) => r.case_number);
  }

  async complaintsByCase(numbers: readonly string[]) {
    const rows = await this.db
      .selectFrom('complaints')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'case_number', numbers))
      .orderBy('case_number')
      .orderBy('received_at')
      .orderBy('seq')
      .execute();
    return groupInOrder(numbers, rows, (r) => r.case_number);
  }

  async externalCasesByDebtor(ids: readonly string[]) {
    const rows = await this.db
      .selectFrom('external_cases')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'debtor_id', ids))
      .orderBy('filed_at', 'desc')
      .orderBy('number')
      .execute();
    return groupInOrder(ids, rows, (r) => r.debtor_id);
  }

  async claimsByApplicant(ids: readonly string[]) {
    const rows = await this.db
      .selectFrom('case_parties as p')
      .innerJoin('cases as c', 'c.number', 'p.case_number')
      .distinct()
      .selectAll('c')
      .select('p.person_id as party_key')
      .where((eb) => keyIn(this.dialect, eb, 'p.person_id', ids))
      .where('p.role', '=', 'APPLICANT')
      .where(sql<boolean>`(c.status != 'CLOSED' or ${unresumedTerminatedThisRound})`)
      .where(sql<boolean>`c.amount_due > c.amount_recovered`)
      .orderBy(sql`c.amount_due - c.amount_recovered`, 'desc')
      .orderBy('c.number')
      .execute();
    return groupInOrder(ids, rows, (r) => r.party_key!).map((list) => withoutColumn(list, 'party_key'));
  }

  async casesByHandler(ids: readonly string[], status: CaseStatusFilter) {
    let q = this.db
      .selectFrom('cases')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'handler_id', ids));
    if (status === 'UNCLOSED') q = q.where('status', '!=', 'CLOSED');
    else if (status === 'TERMINATED_THIS_ROUND')
      q = q
        .where('status', '=', 'CLOSED')
        .where('closure', '=', 'TERMINATED_THIS_ROUND')
        .where(sql<boolean>`not exists (select 1 from cases x where x.transferred_from = cases.number or x.continues = cases.number)`);
    else if (status) q = q.where('status', '=', status);
    const rows = await q.orderBy('filed_at', 'desc').orderBy('number').execute();
    return groupInOrder(ids, rows, (r) => r.handler_id!);
  }

  async partiesByCase(numbers: readonly string[]) {
    const rows = await this.db
      .selectFrom('case_parties')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'case_number', numbers))
      .orderBy('case_number')
      .orderBy('role')
      .orderBy('position')
      .execute();
    return groupInOrder(numbers, rows, (r) => r.case_number);
  }

  async excludedPeriodsByCase(numbers: readonly string[]) {
    const rows = await this.db
      .selectFrom('case_excluded_periods')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'case_number', numbers))
      .orderBy('case_number')
      .orderBy('starts_at')
      .execute();
    return groupInOrder(numbers, rows, (r) => r.case_number);
  }

  async supervisionOrdersByCase(numbers: readonly string[]) {
    const rows = await this.db
      .selectFrom('case_supervision_orders')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'case_number', numbers))
      .orderBy('case_number')
      .orderBy('supervised_at')
      .orderBy('supervising_court')
      .execute();
    return groupInOrder(numbers, rows, (r) => r.case_number);
  }

  async lineageNumbers(roots: readonly string[]) {
    const rows = await this.db
      .selectFrom('cases')
      .select(['lineage_root', 'number', 'transferred_from', 'continues'])
      .where((eb) => keyIn(this.dialect, eb, 'lineage_root', roots))
      .execute();
    // A lineage is a chain: the root, then the case opened from it (a transfer, or the execution case continuing a
    // preservation case), and so on (two moves may share a filing day).
    return groupInOrder(roots, rows, (r) => r.lineage_root).map((list) => {
      const from = (r: { transferred_from: string | null; continues?: string | null }) => r.transferred_from ?? r.continues ?? null;
      const next = new Map(list.map((r) => [from(r), r.number]));
      const chain: string[] = [];
      for (let at = list.find((r) => from(r) === null)?.number; at !== undefined && chain.length < list.length; at = next.get(at))
        chain.push(at);
      return chain;
    });
  }

  async lineageCarriers(numbers: readonly string[]) {
    // The newest case is the chain's end: no case of the lineage was opened from it, by a transfer or as the
    // execution case continuing a preservation case. Should a lineage ever fork, the latest filed end carries it.
    const rows = await this.db
      .selectFrom('cases as c')
      .innerJoin('cases as n', 'n.lineage_root', 'c.lineage_root')
      .select([
        'c.number as caseNumber',
        'c.executing_court as caseCourt',
        'n.number as newestCaseNumber',
        'n.executing_court as carryingCourt',
      ])
      .where((eb) => keyIn(this.dialect, eb, 'c.number', numbers))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('cases as m')
              .select('m.number')
              .whereRef('m.lineage_root', '=', 'n.lineage_root')
              .where(({ eb, or, ref }) => or([eb('m.transferred_from', '=', ref('n.number')), eb('m.continues', '=', ref('n.number'))])),
          ),
        ),
      )
      .orderBy('n.filed_at')
      .orderBy('n.number')
      .execute();
    // pickInOrder keeps the last row per key: the latest filed end.
    return pickInOrder(numbers, rows, (r) => r.caseNumber);
  }

  async transferredTo(numbers: readonly string[]) {
    const rows = await this.db
      .selectFrom('cases')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'transferred_from', numbers))
      .execute();
    return pickInOrder(numbers, rows, (r) => r.transferred_from!);
  }

  /**
   * Every debtor whose key contains `nameKey` (LIKE: ASCII case folded on SQLite, ILIKE on PostgreSQL), the exact
   * matches first, then the shortest keys, then by id, `limit` of them; and the unidentified debtor parties whose key
   * contains it, by key and case, `limit * 10` of them. Read through the gram tables (migrations.ts 0004, ADR 26) in
   * that order: for two characters or more, the rows of one two-character gram of the text, which every containing key
   * has, are read in index order until enough match (LIKE still decides: it is the answer's condition, the gram only
   * where to look); the exact matches come from the key's own index. Every gram of the text gives the same rows in the
   * same order, so the statement takes the rarest (`rarestGram`): the one with the fewest rows, counted up to
   * GRAM_PROBE each; the first of them when none has fewer. A rare text whose first two characters are common (四川…)
   * then reads the rows of its rare gram, not the hundreds of thousands of 四川's. One character: every gram starting with it, and
   * the matches sorted (not reachable through the API, which asks for two).
   *
   * On PostgreSQL the conditions the rows must pass are given to the planner as one opaque CASE (`decides`), which it
   * estimates at one half. Written plainly it estimates `LIKE '%…%'` at a few per cent and `person_id IS NULL` at about
   * one, not knowing that the gram implies the first (a two-character text: every row of its gram contains it) and the
   * gram table the second, so it expects `limit` matches only near the end of the gram rows: it then read every gram
   * row with two parallel workers (~25 ms to start them) and sorted them (ADR 26, addendum), instead of reading the
   * primary key in order until `limit` pass, as SQLite does. The conditions themselves are the same on both engines.
   */
  async searchByNameKey(nameKey: string, limit: number) {
    const like = (column: RawBuilder<unknown>) =>
      sql<boolean>`${column} ${likeIgnoringCase(this.dialect)} ${`%${nameKey.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`;
    const decides = (condition: RawBuilder<boolean>) =>
      this.dialect === 'postgres' ? sql<boolean>`(case when ${condition} then true else false end)` : condition;
    const chars = [...nameKey].length;
    const gramAt = (i: number) => sql`substr(lower(${nameKey}), ${sql.lit(i)}, 2)`;
    const rarestGram = (table: 'person_name_grams' | 'party_name_grams') =>
      chars === 2
        ? gramAt(1)
        : sql`(select g from (${sql.join(
            Array.from({ length: chars - 1 }, (_, i) => sql`select ${gramAt(i + 1)} as g, ${sql.lit(i)} as i`),
            sql` union all `,
          )}) grams order by (select count(*) from (select 1 from ${sql.table(table)} t where t.gram = grams.g limit ${sql.lit(
            GRAM_PROBE,
          )}) probe), i limit 1)`;
    // One character: the grams in [c, c || U+10FFFF U+10FFFF), which the gram's binary ("C") order makes a prefix.
    const top = sql.raw(this.dialect === 'postgres' ? 'chr(1114111) || chr(1114111)' : 'char(1114111, 1114111)');
    const startingWith = (column: RawBuilder<unknown>) =>
      sql<boolean>`${column} >= lower(${nameKey}) and ${column} < lower(${nameKey}) || ${top}`;
    const byRelevance = sql`order by name_key = ${nameKey} desc, length(name_key), id limit ${limit}`;
    const { rows: persons } =
      chars >= 2
        ? await sql<PersonRecord>`select * from (
              select * from (select * from persons where name_key = ${nameKey} and ${isDebtor} order by id limit ${limit}) exact
              union all
              select * from (
                select persons.* from person_name_grams g join persons on persons.id = g.person_id
                where g.gram = ${rarestGram('person_name_grams')} and ${decides(like(sql`persons.name_key`))} and persons.name_key != ${nameKey} and ${isDebtor}
                order by g.key_length, g.person_id limit ${limit}) containing
            ) m ${byRelevance}`.execute(this.db)
        : await sql<PersonRecord>`select * from persons
            where id in (select person_id from person_name_grams where ${startingWith(sql`gram`)})
              and ${like(sql`name_key`)} and ${isDebtor} ${byRelevance}`.execute(this.db);
    const unidentifiedDebtor = sql<boolean>`d.person_id is null and d.role = 'DEBTOR'`;
    const { rows: unidentified } =
      chars >= 2
        ? await sql<CasePartyRecord>`select d.* from party_name_grams g
            join case_parties d on d.case_number = g.case_number and d.role = 'DEBTOR' and d.position = g.position
            where g.gram = ${rarestGram('party_name_grams')} and ${decides(sql`${unidentifiedDebtor} and ${like(sql`d.name_key`)}`)}
            order by g.name_key, g.case_number, g.position limit ${limit * 10}`.execute(this.db)
        : await sql<CasePartyRecord>`select d.* from case_parties d
            where ${unidentifiedDebtor} and ${like(sql`d.name_key`)}
              and (d.case_number, d.position) in (select case_number, position from party_name_grams where ${startingWith(sql`gram`)})
            order by d.name_key, d.case_number, d.position limit ${limit * 10}`.execute(this.db);
    return { persons, unidentified };
  }

  async debtorPage(first: number, after: string | null) {
    let q = this.db.selectFrom('persons').selectAll().where(isDebtor);
    if (after !== null) q = q.where('id', '>', after);
    const rows = await q
      .orderBy('id')
      .limit(first + 1)
      .execute();
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  async countDebtors() {
    const row = await this.db
      .selectFrom('persons')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(isDebtor)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * On PostgreSQL the keys are the rows of `unnest`, a join the planner sizes from the array: `name_key = any($1)` over
   * debtorSearch's ~165 keys was planned for ~5 ms (a selectivity per element) as a bitmap scan with a parallel worker
   * (~15 ms to start, for 7 ms of work). The same rows either way.
   */
  async personsByNameKey(nameKeys: readonly string[]) {
    const rows = await this.db
      .selectFrom('persons')
      .selectAll()
      .where((eb) =>
        this.dialect === 'postgres'
          ? eb('name_key', 'in', sql<string>`(select unnest(${nameKeys}::text[]))`)
          : keyIn(this.dialect, eb, 'name_key', nameKeys),
      )
      .where(isDebtor)
      .orderBy('id')
      .execute();
    return groupInOrder(nameKeys, rows, (r) => r.name_key);
  }

  async caseAggregates(debtorIds: readonly string[]) {
    // Distinct (debtor, case) pairs first: a debtor named twice in one case counts that case once. Only implementation
    // cases (执, 执恢, 执保; domain/caseKinds.ts) count, as in the selection rules: a review case is heard, not executed.
    // The unclosed figures are over the open ones; the 未实结 count adds the 终本 cases not yet resumed.
    const query = sql<{
      debtor_id: string;
      unclosed: number;
      terminated: number;
      court_codes: string | null;
      prefectures: string | null;
      outstanding: number;
      oldest: string | null;
    }>`
      select d.person_id as debtor_id,
             sum(case when c.status != 'CLOSED' then 1 else 0 end) as unclosed,
             sum(case when c.status = 'CLOSED' then 1 else 0 end) as terminated,
             ${distinctList(this.dialect, sql`case when c.status != 'CLOSED' then c.executing_court end`)} as court_codes,
             ${distinctList(
               this.dialect,
               sql`case when c.status != 'CLOSED' then coalesce(k.prefecture, case when k.level = 'BASIC' then k.parent else k.code end) end`,
             )} as prefectures,
             coalesce(sum(case when c.status = 'CLOSED' or c.amount_due is null then 0 else c.amount_due - c.amount_recovered end), 0) as outstanding,
             min(case when c.status != 'CLOSED' then c.filed_at end) as oldest
      from (select distinct person_id, case_number from case_parties
            where ${sqlKeyIn(this.dialect, 'person_id', debtorIds)} and role = 'DEBTOR') d
      join cases c on c.number = d.case_number and ${sqlKeyIn(this.dialect, 'c.type_code', IMPLEMENTATION_TYPE_CODES)}
        and (c.status != 'CLOSED' or ${unresumedTerminatedThisRound})
      join courts k on k.code = c.executing_court
      group by d.person_id`;
    const onConnection = async () => (await query.execute(this.db)).rows;
    const rows = this.aggregateReads ? await this.aggregateReads.all(query.compile(this.db), onConnection) : await onConnection();
    const byId = new Map(rows.map((r) => [r.debtor_id, r]));
    return debtorIds.map((id) => {
      const r = byId.get(id);
      const unclosed = r ? Number(r.unclosed) : 0;
      const terminated = r ? Number(r.terminated) : 0;
      return {
        debtorId: id,
        unclosedCaseCount: unclosed,
        terminatedThisRoundCaseCount: terminated,
        unconcludedCaseCount: unclosed + terminated,
        courtCodes: r?.court_codes ? r.court_codes.split(',').sort() : [],
        prefectures: r?.prefectures ? r.prefectures.split(',').sort() : [],
        outstandingFen: r ? Number(r.outstanding) : 0,
        oldestUnclosedFiledAt: r?.oldest ?? null,
      };
    });
  }

  async ping() {
    await sql`select 1`.execute(this.db);
  }

  async close() {
    await this.aggregateReads?.close();
    await this.db.destroy();
  }
}
