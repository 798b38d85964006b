import { ErrorCode, ValidationError } from '../../../domain/errors';
import { openSqlite, SqliteStatements } from '../../../lib/sqlite';
import { transferWorkflowWriters } from './tables';
import type { EmbeddedWorkflowDatabase } from './workflowDdl';
import { migrateTransferWorkflow } from './workflowSqlite';

/**
 * The registry's copy of the personnel roster (ADR 14): which court each officer serves. The personnel subgraph owns
 * the roster and the registry may not call it, so the roster job (jobs/roster) reads it through the gateway and
 * replaces this copy in one transaction; the transfer workflow checks supervisors and note authors against it.
 */
export interface RosterCopyStore {
  /** Replaces the whole copy with the roster as read now, unless it is the same; true when it wrote. */
  replace(officers: readonly { id: string; courtCode: string }[], copiedAt: string): boolean;
  close(): void;
}

export function openRosterCopy(file: string): RosterCopyStore {
  const { raw } = openSqlite<EmbeddedWorkflowDatabase>(file, { migrate: migrateTransferWorkflow });
  const sql = new SqliteStatements<EmbeddedWorkflowDatabase>(raw);
  const writers = transferWorkflowWriters(sql);
  return {
    replace(officers, copiedAt) {
      // Unchanged, nothing is written: every graph start refreshes the copy, and a read-only start must stay so.
      const known = sql.all(sql.db.selectFrom('roster_copy').select(['officer_id', 'court_code']));
      const byId = new Map(known.map((r) => [r.officer_id, r.court_code]));
      if (known.length > 0 && known.length === officers.length && officers.every((o) => byId.get(o.id) === o.courtCode)) return false;
      sql.immediate(() => {
        sql.run(sql.db.deleteFrom('roster_copy'));
        for (const o of officers) writers.rosterOfficer({ officer_id: o.id, court_code: o.courtCode, copied_at: copiedAt });
      });
      return true;
    },
    close: () => raw.close(),
  };
}

/**
 * Refuses an officer who is not on `court`'s roster as last copied (OFFICER_NOT_ON_ROSTER), and any officer while no
 * copy has been taken (ROSTER_NOT_COPIED): the check is never skipped. Runs inside the write's transaction.
 */
export function checkOnRoster(sql: SqliteStatements<EmbeddedWorkflowDatabase>, officerId: string, court: string, field: string): void {
  const row = sql.first(sql.db.selectFrom('roster_copy').select(['court_code', 'copied_at']).where('officer_id', '=', officerId));
  const copy = row ?? sql.first(sql.db.selectFrom('roster_copy').select(['copied_at']).limit(1));
  if (!copy) {
    throw new ValidationError(
      field,
      'ROSTER_NOT_COPIED',
      'the registry has no copy of the personnel roster yet to check the officer against; run the roster job (npm run assess copies it) and retry',
      ErrorCode.CONFLICT,
    );
  }
  if (row?.court_code !== court) {
    throw new ValidationError(
      field,
      'OFFICER_NOT_ON_ROSTER',
      `${officerId} is not an officer of ${court} on the personnel roster (as the registry last copied it, ${copy.copied_at})`,
    );
  }
}
