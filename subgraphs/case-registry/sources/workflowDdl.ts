import type { TransferMode } from '../../../domain/transferModes';
import type { CaseRegistryDatabase } from './ddl';
import type { WriteRecordsDatabase } from '../../../lib/recordedWrite';

/**
 * The transfer workflow's rows: the product's decisions, the cases they covered and their supervision history. They
 * are not the registry's (an integration engineer wrapping a real registry does not create them); their SQLite DDL
 * and migration are the workflow store's (workflowSqlite.ts).
 */

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

/**
 * The registry's copy of the personnel roster (officer → court), read through the gateway by the roster job
 * (jobs/roster) and checked by the workflow: a supervisor or note author must be an officer of the deciding or acting
 * court (issue 14, ADR 14). The product's table, not the registry's.
 */
export interface RosterCopyRow {
  officer_id: string;
  court_code: string;
  /** When the copy this row belongs to was taken (the same for every row). */
  copied_at: string;
}

export type TransferWorkflowDatabase = WriteRecordsDatabase & {
  transfers: TransferRow;
  transfer_cases: TransferCaseRow;
  supervision_events: SupervisionEventRow;
  roster_copy: RosterCopyRow;
};

/** What the workflow's SQL sees in the embedded default: its own tables beside the registry's, in one file. */
export type EmbeddedWorkflowDatabase = CaseRegistryDatabase & TransferWorkflowDatabase;

/**
 * The newest case of the lineage of the case aliased `f`: the one no other case was opened from or continues (a
 * lineage is a chain; two moves may share a filing day, so dates cannot order it).
 */
export const LINEAGE_HEAD_OF_F =
  'select h.number from cases h where h.lineage_root = f.lineage_root and not exists (select 1 from cases x where x.transferred_from = h.number or x.continues = h.number) limit 1';
