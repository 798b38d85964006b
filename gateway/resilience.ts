/**
 * Keeping the graph useful while a subgraph fails: a per-subgraph circuit breaker, and what counts as a failure
 * worth retrying. The subgraph transport (gateway/subgraphTransport.ts) applies them to every subgraph fetch.
 */
export interface ResilienceSettings {
  /** A subgraph fetch that takes longer is abandoned and reported as a time-out. */
  timeoutMs: number;
  /**
   * A mutation's fetch time-out (SUBGRAPH_MUTATION_TIMEOUT_MS): longer than the store's lock wait, so a store busy
   * with another write refuses (and audits) the attempt before the gateway stops waiting for it.
   */
  mutationTimeoutMs: number;
  /** Consecutive failures that open the circuit. */
  breakerFailures: number;
  /** How long an open circuit refuses calls before letting one probe through. */
  breakerCooldownMs: number;
}

export const DEFAULT_RESILIENCE: ResilienceSettings = {
  timeoutMs: 5000,
  mutationTimeoutMs: 20_000,
  breakerFailures: 5,
  breakerCooldownMs: 10_000,
};

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * Closed: calls pass, consecutive failures are counted. After `failures` in a row it opens: calls are refused at
 * once, without touching the subgraph. After the cool-down one probe is let through (half-open): success closes
 * the circuit, failure opens it for another cool-down.
 */
export class CircuitBreaker {
  private consecutive = 0;
  private openedAt = 0;
  private probing = false;
  state: BreakerState = 'closed';

  constructor(
    private readonly failures: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
    private readonly onChange: (state: BreakerState) => void = () => {},
  ) {}

  /** Whether a call may go out now; in half-open state only one probe at a time. */
  allow(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open' && this.now() - this.openedAt >= this.cooldownMs) this.set('half-open');
    if (this.state === 'half-open' && !this.probing) {
      this.probing = true;
      return true;
    }
    return false;
  }

  success(): void {
    this.consecutive = 0;
    this.probing = false;
    if (this.state !== 'closed') this.set('closed');
  }

  failure(): void {
    this.probing = false;
    this.consecutive++;
    if (this.state === 'half-open' || this.consecutive >= this.failures) {
      this.openedAt = this.now();
      if (this.state !== 'open') this.set('open');
    }
  }

  /**
   * A call that tells nothing about the subgraph's health (it failed by its own size): the count is left as it is, and
   * a half-open probe is freed for the next call.
   */
  neutral(): void {
    this.probing = false;
  }

  private set(state: BreakerState): void {
    this.state = state;
    this.onChange(state);
  }
}

/** A connection that never carried a request (refused, reset, unreachable): safe to retry a read once. */
export function isConnectionFailure(err: unknown): boolean {
  const codes = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'EPIPE',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
  ]);
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && codes.has(code)) return true;
  }
  return false;
}

export function isTimeout(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const name = (e as { name?: unknown }).name;
    if (name === 'TimeoutError' || name === 'AbortError') return true;
  }
  return false;
}

/**
 * Whether a failed call counts against the subgraph's circuit breaker, which every viewer shares. A subgraph that
 * refuses connections, resets them or answers 5xx is failing whoever asked. A time-out is the subgraph's fault only for
 * a read that was not heavy: a request that times out by its own size (estimated above HEAVY_REQUEST_COST, or from a
 * viewer spending most of its budget) says nothing about the subgraph, and must not cut every other viewer off. A
 * mutation's time-out is never counted: it is reported as OUTCOME_UNKNOWN, and a retry with its idempotency key is safe.
 */
export function countsAgainstSubgraph(err: unknown, call: { mutation: boolean; ownsTimeouts: boolean }): boolean {
  if (!isTimeout(err)) return true;
  return !call.mutation && !call.ownsTimeouts;
}
