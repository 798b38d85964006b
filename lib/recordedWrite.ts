import { createHash } from 'node:crypto';
import type { Viewer } from './auth';
import type { Generated, Insertable, Kysely } from 'kysely';
import { ErrorCode, ValidationError, refuse } from '../domain/errors';
import { log } from './log';
import { storeFailureOf, type WriteTransactions } from './writeTransaction';

export interface WriteRequest {
  operation: string;
  idempotencyKey: string;
  /** The input as the client sent it; its hash tells a retry from a different request under the same key. */
  input: unknown;
  /** Who asked, as far as this system can tell. */
  actor: string | null;
  /**
   * The court the request acts for. The key is bound to it (it is part of the request's hash), so a replay returns
   * the first result only to the court whose authority was checked when it was written, never to another court
   * that happens to send the same key and input.
   */
  principal: string;
  /** Timestamp for the audit record (ISO 8601). */
  at: string;
  /** Where the key sits in the request, for refusals; every mutation here takes it in its input. */
  keyField?: string;
}

const KEY_FORMAT = /^[A-Za-z0-9._:-]{8,128}$/;

export function checkIdempotencyKey(key: string, field = 'idempotencyKey'): void {
  if (!KEY_FORMAT.test(key)) {
    throw new ValidationError(
      field,
      'IDEMPOTENCY_KEY_FORMAT',
      'must be 8 to 128 characters of letters, digits and . _ : - (a UUID will do)',
    );
  }
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export interface IdempotencyKeyRow {
  key: string;
  operation: string;
  request_hash: string;
  /** The first request's result in JSON. */
  result: string;
  created_at: string;
}

export type AuditOutcome = 'ACCEPTED' | 'REPLAYED' | 'REFUSED' | 'FAILED';

export interface AuditLogRow {
  id: Generated<number>;
  at: string;
  operation: string;
  actor: string | null;
  idempotency_key: string | null;
  input: string;
  outcome: AuditOutcome;
  code: string | null;
  field: string | null;
  rule: string | null;
  message: string | null;
  result: string | null;
}

/** The write bookkeeping's tables, beside a writing system's own (`WRITE_TABLES`). */
export type WriteRecordsDatabase = {
  idempotency_keys: IdempotencyKeyRow;
  audit_log: AuditLogRow;
};

/**
 * The product's bookkeeping around a system's write: the idempotency record and the audit log. Both writing systems
 * (the transfer workflow and property-control) run their writes through it; it is the product's, not the systems'.
 */
export interface RecordedWriteStore<DB extends WriteRecordsDatabase = WriteRecordsDatabase> {
  /**
   * Runs one write in a single transaction (lib/writeTransaction: on SQLite IMMEDIATE, the write lock taken first, so
   * concurrent writers queue instead of interleaving; on PostgreSQL SERIALIZABLE, re-run on a conflict) under an
   * idempotency key: the first request's result is stored with the key, and a retry with the same key and the same
   * input returns it and writes nothing more. The key is the table's primary key, so two concurrent identical requests
   * cannot both commit: the second waits for the lock (SQLite) or meets the first's key and is re-run (PostgreSQL), and
   * replays. Every attempt is audited; an attempt that fails or is refused leaves nothing of its own behind but its
   * audit record. `write` runs inside the transaction, on its connection (`tx`), and must read and write only through it.
   */
  recorded<T>(req: WriteRequest, write: (tx: Kysely<DB>) => Promise<T>): Promise<{ result: T; replayed: boolean }>;
  /** Writes the audit records still waiting for the lock (see SqlRecordedWrites), logging any it cannot. */
  close(): Promise<void>;
}

type AuditRecord = Omit<Insertable<AuditLogRow>, 'id'>;

/** How long a refusal's audit record keeps being retried while the database stays locked or unwritable. */
export const AUDIT_RETRY_LIMIT_MS = 60_000;

/**
 * The bookkeeping in the writing system's own database, in the write's transaction, through typed Kysely statements.
 *
 * A refusal's audit record is written after the transaction rolled back, outside it. When the refusal is the store's
 * own — another writer held the lock past the busy time-out (SOURCE_BUSY), or the file cannot be written
 * (SOURCE_NOT_WRITABLE) — writing the record at once would meet the same lock or the same read-only file, so it waits in
 * memory and is written as soon as the lock is free: first thing before the next write, and by a retry every few
 * hundred milliseconds that does not wait on the lock (busy time-out 0, so it never blocks the process), for at most
 * AUDIT_RETRY_LIMIT_MS. A record that still cannot be written is logged in full at error level, so the attempt is never
 * lost: the log is the audit of last resort. Every store refusal is logged when it happens, too.
 */
export class SqlRecordedWrites<DB extends WriteRecordsDatabase = WriteRecordsDatabase> implements RecordedWriteStore<DB> {
  private pending: AuditRecord[] = [];
  private retry: NodeJS.Timeout | null = null;
  private pendingSince = 0;
  /** The flush running now, if one is: the timer's and a write's never run at once (nor write a record twice). */
  private flushing: Promise<boolean> | null = null;

  constructor(
    private readonly writes: WriteTransactions<DB>,
    /** The system's name, for refusals and logs. */
    private readonly system = 'store',
  ) {}

  /** The bookkeeping's own tables on a transaction (or the store) of the system's database. */
  private static books<D>(db: Kysely<D>): Kysely<WriteRecordsDatabase> {
    return db as unknown as Kysely<WriteRecordsDatabase>;
  }

  private async insertAudit(db: Kysely<DB>, row: AuditRecord): Promise<void> {
    await SqlRecordedWrites.books(db).insertInto('audit_log').values(row).execute();
  }

  /** Writes a refusal's record now (a statement of its own, after the write rolled back), or keeps it for the retry. */
  private async audit(row: AuditRecord): Promise<void> {
    try {
      await this.insertAudit(this.writes.db, row);
    } catch (err) {
      if (!storeFailureOf(err)) throw err;
      this.keepForRetry(row);
    }
  }

  private keepForRetry(row: AuditRecord): void {
    if (this.pending.length === 0) this.pendingSince = Date.now();
    this.pending.push(row);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retry) return;
    this.retry = setTimeout(() => {
      void (async () => {
        let flushed = false;
        try {
          flushed = await this.flushPending(0);
        } catch (err) {
          log.error({ system: this.system, err: String(err) }, 'audit records of refused writes: retry failed');
        }
        this.retry = null;
        if (flushed) return;
        if (Date.now() - this.pendingSince >= AUDIT_RETRY_LIMIT_MS) this.giveUpPending();
        else this.scheduleRetry();
      })();
    }, 250);
    // The records are in the log already if the process stops first (close() tries once more).
    this.retry.unref();
  }

  /**
   * Writes the waiting records in one transaction, waiting at most `waitMs` for the lock (0: not at all, so the retry
   * never holds the process's one SQLite connection while another process has the lock); whether none is left.
   */
  private async flushPending(waitMs: number): Promise<boolean> {
    while (this.flushing) await this.flushing;
    if (this.pending.length === 0) return true;
    const flush = (async () => {
      const rows = this.pending.slice();
      try {
        await this.writes.run(
          async (tx) => {
            for (const row of rows) await this.insertAudit(tx, row);
          },
          { lockWaitMs: waitMs },
        );
      } catch (err) {
        if (!storeFailureOf(err)) throw err;
        return false;
      }
      // Records refused while this flush ran stay waiting.
      this.pending = this.pending.slice(rows.length);
      log.info({ system: this.system, records: rows.length }, 'audit records of refused writes written');
      return this.pending.length === 0;
    })();
    this.flushing = flush;
    try {
      return await flush;
    } finally {
      this.flushing = null;
    }
  }

  private giveUpPending(): void {
    for (const row of this.pending)
      log.error({ system: this.system, audit: row }, 'audit record not written: the database stayed unwritable');
    this.pending = [];
  }

  async close(): Promise<void> {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    try {
      if (await this.flushPending(Math.min(this.busyTimeoutMs(), 1000))) return;
    } catch (err) {
      log.error({ system: this.system, err: String(err) }, 'audit records not written at close');
    }
    this.giveUpPending();
  }

  private busyTimeoutMs(): number {
    return this.writes.lockWaitMs;
  }

  async recorded<T>(req: WriteRequest, write: (tx: Kysely<DB>) => Promise<T>): Promise<{ result: T; replayed: boolean }> {
    const input = canonicalJson(req.input);
    const hash = createHash('sha256').update(`${req.operation}\n${req.principal}\n${input}`).digest('hex');
    const attempt = { at: req.at, operation: req.operation, actor: req.actor, idempotency_key: req.idempotencyKey, input };
    const none = { code: null, field: null, rule: null, message: null };
    try {
      checkIdempotencyKey(req.idempotencyKey, req.keyField ?? 'input.idempotencyKey');
      // Earlier refusals' records first, when the lock is free now: they keep their order in the log.
      await this.flushPending(0);
      return await this.writes.run(async (tx) => {
        const books = SqlRecordedWrites.books(tx);
        const earlier = await books
          .selectFrom('idempotency_keys')
          .select(['operation', 'request_hash', 'result'])
          .where('key', '=', req.idempotencyKey)
          .executeTakeFirst();
        if (earlier) {
          if (earlier.request_hash !== hash) {
            throw new ValidationError(
              req.keyField ?? 'input.idempotencyKey',
              'IDEMPOTENCY_KEY_REUSED',
              `was first used for a different ${earlier.operation} request (other input, or another court); use a new key for a new request`,
              ErrorCode.CONFLICT,
            );
          }
          await this.insertAudit(tx, { ...attempt, outcome: 'REPLAYED', ...none, result: earlier.result });
          return { result: JSON.parse(earlier.result) as T, replayed: true };
        }
        const result = await write(tx);
        const stored = JSON.stringify(result);
        // The primary key is the guarantee: a concurrent identical request that got here too cannot commit its key.
        await books
          .insertInto('idempotency_keys')
          .values({ key: req.idempotencyKey, operation: req.operation, request_hash: hash, result: stored, created_at: req.at })
          .execute();
        await this.insertAudit(tx, { ...attempt, outcome: 'ACCEPTED', ...none, result: stored });
        return { result, replayed: false };
      });
    } catch (err) {
      // The transaction rolled back; only the audit record of the attempt is written.
      const failure = storeFailureOf(err);
      if (failure) {
        // The store refused, not the request: a catalogued refusal for the client, the database's detail for the log.
        const refusal =
          failure === 'busy'
            ? refuse.DATABASE_BUSY(
                'input',
                `the ${this.system} database is busy: another writer held its lock longer than ${this.busyTimeoutMs()} ms; nothing was written, and a retry with the same idempotencyKey is safe`,
              )
            : refuse.DATABASE_NOT_WRITABLE(
                'input',
                `the ${this.system} database cannot be written (read-only or failing storage); nothing was written, and a retry with the same idempotencyKey is safe once it can`,
              );
        const row: AuditRecord = {
          ...attempt,
          outcome: 'REFUSED',
          code: refusal.code,
          field: null,
          rule: refusal.rule ?? null,
          message: refusal.message,
          result: null,
        };
        log.warn(
          {
            system: this.system,
            operation: req.operation,
            idempotencyKey: req.idempotencyKey,
            sqlite: (err as { code?: string }).code,
            rule: refusal.rule,
          },
          failure === 'busy' ? 'write refused: the database stayed locked' : 'write refused: the database cannot be written',
        );
        // The lock was taken for the whole wait, or the file refuses writes: the record waits for the retry.
        this.keepForRetry(row);
        throw refusal;
      }
      if (err instanceof ValidationError) {
        await this.audit({
          ...attempt,
          outcome: 'REFUSED',
          code: err.code,
          field: err.field,
          rule: err.rule,
          message: err.message,
          result: null,
        });
      } else {
        await this.audit({
          ...attempt,
          outcome: 'FAILED',
          code: 'INTERNAL_SERVER_ERROR',
          field: null,
          rule: null,
          message: String((err as Error)?.message ?? err),
          result: null,
        });
      }
      throw err;
    }
  }
}

/** Who asks and when, for a write: the same for every system's workflow. */
export interface WriteContext {
  idempotencyKey: string;
  /** The verified viewer the write acts for; its court is the authority checked. */
  viewer: Viewer;
  /** `sub@court`, for the audit log. */
  actor: string;
  /** The day the write is judged on (ISO date). */
  today: string;
  /** Audit timestamp (ISO 8601). */
  now: string;
}

/** A mutation's write context, from the request's viewer and day and the key the client sent. */
export function writeContextFor(request: { viewer: Viewer; today: string }, idempotencyKey: string): WriteContext {
  const { viewer, today } = request;
  return { idempotencyKey, viewer, actor: `${viewer.sub}@${viewer.court}`, today, now: new Date().toISOString() };
}
