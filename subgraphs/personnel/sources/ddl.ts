import type { Post } from '../../../domain/posts';

/** The personnel roster's row (人员名册), written through tables.ts; the SQLite DDL is the adapter's (sqlite.ts). */
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
