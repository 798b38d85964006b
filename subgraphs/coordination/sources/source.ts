import type { CourtFact } from '../../../domain/rules/facts';
import type { IndexedCandidate } from './ddl';

export interface IndexMeta {
  assessedOn: string;
  configVersion: string;
  builtAt: string;
  debtorsScanned: number;
}

export interface CandidateFilter {
  ruleBit: number | null;
  prefecture: string | null;
}

export interface CourtLoads {
  courts: CourtFact[];
  /** When the loads were read from the graph (ISO timestamp). */
  at: string;
}

/**
 * The narrow interface over coordination's own read models, the court-load snapshot and the assessment index, both
 * built from the graph by the assessment pass (jobs/assess). One statement per read, whatever the page size.
 */
export interface CoordinationSource {
  courtLoads(): Promise<CourtLoads | null>;
  meta(): Promise<IndexMeta | null>;
  page(
    filter: CandidateFilter,
    first: number,
    after: { urgency: number; debtorId: string } | null,
  ): Promise<{ rows: IndexedCandidate[]; hasNextPage: boolean }>;
  /** How many candidates `page` lists in all under the filter (one count statement). */
  count(filter: CandidateFilter): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * How far the index has taken in the systems' write logs (ADR 14): the registry's decisions and property-control's
 * renewals, releases and disposal steps after these positions have not been judged yet.
 */
export interface ChangePositions {
  decisions: number;
  measures: number;
}

/** The read models with the writes of the assessment pass, which the subgraph itself never makes. */
export interface AssessmentIndexStore extends CoordinationSource {
  replaceCourtLoads(loads: CourtLoads): Promise<void>;
  /** Replaces the whole index in one transaction: readers see the old index until it commits. */
  replace(rows: Iterable<IndexedCandidate>, meta: IndexMeta & { changesAfter?: ChangePositions }): Promise<void>;
  /** The write-log positions the index has taken in; null before a pass recorded them. */
  changePositions(): Promise<ChangePositions | null>;
  /**
   * Re-judged debtors in one transaction: `rows` replace theirs (or are added), `removed` debtors meet no rule any more
   * and leave the index, and the positions advance to `changesAfter`.
   */
  refresh(rows: readonly IndexedCandidate[], removed: readonly string[], changesAfter: ChangePositions): Promise<void>;
}
