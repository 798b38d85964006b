import type { WriteRecordsDatabase } from '../../../lib/recordedWrite';
import type { DisposalStage } from '../../../domain/disposal';
import type { MeasurePeriod, PropertyKind } from '../../../domain/measures';
/**
 * The property-control system's tables (网络执行查控). Measures are recorded against the case number under
 * which they were imposed; they follow a transferred case through its lineage, never by rewriting rows.
 */
export const PROPERTY_CONTROL_TABLES = `
CREATE TABLE IF NOT EXISTS properties (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  description TEXT NOT NULL,
  owner_id TEXT,
  owner_name TEXT NOT NULL,
  division_code TEXT,
  prefecture TEXT,
  out_of_province INTEGER NOT NULL DEFAULT 0,
  estimated_value INTEGER,
  disposal_stage TEXT NOT NULL DEFAULT 'NONE',
  undisposed_since TEXT,
  disposal_hold_reason TEXT
);
CREATE TABLE IF NOT EXISTS measures (
  id TEXT PRIMARY KEY,
  property_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('SEAL','SEIZE','FREEZE')),
  court_code TEXT NOT NULL,
  case_number TEXT NOT NULL,
  imposed_at TEXT NOT NULL,
  period_starts_at TEXT,
  expires_at TEXT,
  waiting INTEGER NOT NULL DEFAULT 0,
  queue_position INTEGER NOT NULL,
  renewals INTEGER NOT NULL DEFAULT 0,
  released_at TEXT
);
CREATE TABLE IF NOT EXISTS disposal_steps (
  property_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  step TEXT NOT NULL,
  method TEXT,
  price INTEGER,
  occurred_at TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('DONE','FAILED')),
  PRIMARY KEY (property_id, seq)
) WITHOUT ROWID;
`;

export const PROPERTY_CONTROL_INDEXES = `
CREATE INDEX IF NOT EXISTS properties_owner ON properties (owner_id);
CREATE INDEX IF NOT EXISTS properties_undisposed ON properties (undisposed_since, id) WHERE undisposed_since IS NOT NULL;
CREATE INDEX IF NOT EXISTS measures_property ON measures (property_id, queue_position);
CREATE INDEX IF NOT EXISTS measures_case ON measures (case_number);
CREATE INDEX IF NOT EXISTS measures_court ON measures (court_code);
`;

export interface PropertyRow {
  id: string;
  kind: PropertyKind;
  description: string;
  owner_id: string | null;
  owner_name: string;
  division_code: string | null;
  prefecture: string | null;
  out_of_province: number;
  estimated_value: number | null;
  disposal_stage: DisposalStage | 'NONE';
  undisposed_since: string | null;
  /** The recorded justification for not disposing yet (e.g. an objection under review); null when none. */
  disposal_hold_reason: string | null;
}

export interface MeasureRow {
  id: string;
  property_id: string;
  kind: 'SEAL' | 'SEIZE' | 'FREEZE';
  court_code: string;
  case_number: string;
  imposed_at: string;
  period_starts_at: string | null;
  expires_at: string | null;
  waiting: number;
  queue_position: number;
  renewals: number;
  released_at: string | null;
}

/** The period facts of a measure row, for the status and renewal rules (domain/measures). */
export function periodOf(m: MeasureRow): MeasurePeriod {
  return { releasedAt: m.released_at, waiting: m.waiting === 1, expiresAt: m.expires_at };
}

export interface DisposalStepRow {
  property_id: string;
  seq: number;
  step: DisposalStage;
  method: string | null;
  price: number | null;
  occurred_at: string;
  outcome: 'DONE' | 'FAILED';
}

export type PropertyControlDatabase = {
  properties: PropertyRow;
  measures: MeasureRow;
  disposal_steps: DisposalStepRow;
};

/** What property-control's file holds in the embedded default: its own tables and the product's write bookkeeping. */
export type EmbeddedPropertyControlDatabase = PropertyControlDatabase & WriteRecordsDatabase;
