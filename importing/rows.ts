import {
  CASE_CATEGORIES,
  isHistoricalCaseNumber,
  parseCaseNumber,
  parseExternalCaseNumber,
  parseHistoricalCaseNumber,
  type CaseCategory,
  type CaseNumber,
  type CaseTypeCode,
} from '../domain/caseNumber';
import { isImplementationCase } from '../domain/caseKinds';
import { COMPLAINT_KIND_NAMES, COMPLAINT_OUTCOME_NAMES, type ComplaintKind, type ComplaintOutcome } from '../domain/complaints';
import { CONDUCT_EVENT_KIND_NAMES, type ConductEventKind } from '../domain/conduct';
import { parseCourtCode } from '../domain/courtCode';
import { addMonths, isIsoDate, parseIsoDate } from '../domain/dates';
import { checkStageForKind, DISPOSAL_STAGES, REFERENCE_METHODS, type DisposalStage } from '../domain/disposal';
import { ValidationError } from '../domain/errors';
import { EXCLUDED_PERIOD_KINDS, type ExcludedPeriodKind } from '../domain/excludedPeriods';
import { SUPERVISION_OUTCOMES, type SupervisionOutcome } from '../domain/supervision';
import { checkOfficerId, parseDebtorId, type DebtorKind } from '../domain/identifiers';
import { MAX_PERIOD_MONTHS, PROPERTY_KINDS, type PropertyKind } from '../domain/measures';
import { yuanToFen } from '../domain/money';
import { normaliseName } from '../domain/names';
import { POST_NAMES, type Post } from '../domain/posts';
import type { Closure } from '../subgraphs/case-registry/sources/ddl';
import { COURTS_BY_CODE } from '../domain/sichuan';
import { ENCUMBRANCE_KINDS, HOLDER_KINDS, type EncumbranceKind, type HolderKind } from '../subgraphs/property-control/sources/ddl';

/**
 * The import format (docs/import.md): JSON Lines, one file per system, one record per line, each with a `type`.
 * Every field is checked with the same domain rules the graph applies (identifier checksums, case numbers, court
 * codes, dates, amounts in yuan strings, measure periods); a bad field throws a ValidationError naming it.
 */

type Obj = Record<string, unknown>;

export const CLOSURES: readonly Closure[] = [
  'FULLY_EXECUTED',
  'TERMINATED_THIS_ROUND',
  'TERMINATED',
  'NOT_ENFORCED',
  'WITHDRAWN',
  'REJECTED',
];

function str(o: Obj, field: string, opts: { optional?: boolean; max?: number } = {}): string | null {
  const v = o[field];
  if (v === undefined || v === null || v === '') {
    if (opts.optional) return null;
    throw new ValidationError(field, 'REQUIRED', 'is required');
  }
  if (typeof v !== 'string') throw new ValidationError(field, 'TYPE', 'must be a string');
  if (v.length > (opts.max ?? 500)) throw new ValidationError(field, 'TOO_LONG', `at most ${opts.max ?? 500} characters`);
  return v.trim();
}
const req = (o: Obj, field: string, max?: number) => str(o, field, { max })!;

function oneOf<T extends string>(o: Obj, field: string, values: readonly T[], fallback?: T): T {
  const v = o[field] ?? fallback;
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
    throw new ValidationError(field, 'ENUM', `must be one of ${values.join(', ')}`);
  return v as T;
}

function date(o: Obj, field: string, optional = false): string | null {
  const v = str(o, field, { optional });
  if (v === null) return null;
  if (!isIsoDate(v)) throw new ValidationError(field, 'DATE_FORMAT', `"${v}" is not a calendar date YYYY-MM-DD`);
  return v;
}

function money(o: Obj, field: string, optional = false): number | null {
  const v = o[field];
  if (v === undefined || v === null) {
    if (optional) return null;
    throw new ValidationError(field, 'REQUIRED', 'is required');
  }
  if (typeof v !== 'string')
    throw new ValidationError(field, 'MONEY_FORMAT', 'an amount is a yuan string such as "1234.50", never a number');
  const fen = yuanToFen(v, field);
  if (fen < 0) throw new ValidationError(field, 'NEGATIVE_AMOUNT', 'must not be negative');
  return fen;
}

function bool(o: Obj, field: string, fallback: boolean): boolean {
  const v = o[field] ?? fallback;
  if (typeof v !== 'boolean') throw new ValidationError(field, 'TYPE', 'must be true or false');
  return v;
}

function int(o: Obj, field: string, min: number, fallback?: number): number {
  const v = o[field] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ValidationError(field, 'INTEGER', `must be an integer ≥ ${min}`);
  return v;
}

function court(o: Obj, field: string): string {
  const code = parseCourtCode(req(o, field), field).code;
  if (!COURTS_BY_CODE.has(code)) throw new ValidationError(field, 'COURT_UNKNOWN', `no court ${code} in the province`);
  return code;
}

/** A case number whose court is one of the province's (the format alone admits any well-formed code). */
function caseNumber(o: Obj, field: string, now: Date): CaseNumber {
  const n = parseCaseNumber(req(o, field), field, now);
  if (!COURTS_BY_CODE.has(n.courtCode))
    throw new ValidationError(field, 'COURT_UNKNOWN', `the case number names court ${n.courtCode}, which the province does not have`);
  return n;
}

/**
 * A case number a row refers to (a continued case, a measure's case): the current form of a court of the province, or a
 * pre-2016 number (docs/import.md), stored as given with its brackets normalised.
 */
function referencedCaseNumber(o: Obj, field: string, now: Date): string {
  return referencedCase(o, field, now).number;
}

/** As referencedCaseNumber, with the type code the number carries (in either form). */
function referencedCase(o: Obj, field: string, now: Date): { number: string; typeCode: CaseTypeCode } {
  const raw = req(o, field);
  const n = isHistoricalCaseNumber(raw) ? parseHistoricalCaseNumber(raw, field, now) : caseNumber(o, field, now);
  return { number: n.number, typeCode: n.typeCode };
}

/**
 * A case row's own number. A pre-2016 number names its court by abbreviation, so the row gives the court code in
 * `court`; with a current number `court` may be given and is then the number's court.
 */
function ownCaseNumber(o: Obj, now: Date): CaseNumber & { historical: boolean } {
  const raw = req(o, 'number');
  if (isHistoricalCaseNumber(raw)) {
    const h = parseHistoricalCaseNumber(raw, 'number', now);
    if (o.court === undefined || o.court === null || o.court === '')
      throw new ValidationError(
        'court',
        'HISTORICAL_NUMBER_COURT',
        `${h.number} names its court as "${h.courtName}", not by code: give the court code in court, e.g. "川0105"`,
      );
    return { number: h.number, year: h.year, courtCode: court(o, 'court'), typeCode: h.typeCode, sequence: h.sequence, historical: true };
  }
  const n = caseNumber(o, 'number', now);
  if (o.court !== undefined && o.court !== null && court(o, 'court') !== n.courtCode)
    throw new ValidationError('court', 'COURT_MATCHES_NUMBER', `${n.number} is a case of ${n.courtCode}`);
  return { ...n, historical: false };
}

function division(o: Obj, field: string): string | null {
  const v = str(o, field, { optional: true });
  if (v !== null && !/^\d{6}$/.test(v)) throw new ValidationError(field, 'DIVISION_CODE', 'a division code is six digits, e.g. 510104');
  return v;
}

const prefix = (p: string) => (err: unknown) => {
  if (err instanceof ValidationError)
    throw new ValidationError(`${p}.${err.field}`, err.rule, err.message.replace(/^[^:]*: /, ''), err.code);
  throw err;
};

// ---- case registry -------------------------------------------------------------------------------------

export interface PartyRow {
  name: string;
  nameKey: string;
  kind: DebtorKind;
  personId: string | null;
  divisionCode: string | null;
}

export interface CaseImport {
  number: string;
  /** A pre-2016 number (`(2015)青羊执字第123号`), stored as given; its court comes from the row's `court`. */
  historical: boolean;
  year: number;
  courtCode: string;
  typeCode: CaseTypeCode;
  sequence: number;
  executingCourt: string;
  status: 'FILED' | 'EXECUTING' | 'CLOSED';
  filedAt: string;
  closedAt: string | null;
  closure: Closure | null;
  obligation: 'MONEY' | 'CONDUCT';
  category: CaseCategory;
  conductOrdered: string | null;
  amountDue: number | null;
  amountRecovered: number;
  handlerId: string | null;
  transferredFrom: string | null;
  /**
   * The preservation case (执保) this execution case (执) continues (财产保全规定 Art. 17), or the case closed as 终本
   * this resumed case (执恢) resumes; null when none.
   */
  continues: string | null;
  lastActionAt: string | null;
  settledAt: string | null;
  debtors: PartyRow[];
  applicants: PartyRow[];
}

function party(o: unknown, at: string, today: Date): PartyRow {
  if (!o || typeof o !== 'object') throw new ValidationError(at, 'TYPE', 'must be an object');
  const p = o as Obj;
  try {
    const name = req(p, 'name', 200);
    const raw = str(p, 'identifier', { optional: true });
    const parsed = raw === null ? null : parseDebtorId(raw, 'identifier', today);
    const kind = parsed?.kind ?? oneOf(p, 'kind', ['LEGAL_PERSON', 'NATURAL_PERSON'] as const);
    if (parsed && p.kind !== undefined && p.kind !== parsed.kind)
      throw new ValidationError('kind', 'KIND_MATCHES_IDENTIFIER', `the identifier is a ${parsed.kind}`);
    return { name, nameKey: normaliseName(name), kind, personId: parsed?.id ?? null, divisionCode: division(p, 'divisionCode') };
  } catch (err) {
    return prefix(at)(err);
  }
}

export function caseRow(o: Obj, today: string): CaseImport {
  const now = parseIsoDate(today);
  const n = ownCaseNumber(o, now);
  const filedAt = date(o, 'filedAt')!;
  if (Number(filedAt.slice(0, 4)) !== n.year)
    throw new ValidationError('filedAt', 'FILING_YEAR', `a case numbered for ${n.year} is filed in ${n.year}`);
  if (filedAt > today) throw new ValidationError('filedAt', 'DATE_IN_FUTURE', `${filedAt} is after ${today}`);
  const status = oneOf(o, 'status', ['FILED', 'EXECUTING', 'CLOSED'] as const);
  const closedAt = date(o, 'closedAt', true);
  const closure = o.closure === undefined || o.closure === null ? null : oneOf(o, 'closure', CLOSURES);
  if (status === 'CLOSED' && (closedAt === null || closure === null))
    throw new ValidationError(
      closedAt === null ? 'closedAt' : 'closure',
      'CLOSED_NEEDS_DATE_AND_CLOSURE',
      'a closed case has closedAt and closure',
    );
  if (status !== 'CLOSED' && (closedAt !== null || closure !== null))
    throw new ValidationError('closedAt', 'OPEN_CASE_NOT_CLOSED', 'an open case has no closedAt or closure');
  if (closedAt !== null && closedAt < filedAt)
    throw new ValidationError('closedAt', 'CLOSED_BEFORE_FILED', `${closedAt} is before filedAt ${filedAt}`);
  const obligation = oneOf(o, 'obligation', ['MONEY', 'CONDUCT'] as const, 'MONEY');
  // A review case (执异, 执复, 执监, 执协, 执他) is heard, not executed: no amount, no conduct (docs/import.md). Refused
  // rather than stored, so the debt is never counted twice (on the review case and on the case it reviews).
  const review = !isImplementationCase(n.typeCode);
  if (review) {
    const given = (field: string) => o[field] !== undefined && o[field] !== null && o[field] !== '';
    const offending = given('amountDue')
      ? 'amountDue'
      : given('amountRecovered') && o.amountRecovered !== '0' && o.amountRecovered !== '0.00'
        ? 'amountRecovered'
        : obligation === 'CONDUCT'
          ? 'obligation'
          : given('conductOrdered')
            ? 'conductOrdered'
            : null;
    if (offending !== null)
      throw new ValidationError(
        offending,
        'REVIEW_CASE_NO_OBLIGATION',
        `${n.number} is a review case (${n.typeCode}): it has no amount and orders no conduct; give them on the implementation case it concerns`,
      );
  }
  const amountDue = money(o, 'amountDue', obligation === 'CONDUCT' || review);
  if (obligation === 'CONDUCT' && amountDue !== null)
    throw new ValidationError('amountDue', 'CONDUCT_HAS_NO_AMOUNT', 'a conduct obligation has no amount');
  const amountRecovered = money(o, 'amountRecovered', true) ?? 0;
  if (amountDue !== null && amountRecovered > amountDue)
    throw new ValidationError('amountRecovered', 'RECOVERED_ABOVE_DUE', 'cannot exceed amountDue');
  const conductOrdered = str(o, 'conductOrdered', { optional: obligation === 'MONEY', max: 500 });
  const handlerId = str(o, 'handlerId', { optional: true });
  if (handlerId !== null) checkOfficerId(handlerId, 'handlerId');
  const transferredFrom = o.transferredFrom ? referencedCaseNumber(o, 'transferredFrom', now) : null;
  const continued = o.continues ? caseNumber(o, 'continues', now) : null;
  if (continued !== null) {
    // 执 continues a 执保 case (财产保全规定 Art. 17); 执恢 resumes a case closed as 终本 (checked against that case's
    // closure once the file and the registry are read: importFile.ts).
    const preserves = continued.typeCode === '执保' && n.typeCode === '执';
    const resumes = n.typeCode === '执恢' && (continued.typeCode === '执' || continued.typeCode === '执恢');
    if (!preserves && !resumes)
      throw new ValidationError(
        'continues',
        'CONTINUES_PRESERVATION',
        `only an execution case (执) continues a preservation case (执保), and a resumed case (执恢) the 执 or 执恢 case it resumes, not ${n.typeCode} ${continued.typeCode}`,
      );
    if (transferredFrom !== null)
      throw new ValidationError(
        'continues',
        'CONTINUES_OR_TRANSFERRED',
        'a case either continues a preservation case or was transferred from another, not both',
      );
  }
  const list = (field: string) => {
    const v = o[field] ?? [];
    if (!Array.isArray(v)) throw new ValidationError(field, 'TYPE', 'must be a list of parties');
    return v.map((p, i) => party(p, `${field}[${i}]`, now));
  };
  const debtors = list('debtors');
  if (debtors.length === 0) throw new ValidationError('debtors', 'DEBTOR_REQUIRED', 'a case names at least one debtor');
  const dateAfterFiling = (field: string) => {
    const d = date(o, field, true);
    if (d !== null && (d < filedAt || d > today))
      throw new ValidationError(field, 'DATE_RANGE', `must lie between filedAt ${filedAt} and ${today}`);
    return d;
  };
  return {
    number: n.number,
    historical: n.historical,
    year: n.year,
    courtCode: n.courtCode,
    typeCode: n.typeCode,
    sequence: n.sequence,
    executingCourt: o.executingCourt === undefined ? n.courtCode : court(o, 'executingCourt'),
    status,
    filedAt,
    closedAt,
    closure,
    obligation,
    category: oneOf(o, 'category', CASE_CATEGORIES),
    // A money case may order conduct too: one case with both obligations (amountDue is the money part).
    conductOrdered,
    amountDue,
    amountRecovered,
    handlerId,
    transferredFrom,
    continues: continued?.number ?? null,
    lastActionAt: dateAfterFiling('lastActionAt'),
    settledAt: dateAfterFiling('settledAt'),
    debtors,
    applicants: list('applicants'),
  };
}

/**
 * A related case in another province's court (外省关联案件): its number (the other province's form, `(2023)鲁14执123号`),
 * the court's name, the debtor of the registry it concerns (by identifier), its state and the amount reported.
 */
export interface ExternalCaseImport {
  number: string;
  province: string;
  courtCode: string;
  courtName: string;
  typeCode: CaseTypeCode;
  debtorId: string;
  status: 'FILED' | 'EXECUTING' | 'CLOSED';
  filedAt: string;
  closedAt: string | null;
  amountDue: number | null;
}

export function externalCaseRow(o: Obj, today: string): ExternalCaseImport {
  const now = parseIsoDate(today);
  const n = parseExternalCaseNumber(req(o, 'number'), 'number', now);
  const filedAt = date(o, 'filedAt')!;
  if (Number(filedAt.slice(0, 4)) !== n.year)
    throw new ValidationError('filedAt', 'FILING_YEAR', `a case numbered for ${n.year} is filed in ${n.year}`);
  if (filedAt > today) throw new ValidationError('filedAt', 'DATE_IN_FUTURE', `${filedAt} is after ${today}`);
  const status = oneOf(o, 'status', ['FILED', 'EXECUTING', 'CLOSED'] as const);
  const closedAt = date(o, 'closedAt', true);
  if ((status === 'CLOSED') !== (closedAt !== null))
    throw new ValidationError(
      'closedAt',
      status === 'CLOSED' ? 'CLOSED_NEEDS_DATE_AND_CLOSURE' : 'OPEN_CASE_NOT_CLOSED',
      'a closed case has closedAt; an open one none',
    );
  if (closedAt !== null && (closedAt < filedAt || closedAt > today))
    throw new ValidationError('closedAt', 'DATE_RANGE', `must lie between filedAt ${filedAt} and ${today}`);
  return {
    number: n.number,
    province: n.province,
    courtCode: n.courtCode,
    courtName: req(o, 'courtName', 100),
    typeCode: n.typeCode,
    debtorId: parseDebtorId(req(o, 'debtorId'), 'debtorId', now).id,
    status,
    filedAt,
    closedAt,
    amountDue: money(o, 'amountDue', true),
  };
}

/** A progress event of a case's conduct obligation, keyed by the case and `seq`. */
export interface ConductEventImport {
  caseNumber: string;
  seq: number;
  occurredAt: string;
  kind: ConductEventKind;
  description: string;
}

export function conductEventRow(o: Obj, today: string): ConductEventImport {
  const occurredAt = date(o, 'occurredAt')!;
  if (occurredAt > today) throw new ValidationError('occurredAt', 'DATE_IN_FUTURE', `${occurredAt} is after ${today}`);
  return {
    caseNumber: referencedCaseNumber(o, 'caseNumber', parseIsoDate(today)),
    seq: int(o, 'seq', 1),
    occurredAt,
    kind: oneOf(o, 'kind', CONDUCT_EVENT_KIND_NAMES),
    description: req(o, 'description', 500),
  };
}

/** A complaint (信访) recorded against a case: keyed by the case and `seq`, the complaint's number within the case. */
export interface ComplaintImport {
  caseNumber: string;
  seq: number;
  receivedAt: string;
  kind: ComplaintKind;
  outcome: ComplaintOutcome;
}

export function complaintRow(o: Obj, today: string): ComplaintImport {
  const receivedAt = date(o, 'receivedAt')!;
  if (receivedAt > today) throw new ValidationError('receivedAt', 'DATE_IN_FUTURE', `${receivedAt} is after ${today}`);
  return {
    caseNumber: referencedCaseNumber(o, 'caseNumber', parseIsoDate(today)),
    seq: int(o, 'seq', 1),
    receivedAt,
    kind: oneOf(o, 'kind', COMPLAINT_KIND_NAMES),
    outcome: oneOf(o, 'outcome', COMPLAINT_OUTCOME_NAMES, 'PENDING'),
  };
}

/** A period 执行程序若干问题的解释 Art. 13 leaves out of a case's six months; keyed by (`caseNumber`, `startsAt`). */
export interface ExcludedPeriodImport {
  caseNumber: string;
  kind: ExcludedPeriodKind;
  startsAt: string;
  endsAt: string | null;
  basis: string | null;
}

/**
 * A period's own rules: a kind Art. 13 lists, a start on or after the case's filing (`filedAt` of the case, from the
 * file or the registry; CASE_UNKNOWN when neither has it) and not after today, an end (absent while it runs) not
 * before its start. Overlaps with the case's other periods are checked once the file is read (importFile.ts).
 */
export function excludedPeriodRow(o: Obj, today: string, filedAtOf: (number: string) => string | null): ExcludedPeriodImport {
  const caseNumber = referencedCaseNumber(o, 'caseNumber', parseIsoDate(today));
  const filedAt = filedAtOf(caseNumber);
  if (filedAt === null)
    throw new ValidationError('caseNumber', 'CASE_UNKNOWN', `${caseNumber} is neither earlier in this file nor in the registry`);
  const kind = oneOf(o, 'kind', EXCLUDED_PERIOD_KINDS);
  const startsAt = date(o, 'startsAt')!;
  if (startsAt < filedAt) throw new ValidationError('startsAt', 'DATE_RANGE', `${startsAt} is before the case was filed on ${filedAt}`);
  if (startsAt > today) throw new ValidationError('startsAt', 'DATE_IN_FUTURE', `${startsAt} is after ${today}`);
  const endsAt = date(o, 'endsAt', true);
  if (endsAt !== null && endsAt < startsAt)
    throw new ValidationError('endsAt', 'EXCLUDED_PERIOD_ORDER', `${endsAt} is before the period starts on ${startsAt}`);
  if (endsAt !== null && endsAt > today) throw new ValidationError('endsAt', 'DATE_IN_FUTURE', `${endsAt} is after ${today}`);
  return { caseNumber, kind, startsAt, endsAt, basis: str(o, 'basis', { optional: true, max: 200 }) };
}

/** Whether two periods share a day (an open one runs on with no end). */
export function periodsOverlap(a: { startsAt: string; endsAt: string | null }, b: { startsAt: string; endsAt: string | null }): boolean {
  return (a.endsAt === null || b.startsAt <= a.endsAt) && (b.endsAt === null || a.startsAt <= b.endsAt);
}

/** A higher court's supervision (督办) of a case; keyed by (`caseNumber`, `supervisedAt`, `supervisingCourt`). */
export interface SupervisionOrderImport {
  caseNumber: string;
  supervisedAt: string;
  supervisingCourt: string;
  outcome: SupervisionOutcome;
  note: string | null;
}

/** Whether `above` is a court above `court` in the province's hierarchy (its intermediate court, the high court). */
function isAbove(above: string, court: string): boolean {
  for (let at = COURTS_BY_CODE.get(court)?.parent ?? null; at !== null; at = COURTS_BY_CODE.get(at)?.parent ?? null)
    if (at === above) return true;
  return false;
}

/**
 * A 督办's rules: the case earlier in the file or in the registry (`caseOf` gives its filing day and executing court),
 * dated between its filing and today, by a court of the province above the court executing the case, with an outcome.
 */
export function supervisionOrderRow(
  o: Obj,
  today: string,
  caseOf: (number: string) => { filedAt: string; executingCourt: string } | null,
): SupervisionOrderImport {
  const caseNumber = referencedCaseNumber(o, 'caseNumber', parseIsoDate(today));
  const known = caseOf(caseNumber);
  if (known === null)
    throw new ValidationError('caseNumber', 'CASE_UNKNOWN', `${caseNumber} is neither earlier in this file nor in the registry`);
  const supervisedAt = date(o, 'supervisedAt')!;
  if (supervisedAt < known.filedAt)
    throw new ValidationError('supervisedAt', 'DATE_RANGE', `${supervisedAt} is before the case was filed on ${known.filedAt}`);
  if (supervisedAt > today) throw new ValidationError('supervisedAt', 'DATE_IN_FUTURE', `${supervisedAt} is after ${today}`);
  const supervisingCourt = court(o, 'supervisingCourt');
  if (!isAbove(supervisingCourt, known.executingCourt))
    throw new ValidationError(
      'supervisingCourt',
      'SUPERVISING_COURT_ABOVE',
      `${supervisingCourt} is not above ${known.executingCourt}, the court executing ${caseNumber}`,
    );
  return {
    caseNumber,
    supervisedAt,
    supervisingCourt,
    outcome: oneOf(o, 'outcome', SUPERVISION_OUTCOMES),
    note: str(o, 'note', { optional: true, max: 500 }),
  };
}

// ---- property control ----------------------------------------------------------------------------------

export interface PropertyImport {
  id: string;
  kind: PropertyKind;
  description: string;
  ownerId: string | null;
  ownerName: string;
  divisionCode: string | null;
  prefecture: string | null;
  outOfProvince: boolean;
  estimatedValue: number | null;
  disposalStage: DisposalStage | 'NONE';
  undisposedSince: string | null;
  disposalHoldReason: string | null;
}

export function propertyRow(o: Obj, today: string): PropertyImport {
  const owner = str(o, 'ownerId', { optional: true });
  const divisionCode = division(o, 'divisionCode');
  const outOfProvince = bool(o, 'outOfProvince', divisionCode !== null && !divisionCode.startsWith('51'));
  const kind = oneOf(o, 'kind', PROPERTY_KINDS);
  const disposalStage = oneOf(o, 'disposalStage', DISPOSAL_STAGES, 'NONE');
  checkStageForKind(kind, disposalStage, 'disposalStage');
  return {
    id: req(o, 'id', 64),
    kind,
    description: req(o, 'description', 500),
    ownerId: owner === null ? null : parseDebtorId(owner, 'ownerId', parseIsoDate(today)).id,
    ownerName: req(o, 'ownerName', 200),
    divisionCode,
    prefecture: divisionCode && divisionCode.startsWith('51') ? `川${divisionCode.slice(2, 4)}` : null,
    outOfProvince,
    estimatedValue: money(o, 'estimatedValue', true),
    disposalStage,
    undisposedSince: date(o, 'undisposedSince', true),
    disposalHoldReason: str(o, 'disposalHoldReason', { optional: true, max: 500 }),
  };
}

export interface MeasureImport {
  id: string;
  propertyId: string;
  kind: 'SEAL' | 'SEIZE' | 'FREEZE';
  courtCode: string;
  caseNumber: string;
  imposedAt: string;
  periodStartsAt: string | null;
  expiresAt: string | null;
  waiting: boolean;
  queuePosition: number;
  renewals: number;
  releasedAt: string | null;
}

/** The row's `propertyId`, of a property earlier in the file or already recorded (PROPERTY_UNKNOWN), and its kind. */
function knownProperty(o: Obj, propertyKind: (id: string) => PropertyKind | null): { propertyId: string; kind: PropertyKind } {
  const propertyId = req(o, 'propertyId', 64);
  const kind = propertyKind(propertyId);
  if (kind === null) throw new ValidationError('propertyId', 'PROPERTY_UNKNOWN', `no property ${propertyId} in this file or the database`);
  return { propertyId, kind };
}

/** A measure's period: none while waiting; otherwise a start and an expiry within the legal period for the kind. */
export function measureRow(o: Obj, today: string, propertyKind: (id: string) => PropertyKind | null): MeasureImport {
  const { propertyId, kind: kindOfProperty } = knownProperty(o, propertyKind);
  const waiting = bool(o, 'waiting', false);
  const imposedAt = date(o, 'imposedAt')!;
  if (imposedAt > today) throw new ValidationError('imposedAt', 'DATE_IN_FUTURE', `${imposedAt} is after ${today}`);
  const periodStartsAt = date(o, 'periodStartsAt', true);
  const expiresAt = date(o, 'expiresAt', true);
  const renewals = int(o, 'renewals', 0, 0);
  if (waiting && (periodStartsAt !== null || expiresAt !== null))
    throw new ValidationError('expiresAt', 'WAITING_HAS_NO_PERIOD', 'a waiting seizure has no period until it takes effect');
  if (!waiting) {
    if (periodStartsAt === null || expiresAt === null)
      throw new ValidationError(
        periodStartsAt === null ? 'periodStartsAt' : 'expiresAt',
        'PERIOD_REQUIRED',
        'a measure in effect has a period start and an expiry',
      );
    if (periodStartsAt < imposedAt)
      throw new ValidationError('periodStartsAt', 'PERIOD_BEFORE_IMPOSED', `${periodStartsAt} is before imposedAt ${imposedAt}`);
    if (expiresAt <= periodStartsAt) throw new ValidationError('expiresAt', 'PERIOD_ORDER', 'expires after its period starts');
    const months = MAX_PERIOD_MONTHS[kindOfProperty];
    if (expiresAt > addMonths(periodStartsAt, months)) {
      throw new ValidationError(
        'expiresAt',
        'MEASURE_PERIOD_LIMIT',
        `a period on ${kindOfProperty} runs at most ${months} months: no later than ${addMonths(periodStartsAt, months)}`,
      );
    }
  }
  const releasedAt = date(o, 'releasedAt', true);
  if (releasedAt !== null && releasedAt < imposedAt)
    throw new ValidationError('releasedAt', 'RELEASED_BEFORE_IMPOSED', `${releasedAt} is before imposedAt ${imposedAt}`);
  // The number carries the type code, so the property file can tell a review case without reading the registry.
  const measureCase = referencedCase(o, 'caseNumber', parseIsoDate(today));
  if (!isImplementationCase(measureCase.typeCode))
    throw new ValidationError(
      'caseNumber',
      'REVIEW_CASE_NO_MEASURES',
      `${measureCase.number} is a review case (${measureCase.typeCode}): measures are imposed in the implementation case (执, 执恢, 执保)`,
    );
  return {
    id: req(o, 'id', 64),
    propertyId,
    kind: oneOf(o, 'kind', ['SEAL', 'SEIZE', 'FREEZE'] as const),
    courtCode: court(o, 'courtCode'),
    caseNumber: measureCase.number,
    imposedAt,
    periodStartsAt,
    expiresAt,
    waiting,
    queuePosition: int(o, 'queuePosition', 1),
    renewals,
    releasedAt,
  };
}

export interface DisposalStepImport {
  propertyId: string;
  seq: number;
  stage: DisposalStage;
  method: string | null;
  price: number | null;
  occurredAt: string;
  succeeded: boolean;
}

/** A historical step, taken as recorded but of a stage that fits the property's kind (a deposit is deducted: DEPOSIT_DEDUCTION). */
export function disposalStepRow(o: Obj, today: string, propertyKind: (id: string) => PropertyKind | null): DisposalStepImport {
  const { propertyId, kind } = knownProperty(o, propertyKind);
  const stage = oneOf(
    o,
    'stage',
    DISPOSAL_STAGES.filter((s) => s !== 'NONE'),
  );
  checkStageForKind(kind, stage, 'stage');
  const method = str(o, 'method', { optional: true });
  if (stage === 'REFERENCE_PRICE' ? method === null || !(REFERENCE_METHODS as readonly string[]).includes(method) : method !== null) {
    throw new ValidationError(
      'method',
      'REFERENCE_METHOD',
      `the reference-price step names one of ${REFERENCE_METHODS.join(', ')}; other steps name none`,
    );
  }
  const occurredAt = date(o, 'occurredAt')!;
  if (occurredAt > today) throw new ValidationError('occurredAt', 'DATE_IN_FUTURE', `${occurredAt} is after ${today}`);
  return {
    propertyId,
    seq: int(o, 'seq', 1),
    stage,
    method,
    price: money(o, 'price', true),
    occurredAt,
    succeeded: bool(o, 'succeeded', true),
  };
}

/** The property kinds each security interest may lie on (民法典 Arts. 395, 425, 440). */
export const ENCUMBRANCE_PROPERTY_KINDS: Record<EncumbranceKind, readonly PropertyKind[]> = {
  MORTGAGE: ['REAL_ESTATE', 'LAND_USE_RIGHT', 'VEHICLE', 'MOVABLE'],
  PLEDGE: ['MOVABLE', 'VEHICLE', 'BANK_DEPOSIT', 'EQUITY', 'RECEIVABLE', 'INTELLECTUAL_PROPERTY'],
};

export interface EncumbranceImport {
  id: string;
  propertyId: string;
  kind: EncumbranceKind;
  holderName: string;
  holderKind: HolderKind;
  securedAmount: number;
  rank: number;
  registeredAt: string;
  enforcedInCase: string | null;
}

/**
 * A mortgage or pledge on a property (ADR 18): on a property earlier in the file or already recorded, of a kind the
 * interest may lie on, securing an amount above zero, ranked from 1. A rank taken twice on one property is the
 * importer's check (it sees the file and the database).
 */
export function encumbranceRow(o: Obj, today: string, propertyKind: (id: string) => PropertyKind | null): EncumbranceImport {
  const { propertyId, kind: onKind } = knownProperty(o, propertyKind);
  const kind = oneOf(o, 'kind', ENCUMBRANCE_KINDS);
  if (!ENCUMBRANCE_PROPERTY_KINDS[kind].includes(onKind))
    throw new ValidationError(
      'kind',
      'ENCUMBRANCE_PROPERTY_KIND',
      `a ${kind.toLowerCase()} lies on ${ENCUMBRANCE_PROPERTY_KINDS[kind].join(', ')}, not on ${onKind}`,
    );
  const securedAmount = money(o, 'securedAmount')!;
  if (securedAmount === 0) throw new ValidationError('securedAmount', 'SECURED_AMOUNT_ZERO', 'an encumbrance secures an amount above zero');
  const registeredAt = date(o, 'registeredAt')!;
  if (registeredAt > today) throw new ValidationError('registeredAt', 'DATE_IN_FUTURE', `${registeredAt} is after ${today}`);
  const enforced = str(o, 'enforcedInCase', { optional: true });
  return {
    id: req(o, 'id', 64),
    propertyId,
    kind,
    holderName: req(o, 'holderName', 200),
    holderKind: oneOf(o, 'holderKind', HOLDER_KINDS),
    securedAmount,
    rank: int(o, 'rank', 1),
    registeredAt,
    enforcedInCase: enforced === null ? null : referencedCaseNumber(o, 'enforcedInCase', parseIsoDate(today)),
  };
}

// ---- personnel -----------------------------------------------------------------------------------------

export interface OfficerImport {
  id: string;
  name: string;
  courtCode: string;
  post: Post;
  enforcement: boolean;
  active: boolean;
}

export function officerRow(o: Obj): OfficerImport {
  const id = req(o, 'id', 16);
  checkOfficerId(id, 'id');
  return {
    id,
    name: req(o, 'name', 100),
    courtCode: court(o, 'courtCode'),
    post: oneOf(o, 'post', POST_NAMES),
    enforcement: bool(o, 'enforcement', true),
    active: bool(o, 'active', true),
  };
}
