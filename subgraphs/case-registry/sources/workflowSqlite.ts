import type Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { DecisionInput } from '../../../domain/transfers';
import { SqlRecordedWrites } from '../../../lib/recordedWrite';
import { dialectOf, keyIn, sqlKeyIn, type Dialect } from '../../../lib/database';
import { migrateSqliteDatabase, WRITE_RECORDS_MIGRATIONS } from '../../../lib/migrations';
import { DEFAULT_BUSY_TIMEOUT_MS, groupInOrder, pickInOrder, withoutColumn, type OpenOptions } from '../../../lib/sqlite';
import { WriteTransactions } from '../../../lib/writeTransaction';
import type { InjectedFaults } from '../../../lib/subgraphServer';
import { TransferDecisions } from './decisions';
import type { TransferFilter, TransferredCaseRecord } from './records';
import type { CaseRegistrySource } from './source';
import { TRANSFER_WORKFLOW_MIGRATIONS } from './migrations';
import { openCaseRegistrySqlite } from './sqlite';
import { LINEAGE_HEAD_OF_F, type EmbeddedWorkflowDatabase, type TransferRow, type TransferWorkflowDatabase } from './workflowDdl';
import type { DebtorChangesRecord, SupervisionEventInput, TransferWorkflowStore, WriteContext } from './workflowStore';

export { TRANSFER_WORKFLOW_INDEXES, TRANSFER_WORKFLOW_TABLES } from './migrations';

/** The workflow's own tables (and its write bookkeeping), brought up to the latest step: its migrations, not the registry's. */
export function migrateTransferWorkflow(raw: Database.Database): void {
  migrateSqliteDatabase(raw, [...TRANSFER_WORKFLOW_MIGRATIONS, ...WRITE_RECORDS_MIGRATIONS]);
}

/**
 * The embedded default: the registry and the transfer workflow in the registry's one SQLite file, on one connection,
 * so a decision — the workflow's rows and the registry's closed and opened cases — commits or rolls back as one
 * IMMEDIATE transaction under SQLite's one write lock, on the same Kysely instance (and so the same one connection) the
 * reads use.
 */
export function openEmbeddedCaseRegistry(
  file: string,
  opts: OpenOptions & { faults?: InjectedFaults } = {},
): { registry: CaseRegistrySource; workflow: TransferWorkflowStore } {
  const registry = openCaseRegistrySqlite(file, { ...opts, migrate: migrateTransferWorkflow });
  return {
    registry,
    workflow: new SqlTransferWorkflow(
      registry.db.withTables<TransferWorkflowDatabase>(),
      registry,
      opts.faults,
      opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    ),
  };
}

/**
 * The transfer workflow over the registry's database: reads through Kysely (joining the registry's cases, which
 * share the database), writes through typed Kysely statements in one transaction each (decisions.ts,
 * lib/writeTransaction), on the same Kysely instance.
 */
export class SqlTransferWorkflow implements TransferWorkflowStore {
  private readonly decisions: TransferDecisions;
  private readonly records: SqlRecordedWrites<EmbeddedWorkflowDatabase>;
  private readonly dialect: Dialect;

  async debtorsChangedByDecisions(after: number | null, limit: number): Promise<DebtorChangesRecord> {
    const decided = (q: typeof this.db) =>
      q.selectFrom('audit_log').where('outcome', '=', 'ACCEPTED').where('operation', '=', 'decideTransfer');
    if (after === null) {
      const last = await decided(this.db)
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirst();
      return { debtorIds: [], cursor: last?.id ?? 0, hasMore: false };
    }
    const rows = await decided(this.db)
      .select(['id', 'input'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    const taken = rows.slice(0, limit);
    // The recorded input is the decisions' canonical JSON: a list of decisions, each naming its case numbers.
    const numbers = [
      ...new Set(taken.flatMap((r) => (JSON.parse(r.input) as { caseNumbers?: string[] }[]).flatMap((d) => d.caseNumbers ?? []))),
    ];
    const debtors = numbers.length
      ? await this.db
          .selectFrom('case_parties')
          .select('person_id')
          .distinct()
          .where((eb) => keyIn(this.dialect, eb, 'case_number', numbers))
          .where('role', '=', 'DEBTOR')
          .where('person_id', 'is not', null)
          .orderBy('person_id')
          .execute()
      : [];
    return { debtorIds: debtors.map((d) => d.person_id!), cursor: taken.at(-1)?.id ?? after, hasMore: rows.length > limit };
  }

  constructor(
    private readonly db: Kysely<EmbeddedWorkflowDatabase>,
    registry: CaseRegistrySource,
    faults: InjectedFaults = {},
    lockWaitMs = DEFAULT_BUSY_TIMEOUT_MS,
  ) {
    this.dialect = dialectOf(db);
    this.records = new SqlRecordedWrites(new WriteTransactions(db, lockWaitMs), 'case-registry');
    this.decisions = new TransferDecisions(registry, this.records, faults);
  }

  async decideTransfers(inputs: DecisionInput[], ctx: WriteContext, paths: string[]) {
    return this.decisions.decideTransfers(inputs, ctx, paths);
  }

  async addSupervisionEvent(input: SupervisionEventInput, ctx: WriteContext, path: string) {
    return this.decisions.addSupervisionEvent(input, ctx, path);
  }

  async assignSupervisor(transferId: string, supervisor: string, ctx: WriteContext, path: string) {
    return this.decisions.assignSupervisor(transferId, supervisor, ctx, path);
  }

  async supervisionEvents(transferIds: readonly string[]) {
    const rows = await this.db
      .selectFrom('supervision_events')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'transfer_id', transferIds))
      .orderBy('transfer_id')
      .orderBy('seq')
      .execute();
    return groupInOrder(transferIds, rows, (r) => r.transfer_id);
  }

  async transfersById(ids: readonly string[]) {
    const rows = await this.db
      .selectFrom('transfers')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'id', ids))
      .execute();
    return pickInOrder(ids, rows, (r) => r.id);
  }

  private transferredCasesQuery() {
    // The carrying-on case is the newest of the decided case's lineage, so a case moved again is followed on.
    return this.db
      .selectFrom('transfer_cases as tc')
      .innerJoin('transfers as t', 't.id', 'tc.transfer_id')
      .innerJoin('cases as f', 'f.number', 'tc.from_case')
      .innerJoin('cases as n', (join) => join.onRef('n.number', '=', sql`(${sql.raw(LINEAGE_HEAD_OF_F)})`))
      .leftJoin('cases as o', 'o.number', 'tc.to_case')
      .select([
        'tc.transfer_id',
        'tc.from_case',
        'tc.to_case',
        'tc.recovered_before',
        't.mode',
        't.decided_at',
        't.deadline',
        't.deciding_court',
        'n.number as carried_on',
        'n.amount_recovered as carried_recovered',
        'f.executing_court as from_court',
        'o.executing_court as to_court',
      ]);
  }

  private static toTransferredCase(r: {
    transfer_id: string;
    from_case: string;
    to_case: string | null;
    recovered_before: number;
    mode: TransferredCaseRecord['mode'];
    decided_at: string;
    deadline: string;
    deciding_court: string;
    carried_on: string;
    carried_recovered: number;
    from_court: string;
    to_court: string | null;
  }): TransferredCaseRecord {
    return {
      transferId: r.transfer_id,
      mode: r.mode,
      decidedAt: r.decided_at,
      deadline: r.deadline,
      decidingCourt: r.deciding_court,
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
    const rows = await this.transferredCasesQuery()
      .where((eb) => keyIn(this.dialect, eb, 'tc.transfer_id', transferIds))
      .orderBy('tc.from_case')
      .execute();
    return groupInOrder(transferIds, rows.map(SqlTransferWorkflow.toTransferredCase), (r) => r.transferId);
  }

  async transferHistoryByDebtor(debtorIds: readonly string[]) {
    // One statement for every debtor of the batch: the cases each decision covered that name the debtor.
    const rows = await this.transferredCasesQuery()
      .innerJoin('case_parties as p', (join) => join.onRef('p.case_number', '=', 'tc.from_case').on('p.role', '=', 'DEBTOR'))
      .select('p.person_id as debtor_id')
      .distinct()
      .where((eb) => keyIn(this.dialect, eb, 'p.person_id', debtorIds))
      .orderBy('t.decided_at')
      .orderBy('tc.transfer_id')
      .orderBy('tc.from_case')
      .execute();
    return groupInOrder(
      debtorIds,
      rows.map((r) => ({ debtorId: r.debtor_id as string, record: SqlTransferWorkflow.toTransferredCase(r) })),
      (r) => r.debtorId,
    ).map((list) => list.map((r) => r.record));
  }

  async transfersByCase(numbers: readonly string[]) {
    // A case is keyed once as the case decided on and once as the case opened, so both ends of a move keep the
    // decision even when they are in the same batch.
    const { rows } = await sql<TransferRow & { case_key: string }>`
      select t.*, tc.from_case as case_key from transfer_cases tc join transfers t on t.id = tc.transfer_id
      where ${sqlKeyIn(this.dialect, 'tc.from_case', numbers)}
      union all
      select t.*, tc.to_case as case_key from transfer_cases tc join transfers t on t.id = tc.transfer_id
      where ${sqlKeyIn(this.dialect, 'tc.to_case', numbers)}
      order by decided_at, id`.execute(this.db);
    return groupInOrder(numbers, rows, (r) => r.case_key).map((list) => withoutColumn(list, 'case_key'));
  }

  private filtered(filter: TransferFilter) {
    let q = this.db.selectFrom('transfers as t').selectAll('t');
    if (filter.from) q = q.where('t.decided_at', '>=', filter.from);
    if (filter.to) q = q.where('t.decided_at', '<=', filter.to);
    if (filter.mode) q = q.where('t.mode', '=', filter.mode);
    if (filter.unsupervised) q = q.where('t.supervisor_id', 'is', null);
    if (filter.courts) {
      const courts = filter.courts;
      q = q.where((eb) =>
        eb.or([
          keyIn(this.dialect, eb, 't.deciding_court', courts),
          keyIn(this.dialect, eb, 't.receiving_court', courts),
          eb.exists(
            eb
              .selectFrom('transfer_cases as y')
              .innerJoin('cases as s', 's.number', 'y.from_case')
              .select(sql`1`.as('one'))
              .whereRef('y.transfer_id', '=', 't.id')
              .where((w) => keyIn(this.dialect, w, 's.executing_court', courts)),
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
    if (after)
      q = q.where((eb) =>
        eb.or([eb('t.decided_at', '<', after.decidedAt), eb.and([eb('t.decided_at', '=', after.decidedAt), eb('t.id', '<', after.id)])]),
      );
    const rows = await q
      .orderBy('t.decided_at', 'desc')
      .orderBy('t.id', 'desc')
      .limit(first + 1)
      .execute();
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  async countTransfers(filter: TransferFilter) {
    const row = await this.filtered(filter)
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async transferredCasesMatching(filter: TransferFilter) {
    const ids = this.filtered({ ...filter, prefecture: null })
      .clearSelect()
      .select('t.id');
    let q = this.transferredCasesQuery().where('tc.transfer_id', 'in', ids);
    // With a prefecture, only the cases sent from its courts count, not every case of a decision touching it.
    if (filter.prefecture) q = q.innerJoin('courts as k', 'k.code', 'f.executing_court').where('k.prefecture', '=', filter.prefecture);
    const rows = await q.execute();
    return rows.map(SqlTransferWorkflow.toTransferredCase);
  }

  async receivedTransferCases(courtCodes: readonly string[]) {
    const rows = await this.db
      .selectFrom('cases')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'executing_court', courtCodes))
      .where('transferred_from', 'is not', null)
      .orderBy('filed_at', 'desc')
      .orderBy('number')
      .execute();
    return groupInOrder(courtCodes, rows, (r) => r.executing_court);
  }

  /** Writes the refusals' audit records still waiting for the lock; the registry owns the shared connection and closes it. */
  async close() {
    await this.records.close();
  }
}
