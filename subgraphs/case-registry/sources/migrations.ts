import type Database from 'better-sqlite3';
import { sameDdl, type Migration } from '../../../lib/migrations';
import { addColumnIfMissing } from '../../../lib/sqlite';

/*
 * The case registry's schema, step by step, in both dialects (lib/migrations.ts): the registry's own tables, and the
 * transfer workflow's (which live in the registry's database in the embedded default but are the product's, not the
 * registry's). A new step is appended, never edited: a database records the steps it has applied by name.
 */

/**
 * The case registry's tables (执行案件管理). Money is integer fen; dates are ISO `YYYY-MM-DD` text.
 * Indexes are created after bulk loads (see `CASE_REGISTRY_INDEXES`). The transfer workflow's tables are not the
 * registry's: they are in workflowDdl.ts.
 */
export const CASE_REGISTRY_TABLES = `
CREATE TABLE IF NOT EXISTS courts (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('HIGH','INTERMEDIATE','BASIC')),
  prefecture TEXT,
  parent TEXT,
  division_code TEXT NOT NULL,
  special INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS persons (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('LEGAL_PERSON','NATURAL_PERSON')),
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  division_code TEXT,
  out_of_province INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS cases (
  number TEXT PRIMARY KEY,
  year INTEGER NOT NULL,
  court_code TEXT NOT NULL,
  type_code TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  executing_court TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('FILED','EXECUTING','CLOSED')),
  filed_at TEXT NOT NULL,
  closed_at TEXT,
  closure TEXT,
  obligation TEXT NOT NULL CHECK (obligation IN ('MONEY','CONDUCT')),
  category TEXT NOT NULL,
  conduct_ordered TEXT,
  amount_due INTEGER,
  amount_recovered INTEGER NOT NULL DEFAULT 0,
  handler_id TEXT,
  lineage_root TEXT NOT NULL,
  transferred_from TEXT,
  continues TEXT,
  last_action_at TEXT,
  settled_at TEXT,
  UNIQUE (court_code, year, type_code, sequence)
);
CREATE TABLE IF NOT EXISTS case_parties (
  case_number TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('DEBTOR','APPLICANT')),
  position INTEGER NOT NULL,
  person_id TEXT,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('LEGAL_PERSON','NATURAL_PERSON')),
  division_code TEXT,
  PRIMARY KEY (case_number, role, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS external_cases (
  number TEXT PRIMARY KEY,
  province TEXT NOT NULL,
  court_code TEXT NOT NULL,
  court_name TEXT NOT NULL,
  type_code TEXT NOT NULL,
  debtor_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('FILED','EXECUTING','CLOSED')),
  filed_at TEXT NOT NULL,
  closed_at TEXT,
  amount_due INTEGER
);
CREATE INDEX IF NOT EXISTS external_cases_debtor ON external_cases (debtor_id, filed_at);
CREATE TABLE IF NOT EXISTS complaints (
  case_number TEXT NOT NULL,
  seq INTEGER NOT NULL,
  received_at TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('PASSIVE_EXECUTION','IMPROPER_EXECUTION','OTHER')),
  outcome TEXT NOT NULL CHECK (outcome IN ('PENDING','SUBSTANTIATED','UNSUBSTANTIATED','WITHDRAWN')),
  PRIMARY KEY (case_number, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS conduct_events (
  case_number TEXT NOT NULL,
  seq INTEGER NOT NULL,
  occurred_at TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('MEASURE_TAKEN','PARTLY_PERFORMED','PERFORMED')),
  description TEXT NOT NULL,
  PRIMARY KEY (case_number, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS case_excluded_periods (
  case_number TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('SUSPENSION','STAY','PUBLIC_NOTICE','APPRAISAL','JURISDICTION_DISPUTE','COORDINATION')),
  starts_at TEXT NOT NULL,
  ends_at TEXT,
  basis TEXT,
  PRIMARY KEY (case_number, starts_at),
  CHECK (ends_at IS NULL OR ends_at >= starts_at)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS case_supervision_orders (
  case_number TEXT NOT NULL,
  supervised_at TEXT NOT NULL,
  supervising_court TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('PROGRESS','NO_PROGRESS','PENDING')),
  note TEXT,
  PRIMARY KEY (case_number, supervised_at, supervising_court)
) WITHOUT ROWID;
`;

export const CASE_REGISTRY_INDEXES = `
CREATE INDEX IF NOT EXISTS case_parties_person ON case_parties (person_id, role, case_number);
CREATE INDEX IF NOT EXISTS case_parties_unidentified ON case_parties (name_key) WHERE person_id IS NULL;
CREATE INDEX IF NOT EXISTS persons_name_key ON persons (name_key);
CREATE INDEX IF NOT EXISTS cases_executing_status ON cases (executing_court, status);
CREATE INDEX IF NOT EXISTS cases_handler ON cases (handler_id, status);
CREATE INDEX IF NOT EXISTS cases_lineage ON cases (lineage_root);
CREATE INDEX IF NOT EXISTS cases_transferred_from ON cases (transferred_from) WHERE transferred_from IS NOT NULL;
CREATE INDEX IF NOT EXISTS cases_continues ON cases (continues) WHERE continues IS NOT NULL;
`;

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
CREATE TABLE IF NOT EXISTS roster_copy (
  officer_id TEXT PRIMARY KEY,
  court_code TEXT NOT NULL,
  copied_at TEXT NOT NULL
) WITHOUT ROWID;
`;

export const TRANSFER_WORKFLOW_INDEXES = `
CREATE INDEX IF NOT EXISTS transfers_decided ON transfers (decided_at);
CREATE INDEX IF NOT EXISTS transfer_cases_from ON transfer_cases (from_case);
CREATE INDEX IF NOT EXISTS transfer_cases_to ON transfer_cases (to_case);
`;

/**
 * Adopts a registry written before versioned migrations: its tables exist, perhaps without the columns added since
 * (settlements, the 执恢 a case continues). PostgreSQL databases start at this step, so they need no such adoption.
 */
function adoptRegistry(raw: Database.Database): void {
  raw.exec(CASE_REGISTRY_TABLES);
  addColumnIfMissing(raw, 'cases', 'settled_at', 'TEXT');
  addColumnIfMissing(raw, 'cases', 'continues', 'TEXT');
}

const registryBaseline = sameDdl('case-registry/0001-baseline', CASE_REGISTRY_TABLES, CASE_REGISTRY_INDEXES);

/**
 * The last sequence number given out per court, year and type code (ddl.ts CaseNumberCounterRow): new case numbers are
 * allocated by updating this row in the writing transaction (ADR 23), never from process memory.
 */
export const CASE_NUMBER_COUNTERS_TABLE = `
CREATE TABLE IF NOT EXISTS case_number_counters (
  court_code TEXT NOT NULL,
  year INTEGER NOT NULL,
  type_code TEXT NOT NULL,
  last_sequence INTEGER NOT NULL,
  PRIMARY KEY (court_code, year, type_code)
) WITHOUT ROWID;
`;

/**
 * The index debtorSearch finds a part of a name by (ADR 26). SQLite: an FTS5 trigram table of each person's name key,
 * folded as LIKE folds (ASCII only: lower()) and ended by two U+0001, so that every substring of one or two
 * characters is the start of an indexed trigram too (found through the vocabulary table, `persons_name_terms`); it
 * holds its own copy keyed by the person's id (not by rowid, which VACUUM may renumber) and is kept by triggers.
 * It is built in the `indexes` half, so a bulk load fills it once after the rows are in. PostgreSQL: pg_trgm's GIN
 * index on the name key, which ILIKE uses. The unidentified parties' LIKE stays on their partial index.
 */
export const PERSONS_NAME_SEARCH_SQLITE = `
CREATE VIRTUAL TABLE IF NOT EXISTS persons_name_search USING fts5(k, id UNINDEXED, tokenize='trigram case_sensitive 1');
CREATE VIRTUAL TABLE IF NOT EXISTS persons_name_terms USING fts5vocab(persons_name_search, 'row');
DELETE FROM persons_name_search;
INSERT INTO persons_name_search (k, id) SELECT lower(name_key) || char(1, 1), id FROM persons;
CREATE TRIGGER IF NOT EXISTS persons_name_search_insert AFTER INSERT ON persons BEGIN
  INSERT INTO persons_name_search (k, id) VALUES (lower(new.name_key) || char(1, 1), new.id);
END;
CREATE TRIGGER IF NOT EXISTS persons_name_search_update AFTER UPDATE OF id, name_key ON persons
WHEN old.name_key IS NOT new.name_key OR old.id IS NOT new.id BEGIN
  DELETE FROM persons_name_search WHERE id = old.id;
  INSERT INTO persons_name_search (k, id) VALUES (lower(new.name_key) || char(1, 1), new.id);
END;
CREATE TRIGGER IF NOT EXISTS persons_name_search_delete AFTER DELETE ON persons BEGIN
  DELETE FROM persons_name_search WHERE id = old.id;
END;
`;

export const PERSONS_NAME_SEARCH_POSTGRES = `
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS persons_name_key_trgm ON persons USING gin (name_key gin_trgm_ops);
`;

export const CASE_REGISTRY_MIGRATIONS: readonly Migration[] = [
  { ...registryBaseline, tables: { ...registryBaseline.tables, sqlite: adoptRegistry } },
  sameDdl('case-registry/0002-case-number-counters', CASE_NUMBER_COUNTERS_TABLE),
  {
    name: 'case-registry/0003-persons-name-search',
    tables: { sqlite: '', postgres: '' },
    indexes: { sqlite: PERSONS_NAME_SEARCH_SQLITE, postgres: PERSONS_NAME_SEARCH_POSTGRES },
  },
];

export const TRANSFER_WORKFLOW_MIGRATIONS: readonly Migration[] = [
  sameDdl('transfer-workflow/0001-baseline', TRANSFER_WORKFLOW_TABLES, TRANSFER_WORKFLOW_INDEXES),
];
