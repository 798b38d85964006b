import type { Kysely } from 'kysely';
import { ErrorCode, ValidationError } from '../../../domain/errors';
import { openPostgres, type PostgresSettings } from '../../../lib/database';
import { openSqlite } from '../../../lib/sqlite';
import { WriteTransactions } from '../../../lib/writeTransaction';
import type { EmbeddedWorkflowDatabase } from './workflowDdl';
import { migrateTransferWorkflow } from './workflowSqlite';

/**
 * The registry's copy of the personnel roster (ADR 14): which court each officer serves. The personnel subgraph owns
 * the roster and the registry may not call it, so the roster job (jobs/roster) reads it through the gateway and
 * replaces this copy in one transaction; the transfer workflow checks supervisors and note authors against it.
 */
export interface RosterCopyStore {
  /** Replaces the whole copy with the roster as read now, unless it is the same; true when it wrote. */
  replace(officers: readonly { id: string; courtCode: string }[], copiedAt: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Rows per INSERT when the copy is replaced (3 columns each: far below either dialect's parameter limit). */
const ROWS_PER_INSERT = 500;

export function openRosterCopy(file: string, postgres?: PostgresSettings): RosterCopyStore {
  // On PostgreSQL the registry's database (migrated when the registry starts), else its SQLite file.
  const { db } = postgres
    ? openPostgres<EmbeddedWorkflowDatabase>(postgres)
    : openSqlite<EmbeddedWorkflowDatabase>(file, { migrate: migrateTransferWorkflow });
  const writes = new WriteTransactions(db);
  return {
    async replace(officers, copiedAt) {
      // Unchanged, nothing is written: every graph start refreshes the copy, and a read-only start must stay so.
      const known = await db.selectFrom('roster_copy').select(['officer_id', 'court_code']).execute();
      const byId = new Map(known.map((r) => [r.officer_id, r.court_code]));
      if (known.length > 0 && known.length === officers.length && officers.every((o) => byId.get(o.id) === o.courtCode)) return false;
      await writes.run(async (tx) => {
        await tx.deleteFrom('roster_copy').execute();
        for (let i = 0; i < officers.length; i += ROWS_PER_INSERT) {
          const rows = officers
            .slice(i, i + ROWS_PER_INSERT)
            .map((o) => ({ officer_id: o.id, court_code: o.courtCode, copied_at: copiedAt }));
          await tx.insertInto('roster_copy').values(rows).execute();
        }
      });
      return true;
    },
    close: () => db.destroy(),
  };
}

/**
 * Refuses an officer who is not on `court`'s roster as last copied (OFFICER_NOT_ON_ROSTER), and any officer while no
 * copy has been taken (ROSTER_NOT_COPIED): the check is never skipped. Runs inside the write's transaction.
 */
export async function checkOnRoster(tx: Kysely<EmbeddedWorkflowDatabase>, officerId: string, court: string, field: string): Promise<void> {
  const row = await tx.selectFrom('roster_copy').select(['court_code', 'copied_at']).where('officer_id', '=', officerId).executeTakeFirst();
  const copy = row ?? (await tx.selectFrom('roster_copy').select(['copied_at']).limit(1).executeTakeFirst());
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
