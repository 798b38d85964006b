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
 * The index debtorSearch reads in its answer's order (ADR 26). For each person, one row per distinct "gram" of its name
 * key, folded as LIKE folds (lower()): every two-character substring, and its last character alone, so that every
 * substring of one or two characters is a gram or the start of one. The key is (gram, key length, person id), the
 * order the search answers in after the exact matches: the search reads the rows of the query's first two characters
 * in index order and stops at `first`. The unidentified debtor parties (case_parties with no person) get the same,
 * keyed in their answer's order (gram, name key, case number, position). Derived from persons and case_parties, kept by
 * triggers (so every writer keeps it), and built in the step's `indexes` half: a bulk load fills it once after the rows
 * are in, an existing database when it migrates. Replaces the FTS5 trigram table of the name-search branch, which
 * found the matches fast but could not give them in order (dropped here if a database has it).
 */
export const NAME_GRAM_TABLES = ['person_name_grams', 'party_name_grams'] as const;

/**
 * SQLite: the character positions of `k` (from 0), as the keys of json_each over an array of length(k) zeros (a trigger
 * body may not hold a recursive CTE, and this SQLite has no generate_series); `sqliteGrams`, the distinct grams of `k`.
 */
const sqlitePositions = (k: string) => `json_each('[' || rtrim(replace(hex(zeroblob(length(${k}))), '00', '0,'), ',') || ']')`;
const sqliteGram = (k: string, position: string) => `substr(lower(${k}), ${position} + 1, 2)`;
const sqliteGrams = (k: string) => `(SELECT DISTINCT ${sqliteGram(k, 'key')} AS g FROM ${sqlitePositions(k)})`;
const UNIDENTIFIED_DEBTOR = (r: string) => `${r}.person_id IS NULL AND ${r}.role = 'DEBTOR'`;

export const NAME_GRAMS_SQLITE = `
DROP TRIGGER IF EXISTS persons_name_search_insert;
DROP TRIGGER IF EXISTS persons_name_search_update;
DROP TRIGGER IF EXISTS persons_name_search_delete;
DROP TABLE IF EXISTS persons_name_terms;
DROP TABLE IF EXISTS persons_name_search;
CREATE TABLE IF NOT EXISTS person_name_grams (
  gram TEXT NOT NULL,
  key_length INTEGER NOT NULL,
  person_id TEXT NOT NULL,
  PRIMARY KEY (gram, key_length, person_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS party_name_grams (
  gram TEXT NOT NULL,
  name_key TEXT NOT NULL,
  case_number TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (gram, name_key, case_number, position)
) WITHOUT ROWID;
DELETE FROM person_name_grams;
INSERT INTO person_name_grams (gram, key_length, person_id)
SELECT DISTINCT ${sqliteGram('p.name_key', 'i.key')}, length(p.name_key), p.id FROM persons p, ${sqlitePositions('p.name_key')} i
ORDER BY 1, 2, 3;
DELETE FROM party_name_grams;
INSERT INTO party_name_grams (gram, name_key, case_number, position)
SELECT DISTINCT ${sqliteGram('d.name_key', 'i.key')}, d.name_key, d.case_number, d.position
FROM case_parties d, ${sqlitePositions('d.name_key')} i WHERE ${UNIDENTIFIED_DEBTOR('d')} ORDER BY 1, 2, 3, 4;
CREATE TRIGGER IF NOT EXISTS person_name_grams_insert AFTER INSERT ON persons BEGIN
  INSERT OR IGNORE INTO person_name_grams (gram, key_length, person_id)
  SELECT g, length(new.name_key), new.id FROM ${sqliteGrams('new.name_key')};
END;
CREATE TRIGGER IF NOT EXISTS person_name_grams_update AFTER UPDATE OF id, name_key ON persons
WHEN old.name_key IS NOT new.name_key OR old.id IS NOT new.id BEGIN
  DELETE FROM person_name_grams WHERE person_id = old.id AND key_length = length(old.name_key)
    AND gram IN ${sqliteGrams('old.name_key')};
  INSERT OR IGNORE INTO person_name_grams (gram, key_length, person_id)
  SELECT g, length(new.name_key), new.id FROM ${sqliteGrams('new.name_key')};
END;
CREATE TRIGGER IF NOT EXISTS person_name_grams_delete AFTER DELETE ON persons BEGIN
  DELETE FROM person_name_grams WHERE person_id = old.id AND key_length = length(old.name_key)
    AND gram IN ${sqliteGrams('old.name_key')};
END;
CREATE TRIGGER IF NOT EXISTS party_name_grams_insert AFTER INSERT ON case_parties WHEN ${UNIDENTIFIED_DEBTOR('new')} BEGIN
  INSERT OR IGNORE INTO party_name_grams (gram, name_key, case_number, position)
  SELECT g, new.name_key, new.case_number, new.position FROM ${sqliteGrams('new.name_key')};
END;
CREATE TRIGGER IF NOT EXISTS party_name_grams_update AFTER UPDATE OF case_number, role, position, person_id, name_key ON case_parties
BEGIN
  DELETE FROM party_name_grams WHERE ${UNIDENTIFIED_DEBTOR('old')} AND name_key = old.name_key
    AND case_number = old.case_number AND position = old.position AND gram IN ${sqliteGrams('old.name_key')};
  INSERT OR IGNORE INTO party_name_grams (gram, name_key, case_number, position)
  SELECT g, new.name_key, new.case_number, new.position FROM ${sqliteGrams('new.name_key')} WHERE ${UNIDENTIFIED_DEBTOR('new')};
END;
CREATE TRIGGER IF NOT EXISTS party_name_grams_delete AFTER DELETE ON case_parties WHEN ${UNIDENTIFIED_DEBTOR('old')} BEGIN
  DELETE FROM party_name_grams WHERE name_key = old.name_key AND case_number = old.case_number AND position = old.position
    AND gram IN ${sqliteGrams('old.name_key')};
END;
`;

/**
 * PostgreSQL: the same tables and triggers (PL/pgSQL). The gram is COLLATE "C", so that the one-character search's
 * range `[c, c || U+10FFFF U+10FFFF)` is a prefix in code-point order whatever the database's collation; the ordering
 * columns keep the default collation of the columns they copy, so the order is the one the LIKE scan gave.
 */
export const NAME_GRAMS_POSTGRES = `
DROP INDEX IF EXISTS persons_name_key_trgm;
CREATE TABLE IF NOT EXISTS person_name_grams (
  gram TEXT COLLATE "C" NOT NULL,
  key_length INTEGER NOT NULL,
  person_id TEXT NOT NULL,
  PRIMARY KEY (gram, key_length, person_id)
);
CREATE TABLE IF NOT EXISTS party_name_grams (
  gram TEXT COLLATE "C" NOT NULL,
  name_key TEXT NOT NULL,
  case_number TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (gram, name_key, case_number, position)
);
CREATE OR REPLACE FUNCTION name_grams(k text) RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT DISTINCT substr(lower(k), i, 2) FROM generate_series(1, length(k)) AS i
$$;
DELETE FROM person_name_grams;
INSERT INTO person_name_grams (gram, key_length, person_id)
SELECT g, length(p.name_key), p.id FROM persons p, name_grams(p.name_key) g;
DELETE FROM party_name_grams;
INSERT INTO party_name_grams (gram, name_key, case_number, position)
SELECT g, d.name_key, d.case_number, d.position FROM case_parties d, name_grams(d.name_key) g WHERE ${UNIDENTIFIED_DEBTOR('d')};
CREATE OR REPLACE FUNCTION person_name_grams_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.id = NEW.id AND OLD.name_key = NEW.name_key THEN RETURN NULL; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM person_name_grams WHERE person_id = OLD.id AND key_length = length(OLD.name_key)
      AND gram IN (SELECT name_grams(OLD.name_key));
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO person_name_grams (gram, key_length, person_id)
    SELECT g, length(NEW.name_key), NEW.id FROM name_grams(NEW.name_key) g ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER person_name_grams_sync AFTER INSERT OR DELETE OR UPDATE OF id, name_key ON persons
FOR EACH ROW EXECUTE FUNCTION person_name_grams_sync();
CREATE OR REPLACE FUNCTION party_name_grams_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.person_id IS NULL AND OLD.role = 'DEBTOR' THEN
    DELETE FROM party_name_grams WHERE name_key = OLD.name_key AND case_number = OLD.case_number
      AND position = OLD.position AND gram IN (SELECT name_grams(OLD.name_key));
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.person_id IS NULL AND NEW.role = 'DEBTOR' THEN
    INSERT INTO party_name_grams (gram, name_key, case_number, position)
    SELECT g, NEW.name_key, NEW.case_number, NEW.position FROM name_grams(NEW.name_key) g ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER party_name_grams_sync AFTER INSERT OR DELETE OR UPDATE OF case_number, role, position, person_id, name_key
ON case_parties FOR EACH ROW EXECUTE FUNCTION party_name_grams_sync();
`;

export const CASE_REGISTRY_MIGRATIONS: readonly Migration[] = [
  { ...registryBaseline, tables: { ...registryBaseline.tables, sqlite: adoptRegistry } },
  sameDdl('case-registry/0002-case-number-counters', CASE_NUMBER_COUNTERS_TABLE),
  // No 0003: the number was held for a write step that proved unneeded (ADR 23's addendum), and an unreleased FTS5
  // step used it on a development branch; 0004 drops that step's objects where a database has them.
  {
    name: 'case-registry/0004-name-grams',
    tables: { sqlite: '', postgres: '' },
    indexes: { sqlite: NAME_GRAMS_SQLITE, postgres: NAME_GRAMS_POSTGRES },
    derivedTables: NAME_GRAM_TABLES,
  },
];

export const TRANSFER_WORKFLOW_MIGRATIONS: readonly Migration[] = [
  sameDdl('transfer-workflow/0001-baseline', TRANSFER_WORKFLOW_TABLES, TRANSFER_WORKFLOW_INDEXES),
];
