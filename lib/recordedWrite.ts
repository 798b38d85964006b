import { createHash } from 'node:crypto';
import type { Viewer } from './auth';
import type { Generated, Insertable } from 'kysely';
import { ErrorCode, ValidationError } from '../domain/errors';
import type { SqliteStatements } from './sqlite';

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
export interface RecordedWriteStore {
  /**
   * Runs one write in a single IMMEDIATE transaction (the write lock is taken first, so concurrent writers queue
   * instead of interleaving) under an idempotency key: the first request's result is stored with the key, and a
   * retry with the same key and the same input returns it and writes nothing more. Every attempt is audited; an
   * attempt that fails or is refused leaves nothing of its own behind but its audit record. `write` runs inside the
   * transaction, on the same connection, synchronously.
   */
  recorded<T>(req: WriteRequest, write: () => T): { result: T; replayed: boolean };
}

/** The bookkeeping in the writing system's own SQLite file, on its connection, through typed Kysely statements. */
export class SqlRecordedWrites implements RecordedWriteStore {
  constructor(private readonly sql: SqliteStatements<WriteRecordsDatabase>) {}

  private audit(row: Omit<Insertable<AuditLogRow>, 'id'>): void {
    this.sql.run(this.sql.db.insertInto('audit_log').values(row));
  }

  recorded<T>(req: WriteRequest, write: () => T): { result: T; replayed: boolean } {
    const input = canonicalJson(req.input);
    const hash = createHash('sha256').update(`${req.operation}\n${req.principal}\n${input}`).digest('hex');
    const attempt = { at: req.at, operation: req.operation, actor: req.actor, idempotency_key: req.idempotencyKey, input };
    const none = { code: null, field: null, rule: null, message: null };
    try {
      checkIdempotencyKey(req.idempotencyKey, req.keyField ?? 'input.idempotencyKey');
      return this.sql.immediate(() => {
        const earlier = this.sql.first(
          this.sql.db.selectFrom('idempotency_keys').select(['operation', 'request_hash', 'result']).where('key', '=', req.idempotencyKey),
        );
        if (earlier) {
          if (earlier.request_hash !== hash) {
            throw new ValidationError(
              req.keyField ?? 'input.idempotencyKey',
              'IDEMPOTENCY_KEY_REUSED',
              `was first used for a different ${earlier.operation} request (other input, or another court); use a new key for a new request`,
              ErrorCode.CONFLICT,
            );
          }
          this.audit({ ...attempt, outcome: 'REPLAYED', ...none, result: earlier.result });
          return { result: JSON.parse(earlier.result) as T, replayed: true };
        }
        const result = write();
        const stored = JSON.stringify(result);
        this.sql.run(
          this.sql.db
            .insertInto('idempotency_keys')
            .values({ key: req.idempotencyKey, operation: req.operation, request_hash: hash, result: stored, created_at: req.at }),
        );
        this.audit({ ...attempt, outcome: 'ACCEPTED', ...none, result: stored });
        return { result, replayed: false };
      });
    } catch (err) {
      // The transaction rolled back; only the audit record of the attempt is written.
      if (err instanceof ValidationError) {
        this.audit({
          ...attempt,
          outcome: 'REFUSED',
          code: err.code,
          field: err.field,
          rule: err.rule,
          message: err.message,
          result: null,
        });
      } else {
        this.audit({
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
