import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ErrorCode, ValidationError } from '../domain/errors';

/**
 * Tables every writing system gets for the product's mutations: the idempotency record (the first result per
 * key) and the audit log (every attempt, accepted, replayed, refused or failed). Created if missing, so a system's
 * existing database gains them on first open.
 */
export const WRITE_TABLES = `
CREATE TABLE IF NOT EXISTS idempotency_keys (
  key TEXT PRIMARY KEY,
  operation TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  result TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  operation TEXT NOT NULL,
  actor TEXT,
  idempotency_key TEXT,
  input TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('ACCEPTED','REPLAYED','REFUSED','FAILED')),
  code TEXT,
  field TEXT,
  rule TEXT,
  message TEXT,
  result TEXT
);
`;

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
    throw new ValidationError(field, 'IDEMPOTENCY_KEY_FORMAT', 'must be 8 to 128 characters of letters, digits and . _ : - (a UUID will do)');
  }
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Runs one write in a single IMMEDIATE transaction (the write lock is taken first, so concurrent writers queue
 * instead of interleaving) under an idempotency key: the first request's result is stored with the key, and a
 * retry with the same key and the same input returns it and writes nothing more. Every attempt is audited; an
 * attempt that fails or is refused leaves nothing of its own behind but its audit record.
 */
export function recordedWrite<T>(raw: Database.Database, req: WriteRequest, write: () => T): { result: T; replayed: boolean } {
  const input = canonicalJson(req.input);
  const hash = createHash('sha256').update(`${req.operation}\n${req.principal}\n${input}`).digest('hex');
  const audit = raw.prepare(
    'insert into audit_log (at, operation, actor, idempotency_key, input, outcome, code, field, rule, message, result) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  try {
    checkIdempotencyKey(req.idempotencyKey, req.keyField ?? 'input.idempotencyKey');
    return raw
      .transaction(() => {
        const earlier = raw.prepare('select operation, request_hash, result from idempotency_keys where key = ?').get(req.idempotencyKey) as
          | { operation: string; request_hash: string; result: string }
          | undefined;
        if (earlier) {
          if (earlier.request_hash !== hash) {
            throw new ValidationError(req.keyField ?? 'input.idempotencyKey', 'IDEMPOTENCY_KEY_REUSED', `was first used for a different ${earlier.operation} request (other input, or another court); use a new key for a new request`, ErrorCode.CONFLICT);
          }
          audit.run(req.at, req.operation, req.actor, req.idempotencyKey, input, 'REPLAYED', null, null, null, null, earlier.result);
          return { result: JSON.parse(earlier.result) as T, replayed: true };
        }
        const result = write();
        const stored = JSON.stringify(result);
        raw.prepare('insert into idempotency_keys values (?, ?, ?, ?, ?)').run(req.idempotencyKey, req.operation, hash, stored, req.at);
        audit.run(req.at, req.operation, req.actor, req.idempotencyKey, input, 'ACCEPTED', null, null, null, null, stored);
        return { result, replayed: false };
      })
      .immediate();
  } catch (err) {
    // The transaction rolled back; only the audit record of the attempt is written.
    if (err instanceof ValidationError) {
      audit.run(req.at, req.operation, req.actor, req.idempotencyKey, input, 'REFUSED', err.code, err.field, err.rule, err.message, null);
    } else {
      audit.run(req.at, req.operation, req.actor, req.idempotencyKey, input, 'FAILED', 'INTERNAL_SERVER_ERROR', null, null, String((err as Error)?.message ?? err), null);
    }
    throw err;
  }
}
