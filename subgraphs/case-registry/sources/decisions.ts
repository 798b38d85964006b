import { sql, type Insertable, type Kysely } from 'kysely';
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
import type { InjectedFaults } from '../../../lib/subgraphServer';
import { checkOnRoster } from './rosterCopy';
import type { CaseRegistrySource, RegistryTransaction } from './source';
import { LINEAGE_HEAD_OF_F, type EmbeddedWorkflowDatabase, type SupervisionEventRow } from './workflowDdl';
import type { SupervisionEventInput, WriteContext } from './workflowStore';

export type { SupervisionEventInput, WriteContext } from './workflowStore';

type Tx = Kysely<EmbeddedWorkflowDatabase>;

/** The registry's tables of the workflow's transaction (the registry's file holds both in the embedded default). */
const registryTx = (tx: Tx) => tx as unknown as RegistryTransaction;

/**
 * The transfer workflow's writes, each one transaction under an idempotency key (lib/recordedWrite,
 * lib/writeTransaction): a decision either lands whole — old cases closed and new cases opened in the registry
 * (through CaseRegistrySource, on the same transaction), the decision, its cases and its first supervision event — or
 * not at all. Every statement is a typed Kysely statement on that transaction; on PostgreSQL the whole write may run
 * again after a conflict, so nothing here keeps state between runs.
 */
export class TransferDecisions {
  constructor(
    private readonly registry: CaseRegistrySource,
    private readonly records: RecordedWriteStore<EmbeddedWorkflowDatabase>,
    private readonly faults: InjectedFaults = {},
  ) {}

  async decideTransfers(
    inputs: DecisionInput[],
    ctx: WriteContext,
    paths: string[],
  ): Promise<{ transferIds: string[]; replayed: boolean }> {
    const { result, replayed } = await this.records.recorded(
      {
        operation: 'decideTransfer',
        idempotencyKey: ctx.idempotencyKey,
        input: inputs,
        actor: ctx.actor,
        principal: ctx.viewer.court,
        at: ctx.now,
      },
      async (tx) => {
        for (const [i, input] of inputs.entries()) {
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
          await checkOnRoster(tx, input.supervisor!, input.decidingCourt, `${paths[i]}.supervisor`);
        }
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
        for (const [i, input] of inputs.entries()) {
          const cases = await this.withKinds(tx, await this.registry.decisionCases(registryTx(tx), input.caseNumbers));
          const moving = new Set(checkDecisionCases(input, cases, paths[i]!).map((c) => c.number));
          const recovered = new Map(cases.flatMap((c) => (c ? [[c.number, c.amountRecovered] as const] : [])));
          const resuming = new Map(cases.flatMap((c) => (c && resumesOnDecision(c) ? [[c.number, c.executingCourt] as const] : [])));
          transferIds.push(
            await this.writeDecision(tx, input, ctx, moving, resuming, recovered, () => {
              moved++;
              if (this.faults.failAfterMovedCases !== undefined && moved >= this.faults.failAfterMovedCases) {
                throw new Error(`injected failure after ${moved} moved case(s)`);
              }
            }),
          );
        }
        return { transferIds };
      },
    );
    return { transferIds: result.transferIds, replayed };
  }

  /**
   * Adds each case's type code and category, which decide whether a transfer may move it. Read from the registry's
   * `cases` table in the write's transaction (one statement), like the supervision checks below.
   */
  private async withKinds<C extends DecisionCase>(tx: Tx, cases: (C | null)[]): Promise<((C & DecisionCaseFacts) | null)[]> {
    const numbers = cases.flatMap((c) => (c ? [c.number] : []));
    const rows = numbers.length
      ? await tx
          .selectFrom('cases')
          .select(['number', 'type_code', 'category'])
          .where((eb) => keyIn(dialectOf(tx), eb, 'number', numbers))
          .execute()
      : [];
    const kinds = new Map(rows.map((r) => [r.number, r]));
    return cases.map((c) => {
      if (c === null) return null;
      const kind = kinds.get(c.number)!;
      return { ...c, typeCode: kind.type_code, category: kind.category };
    });
  }

  private async nextTransferId(tx: Tx): Promise<string> {
    // Ids are `T` and a zero-padded number; the longest, then greatest, is the newest. Read in the write's transaction:
    // SQLite's write lock orders concurrent decisions; on PostgreSQL the primary key refuses a second writer's id and
    // its transaction is run again (lib/writeTransaction).
    const last = await tx
      .selectFrom('transfers')
      .select('id')
      .where('id', 'like', 'T%')
      .orderBy(sql`length(id)`, 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const n = last && /^T(\d+)$/.test(last.id) ? Number(last.id.slice(1)) : 0;
    return `T${String(n + 1).padStart(6, '0')}`;
  }

  private async writeDecision(
    tx: Tx,
    input: DecisionInput,
    ctx: WriteContext,
    moving: Set<string>,
    resuming: Map<string, string>,
    recovered: Map<string, number>,
    afterMove: () => void,
  ): Promise<string> {
    const id = await this.nextTransferId(tx);
    const registry = registryTx(tx);
    await tx
      .insertInto('transfers')
      .values({
        id,
        mode: input.mode,
        deciding_court: input.decidingCourt,
        receiving_court: input.receivingCourt,
        decided_at: ctx.today,
        deadline: input.deadline ?? defaultDeadline(input.mode, ctx.today),
        supervisor_id: input.supervisor,
        reasons: input.reasons.join(','),
        note: input.note,
      })
      .execute();
    for (const number of input.caseNumbers) {
      let to: string | null = null;
      const resumedAt = resuming.get(number);
      if (resumedAt !== undefined) {
        // A 终本 case stays closed as it was; the decision resumes it (恢复执行) under a new 执恢 number in the same
        // lineage: at the receiving court when the mode moves it, else at its own court.
        const moves = moving.has(number);
        to = (await this.registry.resumeCase(registry, number, moves ? input.receivingCourt! : resumedAt, ctx.today, moves)).number;
        if (moves) afterMove();
      } else if (moving.has(number)) {
        // Closed at the sending court as terminated by the transfer; continued at the receiving court under the
        // next number for that court, year and type, in the same lineage.
        if (!(await this.registry.closeAsTransferred(registry, number, ctx.today))) {
          throw new ValidationError(
            'caseNumbers',
            'CASE_CLOSED',
            `${number} closed while the decision was being written`,
            ErrorCode.CONFLICT,
          );
        }
        to = (await this.registry.openContinuation(registry, number, input.receivingCourt!, ctx.today)).number;
        afterMove();
      }
      await tx
        .insertInto('transfer_cases')
        .values({ transfer_id: id, from_case: number, to_case: to, recovered_before: recovered.get(number)! })
        .execute();
    }
    await this.insertEvent(tx, {
      transfer_id: id,
      seq: 1,
      at: ctx.today,
      author_id: input.supervisor,
      kind: 'DECIDED',
      note: `${input.mode} decided by ${input.decidingCourt}${input.note ? `: ${input.note}` : ''}`,
    });
    return id;
  }

  private async insertEvent(tx: Tx, row: Insertable<SupervisionEventRow>): Promise<void> {
    await tx.insertInto('supervision_events').values(row).execute();
  }

  private async nextSeq(tx: Tx, transferId: string): Promise<number> {
    // The primary key (transfer_id, seq) refuses a concurrent writer's same seq (SQLite's lock makes it wait anyway).
    const last = await tx
      .selectFrom('supervision_events')
      .select((eb) => eb.fn.max('seq').as('n'))
      .where('transfer_id', '=', transferId)
      .executeTakeFirst();
    return Number(last?.n ?? 0) + 1;
  }

  async addSupervisionEvent(
    input: SupervisionEventInput,
    ctx: WriteContext,
    at: string,
  ): Promise<{ transferId: string; seq: number; replayed: boolean }> {
    const { result, replayed } = await this.records.recorded(
      {
        operation: 'addSupervisionNote',
        idempotencyKey: ctx.idempotencyKey,
        input,
        actor: ctx.actor,
        principal: ctx.viewer.court,
        at: ctx.now,
      },
      async (tx) => {
        await this.requireOpenSupervision(tx, input.transferId, `${at}.transferId`, ctx.viewer, input.kind === 'PROGRESS');
        checkOfficerId(input.author, `${at}.author`);
        // The author writes for the acting court: an officer of that court.
        await checkOnRoster(tx, input.author, ctx.viewer.court, `${at}.author`);
        if (input.note.trim() === '')
          throw new ValidationError(`${at}.note`, 'NOTE_REQUIRED', 'a supervision note says what was done or found');
        if (input.note.length > 2000) throw new ValidationError(`${at}.note`, 'NOTE_TOO_LONG', 'at most 2000 characters');
        const seq = await this.nextSeq(tx, input.transferId);
        await this.insertEvent(tx, {
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

  async assignSupervisor(
    transferId: string,
    supervisor: string,
    ctx: WriteContext,
    at: string,
  ): Promise<{ transferId: string; replayed: boolean }> {
    const { result, replayed } = await this.records.recorded(
      {
        operation: 'assignSupervisor',
        idempotencyKey: ctx.idempotencyKey,
        input: { transferId, supervisor },
        actor: ctx.actor,
        principal: ctx.viewer.court,
        at: ctx.now,
      },
      async (tx) => {
        const decision = await this.requireOpenSupervision(tx, transferId, `${at}.transferId`, ctx.viewer);
        checkOfficerId(supervisor, `${at}.supervisor`);
        // Whoever decided supervises: the supervisor is an officer of the deciding court, whoever assigns.
        await checkOnRoster(tx, supervisor, decision.deciding_court, `${at}.supervisor`);
        await tx.updateTable('transfers').set({ supervisor_id: supervisor }).where('id', '=', transferId).execute();
        const seq = await this.nextSeq(tx, transferId);
        await this.insertEvent(tx, {
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
  private async isWorkingCourt(tx: Tx, transferId: string, court: string): Promise<boolean> {
    const row = await tx
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
      )
      .executeTakeFirst();
    return row !== undefined;
  }

  /** How many of the decision's cases are still open where they are carried on now. */
  private async openCarriedOnCases(tx: Tx, transferId: string): Promise<number> {
    const row = await tx
      .selectFrom('transfer_cases as tc')
      .innerJoin('cases as f', 'f.number', 'tc.from_case')
      .innerJoin('cases as h', (join) => join.onRef('h.number', '=', sql`(${sql.raw(LINEAGE_HEAD_OF_F)})`))
      .select((eb) => eb.fn.countAll<number>().as('open'))
      .where('tc.transfer_id', '=', transferId)
      .where('h.status', '!=', 'CLOSED')
      .executeTakeFirst();
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
  private async requireOpenSupervision(tx: Tx, transferId: string, field: string, viewer: Viewer, progressReport = false) {
    const decision = await tx
      .selectFrom('transfers')
      .select(['mode', 'deciding_court', 'receiving_court'])
      .where('id', '=', transferId)
      .executeTakeFirst();
    if (!decision) throw new ValidationError(field, 'TRANSFER_NOT_FOUND', `no transfer decision ${transferId}`, ErrorCode.NOT_FOUND);
    const supervising = viewer.role === 'high' || viewer.court === decision.deciding_court;
    const reporting =
      progressReport &&
      ((decision.mode === 'COLLABORATIVE' && viewer.court === decision.receiving_court) ||
        (await this.isWorkingCourt(tx, transferId, viewer.court)));
    if (!supervising && !reporting) {
      const who = progressReport ? 'the deciding court or a court it put to work' : 'the deciding court';
      throw new ValidationError(
        field,
        'VIEWER_NOT_SUPERVISING_COURT',
        `only ${who} may do this for ${transferId}; you act for ${viewer.court}`,
        ErrorCode.FORBIDDEN,
      );
    }
    if ((await this.openCarriedOnCases(tx, transferId)) === 0) {
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
