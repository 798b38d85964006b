import type { PropertyKind } from '../../../domain/measures';
import type { DisposalStepRow, EncumbranceRow, MeasureRow, PropertyRow } from './ddl';

/** Record types the source adapter returns and the resolvers receive as parents (codegen mappers). */
export type PropertyRecord = PropertyRow;
export type MeasureRecord = MeasureRow;
export type DisposalStepRecord = DisposalStepRow;
export type EncumbranceRecord = EncumbranceRow;
/** A column of the properties table, as a list of properties may name the ones its selection reads (ADR 33). */
export type PropertyColumn = keyof PropertyRecord;

/** One property's queue of measures (轮候), in queue order, with the property's kind that sets their periods. */
export interface MeasureQueueRecord {
  propertyId: string;
  kind: PropertyKind;
  measures: MeasureRecord[];
}

/** Entities owned elsewhere, known here only by key. */
export interface DebtorRef {
  id: string;
  /** The registry's unclosed and 终本 cases with their lineages, present when `caseLineageMeasures` requires them. */
  unclosedCases?: CaseRef[];
  terminatedThisRoundCases?: CaseRef[];
}
export interface CourtRef {
  code: string;
}
/** A case as the gateway hands it over, with the lineage the registry supplied through `@requires`. */
export interface CaseRef {
  number: string;
  lineageNumbers?: string[];
}

/** A rebalancing request as the gateway hands it over, with the registry's open cases when a field requires them. */
export interface RebalancePlanRef {
  id: string;
  openCases?: CaseRef[];
}

/** The measures of one case's lineage and the properties under them (`CaseLineageMeasures`). */
export interface CaseLineageMeasuresRecord {
  case: CaseRef;
  measures: MeasureRecord[];
  measuredProperties: PropertyRecord[];
}

/** A transferred case as the gateway hands it over, with the decision date and lineage the registry supplied. */
export interface TransferredCaseRef {
  id: string;
  decidedAt?: string;
  carriedOn?: { lineageNumbers?: string[] };
}

/** Property figures for one debtor, aggregated in SQL. */
export interface PropertyAggregateRecord {
  debtorId: string;
  idlePropertyCount: number;
  idleSince: string | null;
  sharedSeizureCount: number;
  expiringMeasureCount: number;
}

export interface PropertyPageRecord {
  rows: PropertyRecord[];
  hasNextPage: boolean;
}

/** Outcomes of the writes: what they touched, and whether an earlier request with the same key answered. */
export interface MeasureResultRecord {
  measureId: string;
  replayed: boolean;
}
export interface ReleaseResultRecord {
  measureId: string;
  tookEffect: string | null;
  replayed: boolean;
}
export interface DisposalResultRecord {
  propertyId: string;
  replayed: boolean;
}

/** A transfer decision as the gateway hands it over, with the date and each carrying-on case's lineage (@requires). */
export interface TransferRef {
  id: string;
  decidedAt?: string;
  cases?: { carriedOn: { lineageNumbers?: string[] } | null }[];
}
