import { COURTS_BY_CODE } from '../sichuan';

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
}

export interface MeasureFact {
  courtCode: string;
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
}

export interface DebtorFacts {
  id: string;
  divisionCode: string | null;
  /** The debtor's unclosed cases in every court. */
  unclosedCases: CaseFact[];
  properties: PropertyFact[];
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
