import { sameDdl, type Migration } from '../../../lib/migrations';

/*
 * Property-control's schema, step by step, in both dialects (lib/migrations.ts). A new step is appended, never edited.
 */

/**
 * The property-control system's tables (网络执行查控). Measures are recorded against the case number under
 * which they were imposed; they follow a transferred case through its lineage, never by rewriting rows.
 */
const ENCUMBRANCES_TABLE = `
CREATE TABLE IF NOT EXISTS encumbrances (
  id TEXT PRIMARY KEY,
  property_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('MORTGAGE','PLEDGE')),
  holder_name TEXT NOT NULL,
  holder_kind TEXT NOT NULL CHECK (holder_kind IN ('FINANCIAL_INSTITUTION','LEGAL_PERSON','NATURAL_PERSON')),
  secured_amount INTEGER NOT NULL CHECK (secured_amount > 0),
  rank INTEGER NOT NULL CHECK (rank >= 1),
  registered_at TEXT NOT NULL,
  enforced_in_case TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS encumbrances_property_rank ON encumbrances (property_id, rank);
`;

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
${ENCUMBRANCES_TABLE}`;

export const PROPERTY_CONTROL_INDEXES = `
CREATE INDEX IF NOT EXISTS properties_owner ON properties (owner_id);
CREATE INDEX IF NOT EXISTS properties_undisposed ON properties (undisposed_since, id) WHERE undisposed_since IS NOT NULL;
CREATE INDEX IF NOT EXISTS measures_property ON measures (property_id, queue_position);
CREATE INDEX IF NOT EXISTS measures_case ON measures (case_number);
CREATE INDEX IF NOT EXISTS measures_court ON measures (court_code);
`;

export const PROPERTY_CONTROL_MIGRATIONS: readonly Migration[] = [
  // Its tables are created if missing, so a file written before the encumbrances table (issue 15) gains it here.
  sameDdl('property-control/0001-baseline', PROPERTY_CONTROL_TABLES, PROPERTY_CONTROL_INDEXES),
];
