import { staysOnTransfer } from './caseKinds';
import { isExternalCaseNumber } from './caseNumber';
import { addMonths } from './dates';
import { refuse } from './errorCatalogue';
import { checkOfficerId } from './identifiers';
import { RULE_IDS } from './rules/config';
import { COURTS_BY_CODE, type CourtInfo } from './sichuan';
import type { TransferMode } from './transferModes';

/**
 * The legal shape of a transfer decision (交叉执行决定), as pure checks over plain records. The registry runs them
 * inside the transaction that writes the decision, so what is checked is what is written.
 */

/** Modes whose decision moves the cases to the receiving court; the others record the decision and keep them. */
export const MOVING_MODES: readonly TransferMode[] = ['DIRECTED', 'ELEVATED', 'CENTRALIZED'];

/**
 * Whether a decision naming the case resumes it: a case closed as 终结本次执行程序 (终本) is closed procedurally, not
 * concluded (未实结), and may be resumed (恢复执行; 最高法《关于严格规范终结本次执行程序的规定（试行）》 Art. 9). The
 * decision opens its 执恢 continuation in the same lineage — at the receiving court for a mode that moves cases, at its
 * own court otherwise — so its control measures continue. Only a case no later case carries on (`movedTo` null).
 */
export function resumesOnDecision(c: Pick<DecisionCase, 'status' | 'closure'>): boolean {
  return c.status === 'CLOSED' && c.closure === 'TERMINATED_THIS_ROUND';
}

/** The type code of the case that resumes a 终本 case (恢复执行案件, 《人民法院案件类型及其代字标准》). */
export const RESUMED_TYPE_CODE = '执恢';

/** Most cases one decision may cover. */
export const MAX_CASES_PER_DECISION = 200;

/** Deadline when the decision names none: a deadline order's 3 months, otherwise the 6-month execution period. */
export function defaultDeadline(mode: TransferMode, decidedAt: string): string {
  return addMonths(decidedAt, mode === 'DEADLINE_ORDER' ? 3 : 6);
}

export interface DecisionInput {
  mode: TransferMode;
  caseNumbers: string[];
  receivingCourt: string | null;
  decidingCourt: string;
  supervisor: string | null;
  reasons: string[];
  note: string;
  deadline: string | null;
}

/** What the registry knows of each case named, in the order named. */
export interface DecisionCase {
  number: string;
  executingCourt: string;
  status: 'FILED' | 'EXECUTING' | 'CLOSED';
  /** How a closed case was closed (结案方式); a 终本 case (`TERMINATED_THIS_ROUND`) may be resumed by the decision. */
  closure?: string | null;
  /** The case opened from this one by an earlier move, or carrying it on (a 执恢 resuming it, a 执 continuing a 执保), if any. */
  movedTo: string | null;
  /** Validated debtor identifiers on the case. */
  debtorIds: string[];
}

/** A case named with what kind of case it is, which decides whether a transfer may move it (domain/caseKinds.ts). */
export interface DecisionCaseFacts extends DecisionCase {
  /** The case number's type code: 执, 执恢, 执保, 执异, 执复, 执监, 执协. */
  typeCode: string;
  /** The registry's case category; CRIMINAL_RESTITUTION stays with its criminal court. */
  category: string;
}

function court(code: string, field: string): CourtInfo {
  const info = COURTS_BY_CODE.get(code);
  if (!info) throw refuse.COURT_UNKNOWN(field, `no court ${code} in the province`);
  return info;
}

/** True when `upper` is a proper ancestor of `lower` in the court hierarchy. */
export function isAbove(upper: string, lower: string): boolean {
  for (let c = COURTS_BY_CODE.get(lower)?.parent ?? null; c !== null; c = COURTS_BY_CODE.get(c)?.parent ?? null) {
    if (c === upper) return true;
  }
  return false;
}

function superiors(code: string): string[] {
  const chain: string[] = [];
  for (let c = COURTS_BY_CODE.get(code)?.parent ?? null; c !== null; c = COURTS_BY_CODE.get(c)?.parent ?? null) chain.push(c);
  return chain;
}

/**
 * The lowest court above every court given (a proper ancestor of each): the intermediate court for basic courts of
 * one prefecture, the high court for courts of several prefectures or of different levels (川0105 and 川01 → 川).
 * Null for no court or an unknown one.
 */
export function lowestCommonSuperior(codes: Iterable<string>): string | null {
  let common: string[] | null = null;
  for (const code of new Set(codes)) {
    const up = superiors(code);
    common = common === null ? up : common.filter((c) => up.includes(c));
  }
  return common?.[0] ?? null;
}

/** Checks that need no case records: the input's own shape. `at` prefixes field paths (`input`, `inputs[2]`). */
export function checkDecisionInput(input: DecisionInput, today: string, at: string): void {
  const f = (name: string) => `${at}.${name}`;
  if (input.caseNumbers.length === 0) throw refuse.CASES_REQUIRED(f('caseNumbers'), 'name at least one case');
  if (input.caseNumbers.length > MAX_CASES_PER_DECISION) {
    throw refuse.TOO_MANY_CASES(f('caseNumbers'), `one decision covers at most ${MAX_CASES_PER_DECISION} cases`);
  }
  const seen = new Set<string>();
  input.caseNumbers.forEach((n, i) => {
    if (seen.has(n)) throw refuse.DUPLICATE_CASE(f(`caseNumbers[${i}]`), `${n} is named twice`);
    // A related case of another province's court is evidence of the series, never the province's to move.
    if (isExternalCaseNumber(n))
      throw refuse.EXTERNAL_CASE_STAYS(
        f(`caseNumbers[${i}]`),
        `${n} is a case of a court outside Sichuan; a Sichuan decision does not move it`,
      );
    seen.add(n);
  });
  const deciding = court(input.decidingCourt, f('decidingCourt'));
  if (deciding.level === 'BASIC')
    throw refuse.DECIDING_COURT_LEVEL(f('decidingCourt'), 'only a higher (high or intermediate) court decides a transfer');
  if (input.mode === 'DEADLINE_ORDER' && input.receivingCourt !== null) {
    throw refuse.NO_RECEIVING_COURT_FOR_MODE(
      f('receivingCourt'),
      'a deadline order keeps the case at its court; leave receivingCourt empty',
    );
  }
  if (input.mode !== 'DEADLINE_ORDER' && input.receivingCourt === null) {
    const what = input.mode === 'COLLABORATIVE' ? 'the coordinating court' : 'the court that receives the cases';
    throw refuse.RECEIVING_COURT_REQUIRED(f('receivingCourt'), `${input.mode} names ${what}`);
  }
  if (input.receivingCourt !== null) court(input.receivingCourt, f('receivingCourt'));
  if (input.mode === 'ELEVATED' && input.receivingCourt !== input.decidingCourt) {
    throw refuse.ELEVATED_TO_DECIDING_COURT(
      f('receivingCourt'),
      'in elevated execution the deciding higher court executes the cases itself',
    );
  }
  if (input.supervisor === null)
    throw refuse.SUPERVISOR_REQUIRED(f('supervisor'), 'the deciding court names the officer who supervises the decision');
  checkOfficerId(input.supervisor, f('supervisor'));
  input.reasons.forEach((r, i) => {
    if (!(RULE_IDS as string[]).includes(r))
      throw refuse.UNKNOWN_RULE(f(`reasons[${i}]`), `"${r}" is not a rule id (${RULE_IDS.join(', ')})`);
  });
  if (input.reasons.length === 0 && input.note.trim() === '') {
    throw refuse.REASON_REQUIRED(f('reasons'), 'give the rule ids the decision rests on, or the reason in the note');
  }
  if (input.note.length > 2000) throw refuse.NOTE_TOO_LONG(f('note'), 'at most 2000 characters');
  if (input.deadline !== null && input.deadline <= today)
    throw refuse.DEADLINE_NOT_AFTER_DECISION(f('deadline'), `must be after the decision day ${today}`);
}

/**
 * Checks against the records: every case exists; the deciding court is above every court involved; each case is
 * open (or closed as 终本, which the decision resumes: `resumesOnDecision`) and was not moved; and the mode's own
 * conditions. Returns the cases that move (those not already at the
 * receiving court). Authority comes before the state of each case, so a court learns nothing of another
 * court's case (where it went, whether it closed) from a refusal.
 */
export function checkDecisionCases<C extends DecisionCaseFacts>(input: DecisionInput, cases: (C | null)[], at: string): C[] {
  const f = (name: string) => `${at}.${name}`;
  const found = cases.map((c, i) => {
    if (c === null) throw refuse.CASE_NOT_FOUND(f(`caseNumbers[${i}]`), `no case ${input.caseNumbers[i]} in the registry`);
    return c;
  });
  // The refusal names what the caller gave (the receiving court, a case number), never the court executing another
  // court's case.
  const notAbove = (what: string) =>
    refuse.DECIDING_COURT_NOT_ABOVE(
      f('decidingCourt'),
      `${input.decidingCourt} is not above ${what}; only a court above every court involved may decide`,
    );
  const c = found.find((x) => !isAbove(input.decidingCourt, x.executingCourt));
  if (c) throw notAbove(`the court executing ${c.number}`);
  if (
    input.receivingCourt !== null &&
    input.receivingCourt !== input.decidingCourt &&
    !isAbove(input.decidingCourt, input.receivingCourt)
  ) {
    throw notAbove(`the receiving court ${input.receivingCourt}`);
  }
  found.forEach((c, i) => {
    const field = f(`caseNumbers[${i}]`);
    if (c.movedTo !== null)
      throw refuse.CASE_ALREADY_MOVED(
        field,
        resumesOnDecision(c)
          ? `${c.number} was already resumed as ${c.movedTo}; decide on that case instead`
          : `${c.number} was already moved to ${c.movedTo}; decide on that case instead`,
      );
    if (c.status === 'CLOSED' && !resumesOnDecision(c))
      throw refuse.CASE_CLOSED(
        field,
        `${c.number} is closed${c.closure ? ` (${c.closure})` : ''}; only a 终本 case is resumed by a decision`,
      );
  });
  const receiving = input.receivingCourt;
  // Only implementation cases are decided on, and a criminal restitution case stays with its criminal court: a
  // moving decision may name it only where it already is (recorded beside the series without moving).
  found.forEach((c, i) => {
    const stays = staysOnTransfer(c);
    if (stays === null) return;
    if (stays.rule === 'NOT_AN_IMPLEMENTATION_CASE')
      throw refuse.NOT_AN_IMPLEMENTATION_CASE(f(`caseNumbers[${i}]`), `${c.number}: ${stays.reason}`);
    if (MOVING_MODES.includes(input.mode) && c.executingCourt !== receiving) {
      throw refuse.CRIMINAL_RESTITUTION_STAYS(f(`caseNumbers[${i}]`), `${c.number}: ${stays.reason}`);
    }
  });
  const moving = MOVING_MODES.includes(input.mode) ? found.filter((c) => c.executingCourt !== receiving) : [];
  if (input.mode === 'DIRECTED') {
    // 民诉法 Art. 237: the higher court may order another court to execute (指令其他人民法院执行), of any level below
    // the deciding court (the authority check above); only the court the case is at is no receiving court.
    found.forEach((c, i) => {
      if (c.executingCourt === receiving)
        throw refuse.SAME_COURT(f(`caseNumbers[${i}]`), `${c.number} is already executed by ${receiving}`);
    });
    if (receiving === input.decidingCourt) {
      throw refuse.DIRECTED_BELOW_DECIDING_COURT(
        f('receivingCourt'),
        `directed execution orders a court below ${input.decidingCourt} to execute; for the deciding court itself decide ELEVATED`,
      );
    }
  }
  if (input.mode === 'ELEVATED' && moving.length === 0) {
    throw refuse.NOTHING_TO_MOVE(f('caseNumbers'), `every case named is already executed by ${receiving}`);
  }
  if (input.mode === 'CENTRALIZED') {
    const shared = found.slice(1).reduce((ids, c) => ids.filter((id) => c.debtorIds.includes(id)), found[0]!.debtorIds);
    if (shared.length === 0)
      throw refuse.CENTRALIZED_ONE_DEBTOR(
        f('caseNumbers'),
        'centralized execution gathers cases against one debtor; the cases named share no identified debtor',
      );
    if (moving.length === 0) throw refuse.NOTHING_TO_MOVE(f('caseNumbers'), `every case named is already executed by ${receiving}`);
  }
  if (input.mode === 'COLLABORATIVE') {
    const courts = new Set(found.map((c) => c.executingCourt));
    if (courts.size < 2) {
      throw refuse.COLLABORATIVE_SEVERAL_COURTS(f('caseNumbers'), 'collaborative execution coordinates cases of several courts');
    }
    // Coordinated from above: the coordinator is above every court it coordinates (at least their lowest common
    // superior), so a basic court never coordinates an intermediate court. The refusal names the lowest court that
    // may coordinate, which the deciding court (above every court involved) may know.
    const i = found.findIndex((c) => !isAbove(receiving!, c.executingCourt));
    if (i >= 0) {
      throw refuse.COORDINATOR_NOT_ABOVE(
        f('receivingCourt'),
        `${receiving} is not above the court executing ${found[i]!.number}; collaborative execution is coordinated by a court above every ` +
          `court involved (here at least ${lowestCommonSuperior(courts) ?? 'the high court'})`,
      );
    }
  }
  return moving;
}
