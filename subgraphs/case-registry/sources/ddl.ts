import type { CaseCategory, CaseTypeCode } from '../../../domain/caseNumber';
import type { CourtLevel } from '../../../domain/courtCode';

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
`;

export const CASE_REGISTRY_INDEXES = `
CREATE INDEX IF NOT EXISTS case_parties_person ON case_parties (person_id, role, case_number);
CREATE INDEX IF NOT EXISTS case_parties_unidentified ON case_parties (name_key) WHERE person_id IS NULL;
CREATE INDEX IF NOT EXISTS persons_name_key ON persons (name_key);
CREATE INDEX IF NOT EXISTS cases_executing_status ON cases (executing_court, status);
CREATE INDEX IF NOT EXISTS cases_handler ON cases (handler_id, status);
CREATE INDEX IF NOT EXISTS cases_lineage ON cases (lineage_root);
CREATE INDEX IF NOT EXISTS cases_transferred_from ON cases (transferred_from) WHERE transferred_from IS NOT NULL;
`;

/** How a case was closed (结案方式); `TERMINATED` is also how a sending court closes a transferred case. */
export type Closure = 'FULLY_EXECUTED' | 'TERMINATED_THIS_ROUND' | 'TERMINATED' | 'NOT_ENFORCED' | 'WITHDRAWN' | 'REJECTED';

export interface CourtRow {
  code: string;
  name: string;
  level: CourtLevel;
  prefecture: string | null;
  parent: string | null;
  division_code: string;
  special: number;
}

export interface PersonRow {
  id: string;
  kind: 'LEGAL_PERSON' | 'NATURAL_PERSON';
  name: string;
  name_key: string;
  division_code: string | null;
  out_of_province: number;
}

export interface CaseRow {
  number: string;
  year: number;
  court_code: string;
  type_code: CaseTypeCode;
  sequence: number;
  executing_court: string;
  status: 'FILED' | 'EXECUTING' | 'CLOSED';
  filed_at: string;
  closed_at: string | null;
  closure: Closure | null;
  obligation: 'MONEY' | 'CONDUCT';
  category: CaseCategory;
  conduct_ordered: string | null;
  amount_due: number | null;
  amount_recovered: number;
  handler_id: string | null;
  lineage_root: string;
  transferred_from: string | null;
  last_action_at: string | null;
  /** 执行和解: the day the parties' settlement agreement was recorded; null when none was. */
  settled_at: string | null;
}

export interface CasePartyRow {
  case_number: string;
  role: 'DEBTOR' | 'APPLICANT';
  position: number;
  person_id: string | null;
  name: string;
  name_key: string;
  kind: 'LEGAL_PERSON' | 'NATURAL_PERSON';
  division_code: string | null;
}


export interface CaseRegistryDatabase {
  courts: CourtRow;
  persons: PersonRow;
  cases: CaseRow;
  case_parties: CasePartyRow;
}

/** The workflow's row types, re-exported where the codegen mappers and resolvers have always found them. */
export type { SupervisionEventRow, TransferRow } from './workflowDdl';
