/**
 * Keeping the graph useful while a subgraph fails: a per-subgraph circuit breaker, and what counts as a failure
 * worth retrying. The subgraph transport (gateway/subgraphTransport.ts) applies them to every subgraph fetch.
 */
export interface ResilienceSettings {
  /** A subgraph fetch that takes longer is abandoned and reported as a time-out. */
  timeoutMs: number;
  /** Consecutive failures that open the circuit. */
  breakerFailures: number;
  /** How long an open circuit refuses calls before letting one probe through. */
  breakerCooldownMs: number;
}

export const DEFAULT_RESILIENCE: ResilienceSettings = { timeoutMs: 5000, breakerFailures: 5, breakerCooldownMs: 10_000 };

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
