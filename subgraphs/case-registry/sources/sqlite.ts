import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DecisionInput } from '../../../domain/transfers';
import { WRITE_TABLES } from '../../../lib/recordedWrite';
import { addColumnIfMissing, groupInOrder, inJsonList, openSqlite, pickInOrder, type OpenOptions } from '../../../lib/sqlite';
import type { InjectedFaults } from '../../../lib/subgraphServer';
import { RegistryWrites, type SupervisionEventInput, type WriteContext } from './decisions';
import { CASE_REGISTRY_TABLES, LINEAGE_HEAD_OF_F, type CaseRegistryDatabase, type TransferRow } from './ddl';
import type { TransferFilter, TransferredCaseRecord } from './records';
import type { CaseRegistrySource, CaseStatusFilter } from './source';

/** A debtor is an identified party that at least one case names as a debtor (not only as applicant). */
const isDebtor = sql<boolean>`exists (select 1 from case_parties d where d.person_id = persons.id and d.role = 'DEBTOR')`;

/** Brings a registry database written by an earlier version up to date: settlements, supervision, audit. */
export function migrateCaseRegistry(raw: Database.Database): void {
  addColumnIfMissing(raw, 'cases', 'settled_at', 'TEXT');
  raw.exec(CASE_REGISTRY_TABLES + WRITE_TABLES);
}

export function openCaseRegistrySqlite(file: string, opts: OpenOptions & { faults?: InjectedFaults } = {}): CaseRegistrySource {
  const { db, raw } = openSqlite<CaseRegistryDatabase>(file, { ...opts, migrate: migrateCaseRegistry });
  return new SqlCaseRegistry(db, new RegistryWrites(raw, opts.faults));
}

/** The case registry over its SQLite database: reads through Kysely, the workflow's writes on the raw connection. */
export class SqlCaseRegistry implements CaseRegistrySource {
  constructor(
    private readonly db: Kysely<CaseRegistryDatabase>,
    private readonly writes: RegistryWrites,
  ) {}

  async supervisionEvents(transferIds: readonly string[]) {
    const rows = await this.db.selectFrom('supervision_events').selectAll().where('transfer_id', 'in', inJsonList(transferIds)).orderBy('transfer_id').orderBy('seq').execute();
    return groupInOrder(transferIds, rows, (r) => r.transfer_id);
  }

  async decideTransfers(inputs: DecisionInput[], ctx: WriteContext, paths: string[]) {
    return this.writes.decideTransfers(inputs, ctx, paths);
  }

  async addSupervisionEvent(input: SupervisionEventInput, ctx: WriteContext, path: string) {
    return this.writes.addSupervisionEvent(input, ctx, path);
  }

  async assignSupervisor(transferId: string, supervisor: string, ctx: WriteContext, path: string) {
    return this.writes.assignSupervisor(transferId, supervisor, ctx, path);
  }

  async courtsByCode(codes: readonly string[]) {
    const rows = await this.db.selectFrom('courts').selectAll().where('code', 'in', inJsonList(codes)).execute();
    return pickInOrder(codes, rows, (r) => r.code);
  }

  async courts(filter: { level?: string | null; prefecture?: string | null }) {
    let q = this.db.selectFrom('courts').selectAll();
    if (filter.level) q = q.where('level', '=', filter.level as 'HIGH');
    if (filter.prefecture) q = q.where('prefecture', '=', filter.prefecture);
    return q.orderBy('code').execute();
  }

  async openCasesOfCourt(court: string, category: string | null, limit: number) {
    let q = this.db.selectFrom('cases').selectAll().where('executing_court', '=', court).where('status', '!=', 'CLOSED');
    if (category) q = q.where('category', '=', category);
    return q.orderBy('filed_at').orderBy('number').limit(limit).execute();
  }

  async debtorsInScope(ids: readonly string[], courts: readonly string[]) {
    const rows = await this.db
      .selectFrom('case_parties as p')
      .innerJoin('cases as c', 'c.number', 'p.case_number')
      .select('p.person_id')
      .distinct()
      .where('p.role', '=', 'DEBTOR')
      .where('p.person_id', 'in', inJsonList(ids))
      .where('c.executing_court', 'in', inJsonList(courts))
      .execute();
    const seen = new Set(rows.map((r) => r.person_id));
    return ids.map((id) => seen.has(id));
  }

  async childCourts(codes: readonly string[]) {
    const rows = await this.db.selectFrom('courts').selectAll().where('parent', 'in', inJsonList(codes)).orderBy('code').execute();
    return groupInOrder(codes, rows, (r) => r.parent!);
  }

  async openCaseCounts(codes: readonly string[]) {
    const rows = await this.db
      .selectFrom('cases')
      .select(['executing_court', (eb) => eb.fn.countAll<number>().as('n')])
      .where('executing_court', 'in', inJsonList(codes))
      .where('status', '!=', 'CLOSED')
      .groupBy('executing_court')
      .execute();
    const byCode = new Map(rows.map((r) => [r.executing_court, Number(r.n)]));
    return codes.map((c) => byCode.get(c) ?? 0);
  }

  async personsById(ids: readonly string[]) {
    const rows = await this.db.selectFrom('persons').selectAll().where('id', 'in', inJsonList(ids)).where(isDebtor).execute();
    return pickInOrder(ids, rows, (r) => r.id);
  }

  async casesByNumber(numbers: readonly string[]) {
    const rows = await this.db.selectFrom('cases').selectAll().where('number', 'in', inJsonList(numbers)).execute();
    return pickInOrder(numbers, rows, (r) => r.number);
  }

  async casesByDebtor(ids: readonly string[], status: CaseStatusFilter) {
    // A debtor named twice in one case (two positions) lists that case once.
    let q = this.db
      .selectFrom('case_parties as p')
      .innerJoin('cases as c', 'c.number', 'p.case_number')
      .distinct()
      .selectAll('c')
      .select('p.person_id as party_key')
      .where('p.person_id', 'in', inJsonList(ids))
      .where('p.role', '=', 'DEBTOR');
    if (status === 'UNCLOSED') q = q.where('c.status', '!=', 'CLOSED');
    else if (status) q = q.where('c.status', '=', status);
    const rows = await q.orderBy('c.filed_at', 'desc').orderBy('c.number').execute();
    return groupInOrder(ids, rows, (r) => r.party_key!).map((list) => list.map(({ party_key: _, ...c }) => c));
  }

  async casesByHandler(ids: readonly string[], status: CaseStatusFilter) {
    let q = this.db.selectFrom('cases').selectAll().where('handler_id', 'in', inJsonList(ids));
    if (status === 'UNCLOSED') q = q.where('status', '!=', 'CLOSED');
    else if (status) q = q.where('status', '=', status);
    const rows = await q.orderBy('filed_at', 'desc').orderBy('number').execute();
    return groupInOrder(ids, rows, (r) => r.handler_id!);
  }

  async partiesByCase(numbers: readonly string[]) {
    const rows = await this.db
      .selectFrom('case_parties')
      .selectAll()
      .where('case_number', 'in', inJsonList(numbers))
      .orderBy('case_number')
      .orderBy('role')
      .orderBy('position')
      .execute();
    return groupInOrder(numbers, rows, (r) => r.case_number);
  }

  async lineageNumbers(roots: readonly string[]) {
    const rows = await this.db.selectFrom('cases').select(['lineage_root', 'number', 'transferred_from']).where('lineage_root', 'in', inJsonList(roots)).execute();
    // A lineage is a chain: the root, then the case opened from it, and so on (two moves may share a filing day).
    return groupInOrder(roots, rows, (r) => r.lineage_root).map((list) => {
      const next = new Map(list.map((r) => [r.transferred_from, r.number]));
      const chain: string[] = [];
      for (let at = list.find((r) => r.transferred_from === null)?.number; at !== undefined && chain.length < list.length; at = next.get(at)) chain.push(at);
      return chain;
    });
  }

  async transferredTo(numbers: readonly string[]) {
    const rows = await this.db.selectFrom('cases').selectAll().where('transferred_from', 'in', inJsonList(numbers)).execute();
    return pickInOrder(numbers, rows, (r) => r.transferred_from!);
  }

  async searchByNameKey(nameKey: string, limit: number) {
    const pattern = `%${nameKey.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const persons = await this.db
      .selectFrom('persons')
      .selectAll()
      .where(sql<boolean>`name_key like ${pattern} escape '\\'`)
      .where(isDebtor)
      .orderBy(sql`name_key = ${nameKey}`, 'desc')
      .orderBy(sql`length(name_key)`)
      .orderBy('id')
      .limit(limit)
      .execute();
    const unidentified = await this.db
      .selectFrom('case_parties')
      .selectAll()
      .where('person_id', 'is', null)
      .where('role', '=', 'DEBTOR')
      .where(sql<boolean>`name_key like ${pattern} escape '\\'`)
      .orderBy('name_key')
      .orderBy('case_number')
      .limit(limit * 10)
      .execute();
    return { persons, unidentified };
  }

  async debtorPage(first: number, after: string | null) {
    let q = this.db.selectFrom('persons').selectAll().where(isDebtor);
    if (after !== null) q = q.where('id', '>', after);
    const rows = await q.orderBy('id').limit(first + 1).execute();
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  async personsByNameKey(nameKeys: readonly string[]) {
    const rows = await this.db.selectFrom('persons').selectAll().where('name_key', 'in', inJsonList(nameKeys)).where(isDebtor).orderBy('id').execute();
    return groupInOrder(nameKeys, rows, (r) => r.name_key);
  }

  async caseAggregates(debtorIds: readonly string[]) {
    // Distinct (debtor, case) pairs first: a debtor named twice in one case counts that case once.
    const { rows } = await sql<{
      debtor_id: string;
      unclosed: number;
      court_codes: string | null;
      prefectures: string | null;
      outstanding: number;
      oldest: string | null;
    }>`
      select d.person_id as debtor_id,
             count(*) as unclosed,
             group_concat(distinct c.executing_court) as court_codes,
             group_concat(distinct coalesce(k.prefecture, case when k.level = 'BASIC' then k.parent else k.code end)) as prefectures,
             coalesce(sum(case when c.amount_due is null then 0 else c.amount_due - c.amount_recovered end), 0) as outstanding,
             min(c.filed_at) as oldest
      from (select distinct person_id, case_number from case_parties
            where person_id in ${inJsonList(debtorIds)} and role = 'DEBTOR') d
      join cases c on c.number = d.case_number and c.status != 'CLOSED'
      join courts k on k.code = c.executing_court
      group by d.person_id`.execute(this.db);
    const byId = new Map(rows.map((r) => [r.debtor_id, r]));
    return debtorIds.map((id) => {
      const r = byId.get(id);
      return {
        debtorId: id,
        unclosedCaseCount: r ? Number(r.unclosed) : 0,
        courtCodes: r?.court_codes ? r.court_codes.split(',').sort() : [],
        prefectures: r?.prefectures ? r.prefectures.split(',').sort() : [],
        outstandingFen: r ? Number(r.outstanding) : 0,
        oldestUnclosedFiledAt: r?.oldest ?? null,
      };
    });
  }

  async transfersById(ids: readonly string[]) {
    const rows = await this.db.selectFrom('transfers').selectAll().where('id', 'in', inJsonList(ids)).execute();
    return pickInOrder(ids, rows, (r) => r.id);
  }

  private transferredCasesQuery() {
    // The carrying-on case is the newest of the decided case's lineage, so a case moved again is followed on.
    return this.db
      .selectFrom('transfer_cases as tc')
      .innerJoin('transfers as t', 't.id', 'tc.transfer_id')
      .innerJoin('cases as f', 'f.number', 'tc.from_case')
      .innerJoin('cases as n', (join) =>
        join.onRef('n.number', '=', sql`(${sql.raw(LINEAGE_HEAD_OF_F)})`),
      )
      .leftJoin('cases as o', 'o.number', 'tc.to_case')
      .select([
        'tc.transfer_id', 'tc.from_case', 'tc.to_case', 'tc.recovered_before', 't.mode', 't.decided_at', 'n.number as carried_on', 'n.amount_recovered as carried_recovered',
        'f.executing_court as from_court', 'o.executing_court as to_court',
      ]);
  }

  private static toTransferredCase(r: {
    transfer_id: string; from_case: string; to_case: string | null; recovered_before: number; mode: TransferredCaseRecord['mode'];
    decided_at: string; carried_on: string; carried_recovered: number; from_court: string; to_court: string | null;
  }): TransferredCaseRecord {
    return {
      transferId: r.transfer_id,
      mode: r.mode,
      decidedAt: r.decided_at,
      fromCase: r.from_case,
      toCase: r.to_case,
      fromCourt: r.from_court,
      toCourt: r.to_court,
      recoveredBefore: r.recovered_before,
      carriedOn: r.carried_on,
      carriedOnRecovered: Number(r.carried_recovered),
    };
  }

  async transferredCases(transferIds: readonly string[]) {
    const rows = await this.transferredCasesQuery().where('tc.transfer_id', 'in', inJsonList(transferIds)).orderBy('tc.from_case').execute();
    return groupInOrder(transferIds, rows.map(SqlCaseRegistry.toTransferredCase), (r) => r.transferId);
  }

  async transfersByCase(numbers: readonly string[]) {
    // A case is keyed once as the case decided on and once as the case opened, so both ends of a move keep the
    // decision even when they are in the same batch.
    const { rows } = await sql<TransferRow & { case_key: string }>`
      select t.*, tc.from_case as case_key from transfer_cases tc join transfers t on t.id = tc.transfer_id
      where tc.from_case in ${inJsonList(numbers)}
      union all
      select t.*, tc.to_case as case_key from transfer_cases tc join transfers t on t.id = tc.transfer_id
      where tc.to_case in ${inJsonList(numbers)}
      order by decided_at, id`.execute(this.db);
    return groupInOrder(numbers, rows, (r) => r.case_key).map((list) => list.map(({ case_key: _, ...t }) => t));
  }

  private filtered(filter: TransferFilter) {
    let q = this.db.selectFrom('transfers as t').selectAll('t');
    if (filter.from) q = q.where('t.decided_at', '>=', filter.from);
    if (filter.to) q = q.where('t.decided_at', '<=', filter.to);
    if (filter.mode) q = q.where('t.mode', '=', filter.mode);
    if (filter.unsupervised) q = q.where('t.supervisor_id', 'is', null);
    if (filter.courts) {
      const courts = inJsonList(filter.courts);
      q = q.where((eb) =>
        eb.or([
          eb('t.deciding_court', 'in', courts),
          eb('t.receiving_court', 'in', courts),
          eb.exists(
            eb.selectFrom('transfer_cases as y').innerJoin('cases as s', 's.number', 'y.from_case').select(sql`1`.as('one')).whereRef('y.transfer_id', '=', 't.id').where('s.executing_court', 'in', courts),
          ),
        ]),
      );
    }
    if (filter.prefecture) {
      const prefecture = filter.prefecture;
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('transfer_cases as x')
            .innerJoin('cases as c', 'c.number', 'x.from_case')
            .innerJoin('courts as k', 'k.code', 'c.executing_court')
            .select(sql`1`.as('one'))
            .whereRef('x.transfer_id', '=', 't.id')
            .where('k.prefecture', '=', prefecture),
        ),
      );
    }
    return q;
  }

  async transfersPage(filter: TransferFilter, first: number, after: { decidedAt: string; id: string } | null) {
    let q = this.filtered(filter);
    if (after) q = q.where((eb) => eb.or([eb('t.decided_at', '<', after.decidedAt), eb.and([eb('t.decided_at', '=', after.decidedAt), eb('t.id', '<', after.id)])]));
    const rows = await q.orderBy('t.decided_at', 'desc').orderBy('t.id', 'desc').limit(first + 1).execute();
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  async transferredCasesMatching(filter: TransferFilter) {
    const ids = this.filtered({ ...filter, prefecture: null }).clearSelect().select('t.id');
    let q = this.transferredCasesQuery().where('tc.transfer_id', 'in', ids);
    // With a prefecture, only the cases sent from its courts count, not every case of a decision touching it.
    if (filter.prefecture) q = q.innerJoin('courts as k', 'k.code', 'f.executing_court').where('k.prefecture', '=', filter.prefecture);
    const rows = await q.execute();
    return rows.map(SqlCaseRegistry.toTransferredCase);
  }

  async receivedTransferCases(courtCodes: readonly string[]) {
    const rows = await this.db
      .selectFrom('cases')
      .selectAll()
      .where('executing_court', 'in', inJsonList(courtCodes))
      .where('transferred_from', 'is not', null)
      .orderBy('filed_at', 'desc')
      .orderBy('number')
      .execute();
    return groupInOrder(courtCodes, rows, (r) => r.executing_court);
  }

  async ping() {
    await sql`select 1`.execute(this.db);
  }

  async close() {
    await this.db.destroy();
  }
}
