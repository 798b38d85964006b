import type { GatewayMetrics } from './metrics';
import { CircuitBreaker, type ResilienceSettings } from './resilience';

/**
 * Several processes of one subgraph behind the gateway (`<NAME>_URL` as a comma-separated list; ADR 24). Each replica
 * has its own circuit breaker, so one dead process is set aside while the others answer, and its own count of calls in
 * flight, which the choice of replica reads.
 */
export interface Replica {
  readonly url: string;
  readonly breaker: CircuitBreaker;
  /** Calls of this gateway process to this replica that have not answered yet. */
  inFlight: number;
}

/**
 * Connection failures that happen before a request can have left: the connection was refused or never made (no route,
 * a connect time-out). A reset or a closed socket is not one of them: on a pooled keep-alive connection it can follow
 * a request the replica has already read, so only a read is moved to another replica after it, never a mutation.
 */
const NEVER_REACHED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Whether a failed call certainly never reached the replica, so that even a mutation may go to another one. */
export function neverReachedReplica(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NEVER_REACHED.has(code)) return true;
  }
  return false;
}

/**
 * The replicas of one subgraph, and the choice of the one a call goes to: the fewest calls in flight among those whose
 * circuit lets a call out, ties taken in turn (round robin). Least in flight rather than plain round robin: a replica
 * that slows down (a long write holding its database, a stalled disk) gets fewer new calls while it is slow, and two
 * idle replicas still share calls evenly.
 */
export class ReplicaSet {
  readonly replicas: readonly Replica[];
  private turn = 0;

  constructor(
    readonly subgraph: string,
    urls: readonly string[],
    resilience: ResilienceSettings,
    metrics: GatewayMetrics | null,
    now: () => number = Date.now,
  ) {
    if (urls.length === 0) throw new Error(`subgraph ${subgraph} has no URL`);
    this.replicas = urls.map((url) => ({
      url,
      inFlight: 0,
      breaker: new CircuitBreaker(resilience.breakerFailures, resilience.breakerCooldownMs, now, (state) =>
        metrics?.circuitState(subgraph, url, state),
      ),
    }));
  }

  /**
   * The replica for the next call, or null when every circuit (of the replicas not in `exclude`) is open. Only the
   * replica returned is asked `allow()`, so a half-open replica's one probe is taken only by a call that uses it.
   */
  pick(exclude: ReadonlySet<Replica> = new Set()): Replica | null {
    const n = this.replicas.length;
    const start = this.turn;
    this.turn = (this.turn + 1) % n;
    const order = Array.from({ length: n }, (_, i) => this.replicas[(start + i) % n]!)
      .filter((r) => !exclude.has(r))
      .sort((a, b) => a.inFlight - b.inFlight);
    return order.find((r) => r.breaker.allow()) ?? null;
  }
}
