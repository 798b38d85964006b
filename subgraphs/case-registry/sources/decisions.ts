import { sql } from 'kysely';
import { ErrorCode, ValidationError } from '../../../domain/errors';
import { checkOfficerId } from '../../../domain/identifiers';
import {
  checkDecisionCases,
  checkDecisionInput,
  defaultDeadline,
  resumesOnDecision,
  type DecisionCase,
  type DecisionCaseFacts,
  type DecisionInput,
} from '../../../domain/transfers';
import type { Viewer } from '../../../lib/auth';
import type { RecordedWriteStore } from '../../../lib/recordedWrite';
import { dialectOf, keyIn } from '../../../lib/database';
import { type SqliteStatements } from '../../../lib/sqlite';
import type { InjectedFaults } from '../../../lib/subgraphServer';
import { checkOnRoster } from './rosterCopy';
import type { CaseRegistrySource } from './source';
import { transferWorkflowWriters } from './tables';
import { LINEAGE_HEAD_OF_F, type EmbeddedWorkflowDatabase } from './workflowDdl';
import type { SupervisionEventInput, WriteContext } from './workflowStore';

export type { SupervisionEventInput, WriteContext } from './workflowStore';

/**
 * The transfer workflow's writes, each one synchronous IMMEDIATE transaction under an idempotency key
 * (lib/recordedWrite): a decision either lands whole — old cases closed and new cases opened in the registry (through
 * CaseRegistrySource, on the same connection), the decision, its cases and its first supervision event — or not at
 * all. Every statement is a typed Kysely statement run on that connection.
 */
export class TransferDecisions {
  private readonly writers: ReturnType<typeof transferWorkflowWriters>;

  constructor(
    private readonly sql: SqliteStatements<EmbeddedWorkflowDatabase>,
    private readonly registry: CaseRegistrySource,
    private readonly records: RecordedWriteStore,
    private readonly faults: InjectedFaults = {},
  ) {
    this.writers = transferWorkflowWriters(sql);
  }

  decideTransfers(inputs: DecisionInput[], ctx: WriteContext, paths: string[]): { transferIds: string[]; replayed: boolean } {
    const { result, replayed } = this.records.recorded(
      {
        operation: 'decideTransfer',
        idempotencyKey: ctx.idempotencyKey,
        input: inputs,
        actor: ctx.actor,
        principal: ctx.viewer.court,
        at: ctx.now,
      },
      () => {
        inputs.forEach((input, i) => {
          checkDecisionInput(input, ctx.today, paths[i]!);
          // The decision is the viewer's court's: a user decides only for the court their token names.
          if (input.decidingCourt !== ctx.viewer.court) {
            throw new ValidationError(
              `${paths[i]}.decidingCourt`,
              'VIEWER_NOT_DECIDING_COURT',
              `you act for ${ctx.viewer.court}, not ${input.decidingCourt}`,
              ErrorCode.FORBIDDEN,
            );
          }
          checkOnRoster(this.sql, input.supervisor!, input.decidingCourt, `${paths[i]}.supervisor`);
        });
        const named = new Map<string, string>();
        inputs.forEach((input, i) =>
          input.caseNumbers.forEach((n, j) => {
            const first = named.get(n);
            if (first) throw new ValidationError(`${paths[i]}.caseNumbers[${j}]`, 'DUPLICATE_CASE', `${n} is already named by ${first}`);
            named.set(n, `${paths[i]}.caseNumbers[${j}]`);
          }),
        );
        const transferIds: string[] = [];
        let moved = 0;
        inputs.forEach((input, i) => {
          const cases = this.withKinds(this.registry.decisionCases(input.caseNumbers));
          const moving = new Set(checkDecisionCases(input, cases, paths[i]!).map((c) => c.number));
          const recovered = new Map(cases.flatMap((c) => (c ? [[c.number, c.amountRecovered] as const] : [])));
          const resuming = new Map(cases.flatMap((c) => (c && resumesOnDecision(c) ? [[c.number, c.executingCourt] as const] : [])));
          transferIds.push(
            this.writeDecision(input, ctx, moving, resuming, recovered, () => {
              moved++;
              if (this.faults.failAfterMovedCases !== undefined && moved >= this.faults.failAfterMovedCases) {
                throw new Error(`injected failure after ${moved} moved case(s)`);
              }
            }),
          );
        });
        return { transferIds };
      },
    );
    return { transferIds: result.transferIds, replayed };
  }

  /**
   * Adds each case's type code and category, which decide whether a transfer may move it. Read from the registry's
   * `cases` table on the shared connection (one statement), like the supervision checks below.
   */
  private withKinds<C extends DecisionCase>(cases: (C | null)[]): ((C & DecisionCaseFacts) | null)[] {
    const numbers = cases.flatMap((c) => (c ? [c.number] : []));
    const rows = numbers.length
      ? this.sql.all(
          this.sql.db
            .selectFrom('cases')
            .select(['number', 'type_code', 'category'])
            .where((eb) => keyIn(dialectOf(this.sql.db), eb, 'number', numbers)),
        )
      : [];
    const kinds = new Map(rows.map((r) => [r.number, r]));
    return cases.map((c) => {
      if (c === null) return null;
      const kind = kinds.get(c.number)!;
      return { ...c, typeCode: kind.type_code, category: kind.category };
    });
  }

  private nextTransferId(): string {
    // Ids are `T` and a zero-padded number; the longest, then greatest, is the newest.
    const last = this.sql.first(
      this.sql.db
        .selectFrom('transfers')
        .select('id')
        .where('id', 'like', 'T%')
        .orderBy(sql`length(id)`, 'desc')
        .orderBy('id', 'desc')
        .limit(1),
    );
    const n = last && /^T(\d+)$/.test(last.id) ? Number(last.id.slice(1)) : 0;
    return `T${String(n + 1).padStart(6, '0')}`;
  }

  private writeDecision(
    input: DecisionInput,
    ctx: WriteContext,
    moving: Set<string>,
    resuming: Map<string, string>,
    recovered: Map<string, number>,
    afterMove: () => void,
  ): string {
    const id = this.nextTransferId();
    this.writers.transfer({
      id,
      mode: input.mode,
      deciding_court: input.decidingCourt,
      receiving_court: input.receivingCourt,
      decided_at: ctx.today,
      deadline: input.deadline ?? defaultDeadline(input.mode, ctx.today),
      supervisor_id: input.supervisor,
      reasons: input.reasons.join(','),
      note: input.note,
    });
    for (const number of input.caseNumbers) {
      let to: string | null = null;
      const resumedAt = resuming.get(number);
      if (resumedAt !== undefined) {
        // A 终本 case stays closed as it was; the decision resumes it (恢复执行) under a new 执恢 number in the same
        // lineage: at the receiving court when the mode moves it, else at its own court.
        const moves = moving.has(number);
        to = this.registry.resumeCase(number, moves ? input.receivingCourt! : resumedAt, ctx.today, moves).number;
        if (moves) afterMove();
      } else if (moving.has(number)) {
        // Closed at the sending court as terminated by the transfer; continued at the receiving court under the
        // next number for that court, year and type, in the same lineage.
        if (!this.registry.closeAsTransferred(number, ctx.today)) {
          throw new ValidationError(
            'caseNumbers',
            'CASE_CLOSED',
            `${number} closed while the decision was being written`,
            ErrorCode.CONFLICT,
          );
        }
        to = this.registry.openContinuation(number, input.receivingCourt!, ctx.today).number;
        afterMove();
      }
      this.writers.transferCase({ transfer_id: id, from_case: number, to_case: to, recovered_before: recovered.get(number)! });
    }
    this.writers.supervisionEvent({
      transfer_id: id,
      seq: 1,
      at: ctx.today,
      author_id: input.supervisor,
      kind: 'DECIDED',
      note: `${input.mode} decided by ${input.decidingCourt}${input.note ? `: ${input.note}` : ''}`,
    });
    return id;
  }

  private nextSeq(transferId: string): number {
    const last = this.sql.first(
      this.sql.db
        .selectFrom('supervision_events')
        .select((eb) => eb.fn.max('seq').as('n'))
        .where('transfer_id', '=', transferId),
    );
    return (last?.n ?? 0) + 1;
  }

  addSupervisionEvent(input: SupervisionEventInput, ctx: WriteContext, at: string): { transferId: string; seq: number; replayed: boolean } {
    const { result, replayed } = this.records.recorded(
      {
        operation: 'addSupervisionNote',
        idempotencyKey: ctx.idempotencyKey,
        input,
        actor: ctx.actor,
        principal: ctx.viewer.court,
        at: ctx.now,
      },
      () => {
        this.requireOpenSupervision(input.transferId, `${at}.transferId`, ctx.viewer, input.kind === 'PROGRESS');
        checkOfficerId(input.author, `${at}.author`);
        // The author writes for the acting court: an officer of that court.
        checkOnRoster(this.sql, input.author, ctx.viewer.court, `${at}.author`);
        if (input.note.trim() === '')
          throw new ValidationError(`${at}.note`, 'NOTE_REQUIRED', 'a supervision note says what was done or found');
        if (input.note.length > 2000) throw new ValidationError(`${at}.note`, 'NOTE_TOO_LONG', 'at most 2000 characters');
        const seq = this.nextSeq(input.transferId);
        this.writers.supervisionEvent({
          transfer_id: input.transferId,
          seq,
          at: ctx.today,
          author_id: input.author,
          kind: input.kind,
          note: input.note.trim(),
        });
        return { transferId: input.transferId, seq };
      },
    );
    return { ...result, replayed };
  }

  assignSupervisor(transferId: string, supervisor: string, ctx: WriteContext, at: string): { transferId: string; replayed: boolean } {
    const { result, replayed } = this.records.recorded(
      {
        operation: 'assignSupervisor',
        idempotencyKey: ctx.idempotencyKey,
        input: { transferId, supervisor },
        actor: ctx.actor,
        principal: ctx.viewer.court,
        at: ctx.now,
      },
      () => {
        const decision = this.requireOpenSupervision(transferId, `${at}.transferId`, ctx.viewer);
        checkOfficerId(supervisor, `${at}.supervisor`);
        // Whoever decided supervises: the supervisor is an officer of the deciding court, whoever assigns.
        checkOnRoster(this.sql, supervisor, decision.deciding_court, `${at}.supervisor`);
        this.sql.run(this.sql.db.updateTable('transfers').set({ supervisor_id: supervisor }).where('id', '=', transferId));
        const seq = this.nextSeq(transferId);
        this.writers.supervisionEvent({
          transfer_id: transferId,
          seq,
          at: ctx.today,
          author_id: supervisor,
          kind: 'ASSIGNED',
          note: `supervision assigned to ${supervisor}`,
        });
        return { transferId };
      },
    );
    return { ...result, replayed };
  }

  /**
   * Whether a court executes, today, the case one matter of the decision was left at — the case it opened at the
   * receiving court, or the case it covered without moving — and no later decision has moved that case on: such a
   * court, and the coordinating court of a collaboration, report progress.
   */
  private isWorkingCourt(transferId: string, court: string): boolean {
    const q = this.sql.db;
    const row = this.sql.first(
      q
        .selectFrom('transfer_cases as tc')
        .innerJoin('cases as c', (join) => join.onRef('c.number', '=', sql`coalesce(tc.to_case, tc.from_case)`))
        .select(sql<number>`1`.as('one'))
        .where('tc.transfer_id', '=', transferId)
        .where('c.executing_court', '=', court)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('cases as n')
                .select(sql`1`.as('one'))
                .whereRef('n.transferred_from', '=', 'c.number'),
            ),
          ),
        ),
    );
    return row !== undefined;
  }

  /** How many of the decision's cases are still open where they are carried on now. */
  private openCarriedOnCases(transferId: string): number {
    const row = this.sql.first(
      this.sql.db
        .selectFrom('transfer_cases as tc')
        .innerJoin('cases as f', 'f.number', 'tc.from_case')
        .innerJoin('cases as h', (join) => join.onRef('h.number', '=', sql`(${sql.raw(LINEAGE_HEAD_OF_F)})`))
        .select((eb) => eb.fn.countAll<number>().as('open'))
        .where('tc.transfer_id', '=', transferId)
        .where('h.status', '!=', 'CLOSED'),
    );
    return Number(row?.open ?? 0);
  }

  /**
   * The deciding court (or the high court) supervises: it assigns, notes and urges. A progress report may also come
   * from the courts the decision put to work while they still hold its cases: the receiving court, the court of a
   * case covered without moving (a deadline order's court, a collaborating court), and a collaboration's
   * coordinating court. All of them can read the decision (scope.ts transferVisible), so a court never writes to a
   * decision it cannot see; once a later decision moves a case on, its new court reports there.
   * Supervision stays open until every case the decision covered has closed where it is carried on now. The refusal
   * does not name the supervising court: the decision may be outside the viewer's scope.
   */
  private requireOpenSupervision(transferId: string, field: string, viewer: Viewer, progressReport = false) {
    const decision = this.sql.first(
      this.sql.db.selectFrom('transfers').select(['mode', 'deciding_court', 'receiving_court']).where('id', '=', transferId),
    );
    if (!decision) throw new ValidationError(field, 'TRANSFER_NOT_FOUND', `no transfer decision ${transferId}`, ErrorCode.NOT_FOUND);
    const supervising = viewer.role === 'high' || viewer.court === decision.deciding_court;
    const reporting =
      progressReport &&
      ((decision.mode === 'COLLABORATIVE' && viewer.court === decision.receiving_court) || this.isWorkingCourt(transferId, viewer.court));
    if (!supervising && !reporting) {
      const who = progressReport ? 'the deciding court or a court it put to work' : 'the deciding court';
      throw new ValidationError(
        field,
        'VIEWER_NOT_SUPERVISING_COURT',
        `only ${who} may do this for ${transferId}; you act for ${viewer.court}`,
        ErrorCode.FORBIDDEN,
      );
    }
    if (this.openCarriedOnCases(transferId) === 0) {
      throw new ValidationError(
        field,
        'SUPERVISION_CLOSED',
        `every case of ${transferId} has closed, so its supervision is closed`,
        ErrorCode.CONFLICT,
      );
    }
    return decision;
  }
}
