import type {
  CaseRow,
  CasePartyRow,
  ComplaintRow,
  ConductEventRow,
  CourtRow,
  ExcludedPeriodRow,
  ExternalCaseRow,
  PersonRow,
  SupervisionOrderRow,
} from './ddl';
import type { TransferRow } from './workflowDdl';

/** Record types the source adapter returns and the resolvers receive as parents (codegen mappers). */
export type CourtRecord = CourtRow;
export type PersonRecord = PersonRow;
export type CaseRecord = CaseRow;
/** A column of the case row: a case list may read only some (`casesByDebtor`'s columns, resolvers/Case.ts). */
export type CaseColumn = keyof CaseRecord;
export type CasePartyRecord = CasePartyRow;
export type ExternalCaseRecord = ExternalCaseRow;
export type ComplaintRecord = ComplaintRow;
export type ConductEventRecord = ConductEventRow;
export type ExcludedPeriodRecord = ExcludedPeriodRow;
export type SupervisionOrderRecord = SupervisionOrderRow;

/** A control measure as property-control hands it over: its id and the case it was imposed under (`@requires`). */
export interface MeasureLineageRef {
  id: string;
  caseNumber?: string;
}

/**
 * A case's lineage as it stands today: the case asked about, the court executing it, and the newest
 * case of its lineage with the court executing that one, which carries the lineage's control measures.
 */
export interface LineageCarrierRecord {
  caseNumber: string;
  caseCourt: string;
  newestCaseNumber: string;
  carryingCourt: string;
}

/** An officer known to the registry only by reference; the personnel roster owns the rest. */
export interface OfficerRef {
  id: string;
}

export interface MatchEvidenceRecord {
  rule: 'IDENTIFIER' | 'NAME_EXACT' | 'NAME_NORMALISED' | 'NAME_CONTAINS' | 'REGION';
  detail: string;
}

export interface DebtorMatchRecord {
  person: PersonRecord | null;
  name: string;
  kind: PersonRecord['kind'];
  candidate: boolean;
  confidence: number;
  evidence: MatchEvidenceRecord[];
  caseNumbers: string[];
  possibleDebtorIds: string[];
}

/** Case figures for one debtor's unclosed implementation cases, aggregated in SQL. */
export interface CaseAggregateRecord {
  debtorId: string;
  unclosedCaseCount: number;
  /** Implementation cases closed as 终本 and not yet resumed. */
  terminatedThisRoundCaseCount: number;
  /** unclosed + 终本 not yet resumed: the 未实结 cases MANY_COURTS counts. */
  unconcludedCaseCount: number;
  courtCodes: string[];
  prefectures: string[];
  outstandingFen: number;
  oldestUnclosedFiledAt: string | null;
}

export type TransferRecord = TransferRow;

/** A case a decision covered, with what the registry knows of its progress since. */
export interface TransferredCaseRecord {
  transferId: string;
  mode: TransferRow['mode'];
  decidedAt: string;
  /** The decision's deadline and its deciding court (the history an assessment reads). */
  deadline: string;
  decidingCourt: string;
  fromCase: string;
  toCase: string | null;
  /**
   * The sending court (the court executing the case decided on, which may differ from the court that numbered it),
   * and the court executing the case opened from it.
   */
  fromCourt: string;
  toCourt: string | null;
  recoveredBefore: number;
  /**
   * The case that carries the matter on today: the newest case of the decided case's lineage, so a case moved
   * again later is followed to where it is now; the decided case itself when it never moved.
   */
  carriedOn: string;
  /** Fen recovered so far in the carrying-on case (a moved case carries its recovered total on). */
  carriedOnRecovered: number;
}

/** The cases the decisions of one period and scope covered; `id` encodes the period and scope. */
export interface TransferStatisticsRecord {
  id: string;
  from: string;
  to: string;
  prefecture: string | null;
  cases: TransferredCaseRecord[];
}

export interface TransferFilter {
  from?: string | null;
  to?: string | null;
  mode?: TransferRow['mode'] | null;
  prefecture?: string | null;
  unsupervised?: boolean | null;
  /** Only decisions touching these courts (deciding, sending or receiving); null for every court. */
  courts?: string[] | null;
}

export interface TransferPageRecord {
  rows: TransferRecord[];
  hasNextPage: boolean;
}

export interface DebtorPageRecord {
  rows: PersonRecord[];
  hasNextPage: boolean;
}

/** A write's outcome: the decision it concerns, and whether an earlier request with the same key answered it. */
export interface DecisionResultRecord {
  transferId: string;
  replayed: boolean;
}

export interface DecisionsResultRecord {
  transferIds: string[];
  replayed: boolean;
}

/** What a rebalance proposal is made from; `id` encodes courts, category and size. */
export interface RebalancePlanRecord {
  id: string;
  /** The sending courts, in the order asked (one for a `fromCourt` plan). */
  fromCourts: string[];
  caseType: string | null;
  maxCases: number;
}
