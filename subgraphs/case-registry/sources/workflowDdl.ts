import type { TransferMode } from '../../../domain/transferModes';
import type { CaseRegistryDatabase } from './ddl';
import type { WriteRecordsDatabase } from '../../../lib/recordedWrite';

/**
 * The transfer workflow's tables: the product's decisions, the cases they covered and their supervision history.
 * They are not the registry's (an integration engineer wrapping a real registry does not create them); in the
 * embedded default they live in the registry's file so a decision and the cases it closes and opens commit together.
 */
export const TRANSFER_WORKFLOW_TABLES = `
CREATE TABLE IF NOT EXISTS transfers (
  id TEXT PRIMARY KEY,
  mode TEXT NOT NULL CHECK (mode IN ('DEADLINE_ORDER','DIRECTED','ELEVATED','CENTRALIZED','COLLABORATIVE')),
  deciding_court TEXT NOT NULL,
  receiving_court TEXT,
  decided_at TEXT NOT NULL,
  deadline TEXT NOT NULL,
  supervisor_id TEXT,
  reasons TEXT NOT NULL,
  note TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS supervision_events (
  transfer_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  author_id TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('DECIDED','ASSIGNED','NOTE','PROGRESS','URGED')),
  note TEXT NOT NULL,
  PRIMARY KEY (transfer_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS transfer_cases (
  transfer_id TEXT NOT NULL,
  from_case TEXT NOT NULL,
  to_case TEXT,
  recovered_before INTEGER NOT NULL,
  PRIMARY KEY (transfer_id, from_case)
) WITHOUT ROWID;
`;

export const TRANSFER_WORKFLOW_INDEXES = `
CREATE INDEX IF NOT EXISTS transfers_decided ON transfers (decided_at);
CREATE INDEX IF NOT EXISTS transfer_cases_from ON transfer_cases (from_case);
CREATE INDEX IF NOT EXISTS transfer_cases_to ON transfer_cases (to_case);
`;

export interface TransferRow {
  id: string;
  mode: TransferMode;
  deciding_court: string;
  receiving_court: string | null;
  decided_at: string;
  deadline: string;
  supervisor_id: string | null;
  /** Comma-separated rule ids. */
  reasons: string;
  note: string;
}

export interface TransferCaseRow {
  transfer_id: string;
  from_case: string;
  /** The case opened at the receiving court; null when the mode does not move the case. */
  to_case: string | null;
  /** Fen recovered in the case before the decision, so progress after it can be told apart. */
  recovered_before: number;
}

export interface SupervisionEventRow {
  transfer_id: string;
  seq: number;
  at: string;
  author_id: string | null;
  kind: 'DECIDED' | 'ASSIGNED' | 'NOTE' | 'PROGRESS' | 'URGED';
  note: string;
}

export type SupervisionEventKind = SupervisionEventRow['kind'];

export type TransferWorkflowDatabase = WriteRecordsDatabase & {
  transfers: TransferRow;
  transfer_cases: TransferCaseRow;
  supervision_events: SupervisionEventRow;
};

/** What the workflow's SQL sees in the embedded default: its own tables beside the registry's, in one file. */
export type EmbeddedWorkflowDatabase = CaseRegistryDatabase & TransferWorkflowDatabase;

/**
 * The newest case of the lineage of the case aliased `f`: the one no other case was opened from (a lineage is a
 * chain; two moves may share a filing day, so dates cannot order it).
 */
export const LINEAGE_HEAD_OF_F =
  'select h.number from cases h where h.lineage_root = f.lineage_root and not exists (select 1 from cases x where x.transferred_from = h.number) limit 1';

