import { sameDdl, type Migration } from '../../../lib/migrations';

/* The personnel roster's schema, step by step, in both dialects (lib/migrations.ts). A new step is appended. */

/** The personnel roster's table (人员名册). */
export const PERSONNEL_TABLES = `
CREATE TABLE IF NOT EXISTS officers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  court_code TEXT NOT NULL,
  post TEXT NOT NULL,
  enforcement INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1
);
`;

export const PERSONNEL_INDEXES = `
CREATE INDEX IF NOT EXISTS officers_court ON officers (court_code, post);
`;

export const PERSONNEL_MIGRATIONS: readonly Migration[] = [sameDdl('personnel/0001-baseline', PERSONNEL_TABLES, PERSONNEL_INDEXES)];
