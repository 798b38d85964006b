import type Database from 'better-sqlite3';
import { formatCaseNumber, type CaseTypeCode } from '../../../domain/caseNumber';
import { ErrorCode, ValidationError } from '../../../domain/errors';
import { checkOfficerId } from '../../../domain/identifiers';
import { checkDecisionCases, checkDecisionInput, defaultDeadline, type DecisionCase, type DecisionInput } from '../../../domain/transfers';
import { recordedWrite } from '../../../lib/recordedWrite';
import type { InjectedFaults } from '../../../lib/subgraphServer';
import { LINEAGE_HEAD_OF_F, type CaseRow } from './ddl';
import type { Viewer } from '../../../lib/auth';

/** Who asks and when, for a write. */
export interface WriteContext {
  idempotencyKey: string;
  /** The verified viewer the write acts for; its court is the authority checked. */
  viewer: Viewer;
  /** `sub@court`, for the audit log. */
  actor: string;
  /** The decision day (ISO date). */
  today: string;
  /** Audit timestamp (ISO 8601). */
  now: string;
}

export interface SupervisionEventInput {
  transferId: string;
  author: string;
  kind: 'NOTE' | 'PROGRESS' | 'URGED';
  note: string;
}


const SUPERVISION_CLOSED_SQL = `
  select count(*) as open from transfer_cases tc
  join cases f on f.number = tc.from_case
  join cases h on h.number = (${LINEAGE_HEAD_OF_F})
  where tc.transfer_id = ? and h.status != 'CLOSED'`;

/**
 * Whether a court executes, today, the case one matter of the decision was left at — the case it opened at the
 * receiving court, or the case it covered without moving — and no later decision has moved that case on: such a
 * court, and the coordinating court of a collaboration, report progress.
 */
const WORKING_COURT_SQL = `
  select 1 from transfer_cases tc
  join cases c on c.number = coalesce(tc.to_case, tc.from_case)
  where tc.transfer_id = ? and c.executing_court = ? and not exists (select 1 from cases n where n.transferred_from = c.number)`;

/**
 * The registry's writes for the transfer workflow, on the raw connection so each runs as one synchronous IMMEDIATE
 * transaction (lib/recordedWrite): a decision either lands whole — old cases closed, new cases opened with their
 * numbers and parties, the decision, its cases and its first supervision event — or not at all.
 */
export class RegistryWrites {
  constructor(
    private readonly raw: Database.Database,
    private readonly faults: InjectedFaults = {},
  ) {}

  decideTransfers(inputs: DecisionInput[], ctx: WriteContext, paths: string[]): { transferIds: string[]; replayed: boolean } {
    const { result, replayed } = recordedWrite(
      this.raw,
      { operation: 'decideTransfer', idempotencyKey: ctx.idempotencyKey, input: inputs, actor: ctx.actor, principal: ctx.viewer.court, at: ctx.now },
      () => {
        inputs.forEach((input, i) => {
          checkDecisionInput(input, ctx.today, paths[i]!);
          // The decision is the viewer's court's: a user decides only for the court their token names.
          if (input.decidingCourt !== ctx.viewer.court) {
            throw new ValidationError(`${paths[i]}.decidingCourt`, 'VIEWER_NOT_DECIDING_COURT', `you act for ${ctx.viewer.court}, not ${input.decidingCourt}`, ErrorCode.FORBIDDEN);
          }
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
          const cases = this.decisionCases(input.caseNumbers);
          const moving = new Set(checkDecisionCases(input, cases, paths[i]!).map((c) => c.number));
          transferIds.push(this.writeDecision(input, ctx, moving, () => {
            moved++;
            if (this.faults.failAfterMovedCases !== undefined && moved >= this.faults.failAfterMovedCases) {
              throw new Error(`injected failure after ${moved} moved case(s)`);
            }
          }));
        });
        return { transferIds };
      },
    );
    return { transferIds: result.transferIds, replayed };
  }

  private decisionCases(numbers: string[]): (DecisionCase | null)[] {
    const rows = this.raw
      .prepare(
        `select c.number, c.executing_court, c.status,
                (select n.number from cases n where n.transferred_from = c.number) as moved_to,
                (select json_group_array(p.person_id) from case_parties p where p.case_number = c.number and p.role = 'DEBTOR' and p.person_id is not null) as debtor_ids
         from cases c where c.number in (select value from json_each(?))`,
      )
      .all(JSON.stringify(numbers)) as { number: string; executing_court: string; status: DecisionCase['status']; moved_to: string | null; debtor_ids: string }[];
    const byNumber = new Map(rows.map((r) => [r.number, r]));
    return numbers.map((n) => {
      const r = byNumber.get(n);
      return r ? { number: r.number, executingCourt: r.executing_court, status: r.status, movedTo: r.moved_to, debtorIds: JSON.parse(r.debtor_ids) as string[] } : null;
    });
  }

  private writeDecision(input: DecisionInput, ctx: WriteContext, moving: Set<string>, afterMove: () => void): string {
    const last = this.raw.prepare(`select max(cast(substr(id, 2) as integer)) as n from transfers where id glob 'T[0-9]*'`).get() as { n: number | null };
    const id = `T${String((last.n ?? 0) + 1).padStart(6, '0')}`;
    const year = Number(ctx.today.slice(0, 4));
    this.raw
      .prepare('insert into transfers values (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, input.mode, input.decidingCourt, input.receivingCourt, ctx.today, input.deadline ?? defaultDeadline(input.mode, ctx.today), input.supervisor, input.reasons.join(','), input.note);
    const getCase = this.raw.prepare('select * from cases where number = ?');
    const nextSequence = this.raw.prepare('select coalesce(max(sequence), 0) + 1 as n from cases where court_code = ? and year = ? and type_code = ?');
    const close = this.raw.prepare(`update cases set status = 'CLOSED', closure = 'TERMINATED', closed_at = ?, last_action_at = ? where number = ? and status != 'CLOSED'`);
    const open = this.raw.prepare(
      `insert into cases (number, year, court_code, type_code, sequence, executing_court, status, filed_at, closed_at, closure, obligation, category,
         conduct_ordered, amount_due, amount_recovered, handler_id, lineage_root, transferred_from, last_action_at, settled_at)
       values (?, ?, ?, ?, ?, ?, 'FILED', ?, null, null, ?, ?, ?, ?, ?, null, ?, ?, ?, null)`,
    );
    const copyParties = this.raw.prepare(
      `insert into case_parties (case_number, role, position, person_id, name, name_key, kind, division_code)
       select ?, role, position, person_id, name, name_key, kind, division_code from case_parties where case_number = ?`,
    );
    const insertCase = this.raw.prepare('insert into transfer_cases values (?, ?, ?, ?)');
    for (const number of input.caseNumbers) {
      const old = getCase.get(number) as CaseRow;
      let to: string | null = null;
      if (moving.has(number)) {
        // Closed at the sending court as terminated by the transfer; continued at the receiving court under the
        // next number for that court, year and type, in the same lineage.
        const court = input.receivingCourt!;
        const sequence = (nextSequence.get(court, year, old.type_code) as { n: number }).n;
        to = formatCaseNumber(year, court, old.type_code as CaseTypeCode, sequence);
        if (close.run(ctx.today, ctx.today, number).changes !== 1) {
          throw new ValidationError('caseNumbers', 'CASE_CLOSED', `${number} closed while the decision was being written`, ErrorCode.CONFLICT);
        }
        open.run(to, year, court, old.type_code, sequence, court, ctx.today, old.obligation, old.category, old.conduct_ordered, old.amount_due, old.amount_recovered, old.lineage_root, number, ctx.today);
        copyParties.run(to, number);
        afterMove();
      }
      insertCase.run(id, number, to, old.amount_recovered);
    }
    this.raw
      .prepare('insert into supervision_events values (?, 1, ?, ?, ?, ?)')
      .run(id, ctx.today, input.supervisor, 'DECIDED', `${input.mode} decided by ${input.decidingCourt}${input.note ? `: ${input.note}` : ''}`);
    return id;
  }

  addSupervisionEvent(input: SupervisionEventInput, ctx: WriteContext, at: string): { transferId: string; seq: number; replayed: boolean } {
    const { result, replayed } = recordedWrite(
      this.raw,
      { operation: 'addSupervisionNote', idempotencyKey: ctx.idempotencyKey, input, actor: ctx.actor, principal: ctx.viewer.court, at: ctx.now },
      () => {
        this.requireOpenSupervision(input.transferId, `${at}.transferId`, ctx.viewer, input.kind === 'PROGRESS');
        checkOfficerId(input.author, `${at}.author`);
        if (input.note.trim() === '') throw new ValidationError(`${at}.note`, 'NOTE_REQUIRED', 'a supervision note says what was done or found');
        if (input.note.length > 2000) throw new ValidationError(`${at}.note`, 'NOTE_TOO_LONG', 'at most 2000 characters');
        const { n } = this.raw.prepare('select coalesce(max(seq), 0) + 1 as n from supervision_events where transfer_id = ?').get(input.transferId) as { n: number };
        this.raw.prepare('insert into supervision_events values (?, ?, ?, ?, ?, ?)').run(input.transferId, n, ctx.today, input.author, input.kind, input.note.trim());
        return { transferId: input.transferId, seq: n };
      },
    );
    return { ...result, replayed };
  }

  assignSupervisor(transferId: string, supervisor: string, ctx: WriteContext, at: string): { transferId: string; replayed: boolean } {
    const { result, replayed } = recordedWrite(
      this.raw,
      { operation: 'assignSupervisor', idempotencyKey: ctx.idempotencyKey, input: { transferId, supervisor }, actor: ctx.actor, principal: ctx.viewer.court, at: ctx.now },
      () => {
        this.requireOpenSupervision(transferId, `${at}.transferId`, ctx.viewer);
        checkOfficerId(supervisor, `${at}.supervisor`);
        this.raw.prepare('update transfers set supervisor_id = ? where id = ?').run(supervisor, transferId);
        const { n } = this.raw.prepare('select coalesce(max(seq), 0) + 1 as n from supervision_events where transfer_id = ?').get(transferId) as { n: number };
        this.raw.prepare('insert into supervision_events values (?, ?, ?, ?, ?, ?)').run(transferId, n, ctx.today, supervisor, 'ASSIGNED', `supervision assigned to ${supervisor}`);
        return { transferId };
      },
    );
    return { ...result, replayed };
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
  private requireOpenSupervision(transferId: string, field: string, viewer: Viewer, progressReport = false): void {
    const decision = this.raw.prepare('select mode, deciding_court, receiving_court from transfers where id = ?').get(transferId) as
      | { mode: string; deciding_court: string; receiving_court: string | null }
      | undefined;
    if (!decision) throw new ValidationError(field, 'TRANSFER_NOT_FOUND', `no transfer decision ${transferId}`, ErrorCode.NOT_FOUND);
    const supervising = viewer.role === 'high' || viewer.court === decision.deciding_court;
    const reporting =
      progressReport &&
      ((decision.mode === 'COLLABORATIVE' && viewer.court === decision.receiving_court) ||
        this.raw.prepare(WORKING_COURT_SQL).get(transferId, viewer.court) !== undefined);
    if (!supervising && !reporting) {
      const who = progressReport ? 'the deciding court or a court it put to work' : 'the deciding court';
      throw new ValidationError(field, 'VIEWER_NOT_SUPERVISING_COURT', `only ${who} may do this for ${transferId}; you act for ${viewer.court}`, ErrorCode.FORBIDDEN);
    }
    const { open } = this.raw.prepare(SUPERVISION_CLOSED_SQL).get(transferId) as { open: number };
    if (open === 0) throw new ValidationError(field, 'SUPERVISION_CLOSED', `every case of ${transferId} has closed, so its supervision is closed`, ErrorCode.CONFLICT);
  }
}
