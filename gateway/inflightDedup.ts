import type { Viewer } from '../lib/auth';
import { scopeOf } from '../domain/scope';

/*
 * Identical subgraph fetches in flight at the same time, for the same viewer scope, sent once (issue 18). Under load
 * the same operation arrives from many clients at once (a dashboard's page opened across a court); each plan fetches
 * the same documents with the same variables, and each subgraph would answer every copy. The first such fetch goes;
 * those that arrive while it is in flight wait for its answer and get their own copy of it. Nothing is cached: once the
 * answer is there the entry is gone, and the next identical fetch goes again.
 *
 * Never across scopes, and never where a subgraph's answer or limits could depend on who asks:
 * - the key holds the scope the subgraph's token carries (court and role: domain/scope.ts decides from them what a
 *   viewer sees) and, for every viewer whose scope is not the whole province, the viewer itself (`sub`), because the
 *   registry counts a court viewer's identifier look-ups per viewer (IDENTIFIER_LOOKUP_RATE): two clerks of one court
 *   never share a fetch, so each is counted as before. A high-court viewer sees the whole province and has no
 *   per-viewer limit in a subgraph, so high-court viewers share the fetches of one identical document and variables;
 * - mutations never (each write is its own, with its own idempotency key and audit line);
 * - the gateway's own per-viewer budgets are spent before planning (gateway/viewerBudget.ts), for every request alike.
 */

/** The part of a viewer a subgraph read may depend on: the scope, and the viewer too unless it sees the whole province. */
export function scopeKey(viewer: Viewer): string {
  return scopeOf(viewer).all ? `${viewer.role}\u0000${viewer.court}` : `${viewer.role}\u0000${viewer.court}\u0000${viewer.sub}`;
}

/** A fetch's identity: the subgraph, the scope key, and the exact operation text, its name and its variables. */
export function fetchKey(
  subgraph: string,
  viewer: Viewer,
  request: { query?: string; operationName?: string | null; variables?: unknown },
) {
  return `${subgraph}\u0000${scopeKey(viewer)}\u0000${request.operationName ?? ''}\u0000${request.query ?? ''}\u0000${JSON.stringify(request.variables ?? null)}`;
}

/**
 * A client operation's identity, for sharing its whole execution: the scope key, and the exact operation text (its
 * hash), the operation's name and its variables. Two requests with equal keys run the same plan and send every
 * subgraph the same fetches under the same scope, so one execution stands for all of them.
 */
export function operationKey(viewer: Viewer, request: { queryHash: string; operationName?: string | null; variables?: unknown }) {
  return `${scopeKey(viewer)}\u0000${request.operationName ?? ''}\u0000${request.queryHash}\u0000${JSON.stringify(request.variables ?? null)}`;
}

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
}

/**
 * In-flight fetches by key. `run` sends the fetch unless an identical one is in flight, in which case it waits for that
 * one's answer. Each waiter gets `copy(answer)`, made the moment the answer arrives and before the first fetch's caller
 * goes on, so no two requests ever hold the same object the gateway writes into (it merges later fetches into a
 * subgraph's answer); a failure is handed to every waiter as it is. Without `copy` every waiter gets the one answer
 * itself: for answers nothing writes into (a whole operation's result, which Apollo Server only reads and serialises).
 */
export class InflightFetches<T> {
  private readonly inFlight = new Map<string, Waiter<T>[]>();
  /** Fetches sent, and fetches that waited for an identical one instead. */
  readonly counts = { sent: 0, shared: 0 };

  constructor(private readonly copy: (value: T) => T = (value) => value) {}

  size(): number {
    return this.inFlight.size;
  }

  async run(key: string, send: () => Promise<T>, onShared?: () => void): Promise<T> {
    const waiting = this.inFlight.get(key);
    if (waiting) {
      this.counts.shared++;
      onShared?.();
      return new Promise<T>((resolve, reject) => waiting.push({ resolve, reject }));
    }
    const waiters: Waiter<T>[] = [];
    this.inFlight.set(key, waiters);
    this.counts.sent++;
    let value: T;
    try {
      value = await send();
    } catch (err) {
      this.inFlight.delete(key);
      for (const w of waiters) w.reject(err);
      throw err;
    }
    this.inFlight.delete(key);
    for (const w of waiters) {
      let copied: T;
      try {
        copied = this.copy(value);
      } catch (err) {
        w.reject(err);
        continue;
      }
      w.resolve(copied);
    }
    return value;
  }
}
