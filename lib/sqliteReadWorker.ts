import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { CompiledQuery } from 'kysely';
import { log } from './log';
import { rowBuilder } from './sqlite';

/**
 * The worker's code: one read-only connection to the file, each statement prepared once and answered as raw arrays
 * with its column names (the main thread builds the rows as rowsByShape does), or as the error's message and SQLite
 * code. Evaluated rather than loaded from a file, so the same code runs under tsx, vitest and the compiled bundle;
 * better-sqlite3 is required by the path the main thread resolved.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
const statements = new Map();
parentPort.on('message', ({ id, sql, parameters }) => {
  try {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      // A write sent here is the caller's defect, not a store failure: no SQLite code.
      if (!stmt.readonly) throw new Error('the read worker runs read-only statements only');
      stmt.raw(true);
      statements.set(sql, stmt);
    }
    const rows = stmt.all(...parameters);
    parentPort.postMessage({ id, columns: stmt.columns().map((c) => c.name), rows });
  } catch (err) {
    parentPort.postMessage({ id, error: { message: String(err && err.message), code: err && err.code } });
  }
});
`;

interface Answer {
  id: number;
  columns?: string[];
  rows?: unknown[][];
  error?: { message: string; code?: string };
}

/**
 * A second, read-only connection to a system's SQLite file on a worker thread, for a read whose answer is small but
 * whose statement is long (an aggregate over thousands of rows): it runs on the other core beside the statement the
 * main thread is running for the same request, where SQLite on one connection would run the two one after the other
 * (issue 18, ADR 31). It sees what is committed when the statement starts, as any other connection in WAL mode does.
 * The rows are those the main connection gives (rowBuilder); a failed statement rejects with an Error carrying
 * SQLite's code, so store failures read the same (storeFailureOf). If the worker cannot run (it failed to start or
 * died), its statements go to the caller's own connection (`all`'s fallback).
 */
export class SqliteReadWorker {
  private readonly worker: Worker;
  private readonly onQuery: ((sqlText: string, parameters: readonly unknown[]) => void) | undefined;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private down = false;
  private closing = false;

  constructor(file: string, opts: { busyTimeoutMs: number; onQuery?: (sqlText: string, parameters: readonly unknown[]) => void }) {
    this.onQuery = opts.onQuery;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, busyTimeoutMs: opts.busyTimeoutMs, betterSqlite3: createRequire(import.meta.url).resolve('better-sqlite3') },
    });
    // A worker never keeps the process alive: closing the store terminates it, and a process that exits takes it along.
    this.worker.unref();
    this.worker.on('message', (answer: Answer) => this.answer(answer));
    this.worker.on('error', (err) => this.stop(err));
    this.worker.on('exit', () => this.stop(new Error('the read worker exited')));
  }

  /** Whether statements still go to the worker. */
  get running(): boolean {
    return !this.down;
  }

  /**
   * The statement's rows from the worker's connection, or from `fallback` (the same statement on the caller's own
   * connection) once the worker is down, including for a statement it was running when it stopped.
   */
  all<R>(query: CompiledQuery<R>, fallback: () => Promise<R[]>): Promise<R[]> {
    if (this.down) return fallback();
    this.onQuery?.(query.sql, query.parameters);
    const id = this.next++;
    return new Promise<R[]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as Pending['resolve'], reject, fallback });
      this.worker.postMessage({ id, sql: query.sql, parameters: query.parameters });
    });
  }

  private answer({ id, columns, rows, error }: Answer): void {
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    if (error) waiting.reject(Object.assign(new Error(error.message), { code: error.code }));
    else {
      const build = rowBuilder(columns!);
      waiting.resolve(rows!.map((row) => build(asBuffers(row))));
    }
  }

  private stop(err: Error): void {
    if (this.down) return;
    this.down = true;
    if (this.closing) {
      for (const waiting of this.pending.values()) waiting.reject(new Error('the store was closed'));
    } else {
      log.error({ err: err.message }, 'SQLite read worker stopped; its statements run on the main connection');
      for (const waiting of this.pending.values()) waiting.fallback().then(waiting.resolve, waiting.reject);
    }
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
    this.stop(new Error('the store was closed'));
  }
}

/** A blob comes back from the worker as a plain Uint8Array (structured clone); the main connection gives a Buffer. */
function asBuffers(row: unknown[]): unknown[] {
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (v instanceof Uint8Array && !Buffer.isBuffer(v)) row[i] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  }
  return row;
}

interface Pending {
  resolve: (rows: unknown[]) => void;
  reject: (err: Error) => void;
  fallback: () => Promise<unknown[]>;
}
