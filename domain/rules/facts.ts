import type { ExcludedPeriod } from '../excludedPeriods';
import { COURTS_BY_CODE } from '../sichuan';
import type { SupervisionOrder } from '../supervision';

/**
 * The plain records the selection rules read. The coordination subgraph fills them from the facts the owning
 * subgraphs supply through federation; tests build them by hand.
 */
export interface CourtFact {
  code: string;
  level: 'HIGH' | 'INTERMEDIATE' | 'BASIC';
  /** Intermediate-court code of the court's prefecture; null for the high court and special courts. */
  prefecture: string | null;
  divisionCode: string;
  openCaseCount: number;
  enforcementStaffCount: number;
}

export interface CaseFact {
  number: string;
  courtCode: string;
  filedAt: string;
  lastActionAt: string | null;
  /** Fen; null for conduct obligations. */
  amountDue: number | null;
  amountRecovered: number;
  /** CRIMINAL_RESTITUTION marks a criminal restitution case (刑事裁判涉财产部分执行). */
  category: string;
  /** The case number's type code (执, 执恢, 执保, 执异, …): whether it is an implementation case (domain/caseKinds.ts). */
  typeCode: string;
  /** For a case closed as 终结本次执行程序 (终本) and not yet resumed: the day it was closed so; otherwise absent or null. */
  terminatedThisRoundAt?: string | null;
  /**
   * The properties standing under a measure of the case's lineage (in effect or waiting): the executable property the
   * court has found, for 执行程序若干问题的解释 Art. 10. Absent or empty: no property found.
   */
  properties?: CasePropertyFact[];
  /** Complaints (信访) recorded against the case: selection evidence (PASSIVE_EXECUTION's detail). Absent: none known. */
  complaints?: ComplaintFact[];
  /**
   * True when the case orders conduct: a conduct case (no amount) or a case with both a money and a conduct duty.
   * Absent: a conduct case exactly when there is no amount.
   */
  ordersConduct?: boolean;
  /** The conduct obligation's dated progress events (domain/conduct.ts), oldest first. Absent: none recorded. */
  conductProgress?: { occurredAt: string; kind: string }[];
  /**
   * The periods 执行程序若干问题的解释 Art. 13 leaves out of the six months (中止, 暂缓, public notice, appraisal,
   * jurisdiction dispute, coordination), as the registry records them. Absent or empty: none recorded.
   */
  excludedPeriods?: ExcludedPeriod[];
  /** The higher courts' supervision of the case (督办), as the registry records it. Absent or empty: none recorded. */
  supervisionOrders?: SupervisionOrder[];
}

/** A complaint against a case, as the evidence reads it. */
export interface ComplaintFact {
  receivedAt: string;
  /** PASSIVE_EXECUTION, IMPROPER_EXECUTION or OTHER (domain/complaints.ts). */
  kind: string;
  /** PENDING, SUBSTANTIATED, UNSUBSTANTIATED or WITHDRAWN. */
  outcome: string;
}

/** A property under the control of a case's lineage, as the six-month test (Art. 10) reads it. */
export interface CasePropertyFact {
  id: string;
  /**
   * When the case's lineage first had it under control: the earliest start (imposition) of a lineage measure on it
   * that still stands. The systems record no other date of discovery; a preservation measure keeps its original date.
   */
  controlledSince: string;
  /** True once the property was disposed of (sold, or taken in payment): executed, as far as the property goes. */
  disposed: boolean;
}

/**
 * A control measure as the rules weigh it. Measures belong to the case lineage (issue 14 item 9): the court that holds
 * one today is the court carrying its lineage — the executing court of the lineage's newest case, the receiving court
 * after a transfer — which every holder, shared-asset and candidate rule reads; the court that imposed it stays a
 * separate fact for the evidence.
 */
export interface MeasureFact {
  /** The court carrying the measure's lineage today (the holder). */
  courtCode: string;
  /** The court that imposed the measure; absent when it is the holder (hand-built facts). */
  imposingCourtCode?: string;
  status: 'IN_EFFECT' | 'WAITING' | 'LAPSED' | 'RELEASED';
}

export interface PropertyFact {
  id: string;
  kind: string;
  prefecture: string | null;
  divisionCode: string | null;
  /** Fen. */
  estimatedValue: number | null;
  undisposedSince: string | null;
  disposalStage: string;
  measures: MeasureFact[];
  /** Mortgages and pledges on the property, in rank order (issue 15 item 4, ADR 18). Absent or empty: none recorded. */
  encumbrances?: EncumbranceFact[];
}

/** A mortgage or pledge (抵押/质押): its holder is paid from the property first, in rank order, up to the amount secured. */
export interface EncumbranceFact {
  id: string;
  kind: 'MORTGAGE' | 'PLEDGE';
  holderName: string;
  /** Fen. */
  securedAmount: number;
  rank: number;
  /** The enforcement case in which the holder enforces its priority claim, when it does. */
  enforcedInCaseNumber: string | null;
}

export interface DebtorFacts {
  id: string;
  divisionCode: string | null;
  /** The debtor's unclosed cases in every court (filed or executing). */
  unclosedCases: CaseFact[];
  /**
   * The debtor's cases closed as 终结本次执行程序 (终本) and not yet resumed (no 执恢 continuation): closed procedurally,
   * not concluded (未实结). Counted by the rules whose `countTerminatedThisRound` switch is on; absent means none.
   */
  terminatedThisRoundCases?: CaseFact[];
  properties: PropertyFact[];
  /**
   * The registry's transfer decisions that covered the debtor's cases, oldest first (one entry per decision and
   * case): the history the escalation rule reads (domain/rules/history.ts). Absent in facts built without it.
   */
  history?: DecisionFact[];
  /**
   * Related cases against the debtor in other provinces' courts (the registry's `Debtor.externalCases`): evidence of a
   * series beyond Sichuan, never a case a decision names. Absent in facts built without them.
   */
  externalCases?: ExternalCaseFact[];
}

/** A related case outside the province, as the evidence reads it. */
export interface ExternalCaseFact {
  number: string;
  /** The province's abbreviation (鲁, 粤, …). */
  province: string;
  open: boolean;
}

/** One case a transfer decision covered, as the debtor's decision history records it. */
export interface DecisionFact {
  transferId: string;
  mode: string;
  decidingCourt: string;
  decidedAt: string;
  /** By when the court had to act (for a deadline order, the deadline it set). */
  deadline: string;
  /** The case decided on. */
  caseNumber: string;
  /** The newest case of its lineage: the case carrying the matter on today. */
  carriedOn: string;
}

/** The debtor's 未实结 cases: the unclosed ones and the 终本 ones not yet resumed. */
export function unconcludedCases(d: DebtorFacts): CaseFact[] {
  return [...d.unclosedCases, ...(d.terminatedThisRoundCases ?? [])];
}

/** The cases a rule reads: the unclosed ones, and the 终本 ones too when its switch says so. */
export function casesCounted(d: DebtorFacts, countTerminatedThisRound: boolean): CaseFact[] {
  return countTerminatedThisRound ? unconcludedCases(d) : d.unclosedCases;
}

/**
 * The cases an assessment weighs and a decision may name: the unclosed ones, and the 终本 ones when a case-count or
 * stuck-case rule counts them (a decision naming a 终本 case opens its 执恢 continuation: domain/transfers.ts).
 */
export function casesInPlay(
  d: DebtorFacts,
  rules: { MANY_COURTS: { countTerminatedThisRound: boolean }; LONG_UNEXECUTED: { countTerminatedThisRound: boolean } },
): CaseFact[] {
  return casesCounted(d, rules.MANY_COURTS.countTerminatedThisRound || rules.LONG_UNEXECUTED.countTerminatedThisRound);
}

/** True for a case closed as 终本 and not yet resumed. */
export function isTerminatedThisRound(c: CaseFact): boolean {
  return (c.terminatedThisRoundAt ?? null) !== null;
}

/** Every court of the province, for loads, levels and locations. */
export interface ProvinceFacts {
  courts: ReadonlyMap<string, CourtFact>;
}

export function casesPerOfficer(court: CourtFact): number {
  return court.openCaseCount / Math.max(1, court.enforcementStaffCount);
}

const medians = new WeakMap<ReadonlyMap<string, CourtFact>, number>();

/**
 * Median of open cases per enforcement officer over the province's courts that have open cases. Computed once per
 * court table: an index pass judges hundreds of thousands of debtors against the same one.
 */
export function provincialMedianCasesPerOfficer(province: ProvinceFacts): number {
  const known = medians.get(province.courts);
  if (known !== undefined) return known;
  const loads = [...province.courts.values()]
    .filter((c) => c.openCaseCount > 0)
    .map(casesPerOfficer)
    .sort((a, b) => a - b);
  const mid = loads.length >> 1;
  const median = loads.length === 0 ? 0 : loads.length % 2 ? loads[mid]! : (loads[mid - 1]! + loads[mid]!) / 2;
  medians.set(province.courts, median);
  return median;
}

/**
 * Prefecture of a court for spread: its own for a prefecture's courts; the high court and the railway
 * intermediate court count as their own, and a railway basic court belongs with its intermediate court (川71).
 */
export function prefectureKey(court: Pick<CourtFact, 'code' | 'level' | 'prefecture'>): string {
  if (court.prefecture !== null) return court.prefecture;
  return court.level === 'BASIC' ? (COURTS_BY_CODE.get(court.code)?.parent ?? court.code) : court.code;
}

export function outstanding(c: CaseFact): number {
  return c.amountDue === null ? 0 : c.amountDue - c.amountRecovered;
}

export function standing(m: MeasureFact): boolean {
  return m.status === 'IN_EFFECT' || m.status === 'WAITING';
}
