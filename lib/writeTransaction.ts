import { sql, type Kysely } from 'kysely';
import { dialectOf, type Dialect } from './database';
import { DEFAULT_BUSY_TIMEOUT_MS } from './sqlite';

/**
 * One write = one transaction on one connection, and the one place where the dialects differ in how it starts
 * (ADR 23):
 *
 * - SQLite: `BEGIN IMMEDIATE` on Kysely's single connection (`db.connection()`). The write lock is taken before anything
 *   is read, so concurrent writers — in this process or another on the same file — queue on it (busy time-out), and the
 *   checks run on exactly the state that is written. Kysely's SqliteDriver hands its one connection to one caller at a
 *   time (a mutex), so a read through the same Kysely instance waits for the write to commit or roll back: nothing in
 *   this process ever reads a write's uncommitted state.
 * - PostgreSQL: a SERIALIZABLE transaction on one pooled connection, re-run from the start on a serialization failure,
 *   a deadlock, or a unique violation (the database's constraints — idempotency key, case number counter, primary
 *   keys — are what catch two concurrent writers, and a re-run then sees the other's committed row), at most
 *   `PG_WRITE_ATTEMPTS` times. `lock_timeout` bounds each wait for a lock as the busy time-out does on SQLite.
 *
 * The write function may therefore run more than once on PostgreSQL: it must keep no state across runs outside the
 * transaction (everything it computes is recomputed from what it reads).
 */

/** How many times a PostgreSQL write is run before a conflict is given up on (and refused as busy). */
export const PG_WRITE_ATTEMPTS = 8;

/** SQLSTATEs after which a PostgreSQL write is run again: serialization_failure, deadlock_detected, unique_violation. */
const PG_RETRYABLE = new Set(['40001', '40P01', '23505']);

function sqlState(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/** How a failed statement's store failed, on either dialect (lib/sqlite.ts, lib/database.ts postgresStoreFailureOf). */
export { storeFailureOf } from './sqlite';

export interface WriteTransactionOptions {
  /** How long the write waits for a lock before it fails as busy (ms); the store's setting when not given. */
  lockWaitMs?: number;
}

/** Runs writes on one Kysely instance: the one the system's reads use too (see above for why that matters on SQLite). */
export class WriteTransactions<DB> {
  readonly dialect: Dialect;

  constructor(
    readonly db: Kysely<DB>,
    /** The store's lock wait (STORE_BUSY_TIMEOUT_MS): SQLite's busy_timeout on the connection, PostgreSQL's lock_timeout per write. */
    readonly lockWaitMs: number = DEFAULT_BUSY_TIMEOUT_MS,
  ) {
    this.dialect = dialectOf(db);
  }

  /** Runs `write` as one transaction: committed when it resolves, rolled back (and nothing written) when it throws. */
  run<T>(write: (tx: Kysely<DB>) => Promise<T>, opts: WriteTransactionOptions = {}): Promise<T> {
    return this.dialect === 'sqlite' ? this.sqlite(write, opts) : this.postgres(write, opts);
  }

  private sqlite<T>(write: (tx: Kysely<DB>) => Promise<T>, opts: WriteTransactionOptions): Promise<T> {
    return this.db.connection().execute(async (conn) => {
      const wait = opts.lockWaitMs;
      if (wait !== undefined) await sql.raw(`pragma busy_timeout = ${Math.max(0, Math.floor(wait))}`).execute(conn);
      try {
        await sql`begin immediate`.execute(conn);
        try {
          const result = await write(conn);
          await sql`commit`.execute(conn);
          return result;
        } catch (err) {
          // SQLite has rolled back already after some failures (a full disk, say); then there is nothing to roll back.
          await sql`rollback`.execute(conn).catch(() => undefined);
          throw err;
        }
      } finally {
        if (wait !== undefined) await sql.raw(`pragma busy_timeout = ${this.lockWaitMs}`).execute(conn);
      }
    });
  }

  private async postgres<T>(write: (tx: Kysely<DB>) => Promise<T>, opts: WriteTransactionOptions): Promise<T> {
    // lock_timeout 0 would mean no limit: the shortest wait PostgreSQL knows is 1 ms.
    const wait = Math.max(1, Math.floor(opts.lockWaitMs ?? this.lockWaitMs));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db
          .transaction()
          .setIsolationLevel('serializable')
          .execute(async (tx) => {
            await sql.raw(`set local lock_timeout = ${wait}`).execute(tx);
            return write(tx);
          });
      } catch (err) {
        const state = sqlState(err);
        if (state === null || !PG_RETRYABLE.has(state) || attempt >= PG_WRITE_ATTEMPTS) throw err;
        // A short, growing, jittered pause, so the writers that collided do not collide again in step.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** attempt));
      }
    }
  }
}
