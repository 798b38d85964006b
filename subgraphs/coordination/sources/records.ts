/**
 * What the gateway hands the coordination subgraph: a Debtor representation carrying the fields its
 * `@requires` selects, in wire form (Money as yuan strings, dates as ISO strings).
 */
/** A case as the registry supplies it for an assessment, with its lineage's measures from property-control. */
export interface AssessedCaseWire {
  number: string;
  filedAt: string;
  lastActionAt: string | null;
  amountDue: string | null;
  amountRecovered: string;
  category: string;
  executingCourt: { code: string };
  /** The periods Art. 13 leaves out of the six months (the registry's `Case.excludedPeriods`). */
  excludedPeriods?: ExcludedPeriodWire[];
  /** The higher courts' supervision of the case (the registry's `Case.supervisionOrders`). */
  supervisionOrders?: SupervisionOrderWire[];
  /** Complaints (信访) against the case (the registry's `Case.complaints`). */
  complaints?: { receivedAt: string; kind: string; outcome: string }[];
  /** The conduct ordered (also on a case with a money duty) and its dated progress (the registry's). */
  conductOrdered?: string | null;
  conductProgress?: { occurredAt: string; kind: string }[];
}

export interface DebtorRepresentation {
  id: string;
  divisionCode?: string | null;
  unclosedCases?: AssessedCaseWire[];
  /** The cases closed as 终本 and not yet resumed (the registry's `Debtor.terminatedThisRoundCases`). */
  terminatedThisRoundCases?: (AssessedCaseWire & { closedAt: string | null })[];
  properties?: {
    id: string;
    kind: string;
    prefecture: string | null;
    divisionCode: string | null;
    estimatedValue: string | null;
    undisposedSince: string | null;
    disposalStage: string;
    measures: {
      id: string;
      status: 'IN_EFFECT' | 'WAITING' | 'LAPSED' | 'RELEASED';
      court: { code: string };
      /** The case the measure was imposed under (property-control's `ControlMeasure.case`). */
      case: { number: string } | null;
    }[];
    /** Mortgages and pledges on the property (property-control's, ADR 18); absent from a gateway not asked for them. */
    encumbrances?: {
      id: string;
      kind: 'MORTGAGE' | 'PLEDGE';
      holderName: string;
      securedAmount: string;
      rank: number;
      enforcedInCaseNumber: string | null;
    }[];
  }[];
  /**
   * Every case naming the debtor with the court carrying its lineage today (null when the viewer may not be told),
   * from the registry's flat `Debtor.caseCarriers` (ADR 21): a measure is carried where its case's lineage is.
   */
  caseCarriers?: { case: { number: string }; carryingCourt: { code: string } | null }[];
  /**
   * For each unclosed and 终本 case, its lineage's measures and the properties under them, from property-control's
   * flat `Debtor.caseLineageMeasures` (ADR 21); null if property-control failed.
   */
  caseLineageMeasures?:
    | {
        case: { number: string };
        measures: CaseMeasureWire[];
        measuredProperties: { id: string; undisposedSince: string | null }[];
      }[]
    | null;
  /** The registry's decisions on the debtor's cases, oldest first (`T000012|(2023)川0105执1234号` ids). */
  transferHistory?: {
    id: string;
    transferId: string;
    mode: string;
    decidedAt: string;
    deadline: string;
    decidingCourt: { code: string };
    carriedOn: { number: string };
  }[];
  /** The registry's related cases in other provinces' courts (`Debtor.externalCases`). */
  externalCases?: { number: string; province: string; closedAt: string | null }[];
}

/** A period of 执行程序若干问题的解释 Art. 13 as the six-month test reads it. */
export interface ExcludedPeriodWire {
  kind: string;
  startsAt: string;
  endsAt: string | null;
}

/** A higher court's 督办 of a case as IDLE_PROPERTY reads it. */
export interface SupervisionOrderWire {
  supervisedAt: string;
  outcome: string;
  supervisingCourt: { code: string };
}

/** A measure of a case's lineage as the six-month test reads it. */
export interface CaseMeasureWire {
  id: string;
  status: 'IN_EFFECT' | 'WAITING' | 'LAPSED' | 'RELEASED';
  startsAt: string;
  propertyId: string;
}

/** A court as the gateway hands it over; `receivedTransferCases` is present when a field requires it. */
export interface CourtRef {
  code: string;
  receivedTransferCases?: { number: string; handler: { id: string } | null }[];
  /** The leaders among the officers handling those cases (the roster's flat `Court.receivedTransferLeaders`, ADR 21). */
  receivedTransferLeaders?: { id: string }[];
}
/** A case, known here by its key. */
export interface CaseRef {
  number: string;
}
export interface OfficerRef {
  id: string;
}
export interface LeaderHandlingRecord {
  transferredCases: number;
  handledByLeaders: number;
  share: number | null;
  minimumShare: number;
  meetsRule: boolean;
  casesNotHandledByLeaders: CaseRef[];
}
export interface PropertyRef {
  id: string;
}
export interface MeasureRef {
  id: string;
}

import type { CandidateSnapshot, IndexedCandidate } from './ddl';
import type { IndexMeta } from './source';

export type CandidateRecord = IndexedCandidate;
export type CandidateSummaryRecord = CandidateSnapshot['summary'];
export interface CandidatePageRecord {
  rows: IndexedCandidate[];
  hasNextPage: boolean;
  meta: IndexMeta;
}

import type { Assessment } from '../../../domain/rules/assess';

/** An assessment with the time of the court-load snapshot it compared courts by. */
export type AssessmentRecord = Assessment & { courtLoadsAsOf: string };

export type { CourtCandidate as CourtCandidateRecord, Factor as FactorRecord } from '../../../domain/rules/assess';
export type { RuleEvidence as RuleEvidenceRecord, RuleResult as RuleResultRecord } from '../../../domain/rules/rules';

/** A transferred case as the gateway hands it over, with what the registry and property-control supplied (@requires). */
export interface TransferredCaseRepresentation {
  id: string;
  transferId?: string;
  mode?: string;
  decidedAt?: string;
  recoveredAfter?: string;
  propertyDisposedAt?: string | null;
  carriedOn?: {
    closure: string | null;
    closedAt: string | null;
    settledAt: string | null;
    conductProgress?: { occurredAt: string; kind: string }[];
  };
}

/** Period statistics as the gateway hands them over: the registry's cases with their required fields. */
export interface TransferStatisticsRepresentation {
  id: string;
  cases?: TransferredCaseRepresentation[];
}

/** A court with the load figures a rebalance proposal requires, as the gateway hands it over. */
export interface CourtLoadRepresentation {
  code: string;
  level: 'HIGH' | 'INTERMEDIATE' | 'BASIC';
  prefecture: string | null;
  divisionCode: string;
  openCaseCount: number;
}

/** A rebalance request as the gateway hands it over, with the registry's, roster's and property system's facts. */
export interface RebalancePlanRepresentation {
  id: string;
  maxCases?: number;
  fromCourts?: CourtLoadRepresentation[];
  courts?: CourtLoadRepresentation[];
  openCases?: {
    number: string;
    /** The registry's CaseType enum value (FIRST_EXECUTION, …). */
    type: string;
    category: string;
    executingCourt: { code: string };
    filedAt: string;
    debtors: { divisionCode: string | null }[];
  }[];
  /** For each open case, its lineage's measures and their properties (property-control's flat `openCaseMeasures`). */
  openCaseMeasures?:
    | {
        case: { number: string };
        measures: { status: string; propertyId: string }[];
        measuredProperties: { id: string; divisionCode: string | null; estimatedValue: string | null }[];
      }[]
    | null;
  /** The plan's courts with the roster's staffing (personnel's flat `staffedCourts`); a count is null when unknown. */
  staffedCourts?: { code: string; enforcementStaffCount: number | null }[];
}
