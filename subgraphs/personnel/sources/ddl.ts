import type { Post } from '../../../domain/posts';

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

export interface OfficerRow {
  id: string;
  name: string;
  court_code: string;
  post: Post;
  enforcement: number;
  active: number;
}

export type PersonnelDatabase = {
  officers: OfficerRow;
};
