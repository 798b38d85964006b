import type { CourtCandidate } from '../../../domain/rules/assess';
import type { TransferMode } from '../../../domain/transferModes';

/**
 * The coordination subgraph's own data, both read models rebuilt from the graph by `npm run assess`: every court's
 * load (open cases from the registry, enforcement staff from the roster), which assessments compare courts by, and
 * the assessment index of the debtors meeting at least one rule, which the province-wide candidate list reads.
 */
export const COORDINATION_TABLES = `
CREATE TABLE IF NOT EXISTS assessment_index (
  debtor_id TEXT PRIMARY KEY,
  urgency REAL NOT NULL,
  rule_mask INTEGER NOT NULL,
  prefectures TEXT NOT NULL,
  recommended_mode TEXT,
  snapshot TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS assessment_urgency ON assessment_index (urgency DESC, debtor_id);
CREATE TABLE IF NOT EXISTS court_loads (
  code TEXT PRIMARY KEY,
  level TEXT NOT NULL,
  prefecture TEXT,
  division_code TEXT NOT NULL,
  open_case_count INTEGER NOT NULL,
  enforcement_staff_count INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS assessment_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

export interface AssessmentIndexRow {
  debtor_id: string;
  urgency: number;
  rule_mask: number;
  /** The prefectures of the debtor's unclosed cases, as `|川01|川15|`, for the prefecture filter. */
  prefectures: string;
  recommended_mode: TransferMode | null;
  /** JSON of CandidateSnapshot: the figures and recommendation as of the pass, so a page is one statement. */
  snapshot: string;
}

/** A candidate as the pass saw it: its cross-court figures, the explanation and the top receiving courts. */
export interface CandidateSnapshot {
  summary: {
    unclosedCaseCount: number;
    courtCount: number;
    courtCodes: string[];
    prefectureCount: number;
    prefectures: string[];
    outstandingFen: number;
    oldestUnclosedFiledAt: string | null;
    idlePropertyCount: number;
    idleSince: string | null;
    sharedSeizureCount: number;
    expiringMeasureCount: number;
  };
  explanation: string;
  receivingCourts: CourtCandidate[];
}

/** An index entry as the subgraph handles it: the row with its snapshot parsed once, where it is read. */
export type IndexedCandidate = Omit<AssessmentIndexRow, 'snapshot'> & { snapshot: CandidateSnapshot };

export interface CourtLoadRow {
  code: string;
  level: 'HIGH' | 'INTERMEDIATE' | 'BASIC';
  prefecture: string | null;
  division_code: string;
  open_case_count: number;
  enforcement_staff_count: number;
}

export interface AssessmentMetaRow {
  /** `changes_after`: the positions of the systems' write logs the index has taken in (JSON, ADR 14). */
  key: 'assessed_on' | 'config_version' | 'built_at' | 'debtors_scanned' | 'loads_at' | 'changes_after';
  value: string;
}

export interface CoordinationDatabase {
  court_loads: CourtLoadRow;
  assessment_index: AssessmentIndexRow;
  assessment_meta: AssessmentMetaRow;
}
