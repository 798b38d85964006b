import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BreakerState } from './resilience';

/**
 * The gateway's Prometheus metrics, on a registry of its own (several graphs may share a process in tests), served
 * at `/metrics`. Every metric is defined here; the hooks below and the subgraph transport record them.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL requests by HTTP status',
    labelNames: ['status'],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL request latency at the gateway',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'graphql_errors_total',
    help: 'Errors returned to clients, by code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  private readonly fetches = new Histogram({
    name: 'subgraph_fetch_duration_seconds',
    help: 'Latency of the gateway’s fetches to each subgraph (retries included), by the replica that answered last',
    labelNames: ['subgraph', 'replica'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly failures = new Counter({
    name: 'subgraph_fetch_failures_total',
    help: 'Failed subgraph fetches by reason (unreachable, timeout, error, circuit_open, retried) and replica (none for circuit_open: every replica’s circuit was open)',
    labelNames: ['subgraph', 'reason', 'replica'],
    registers: [this.registry],
  });
  private readonly circuit = new Gauge({
    name: 'subgraph_circuit_open',
    help: '1 while a subgraph replica’s circuit is open, 0.5 half-open, 0 closed',
    labelNames: ['subgraph', 'replica'],
    registers: [this.registry],
  });
  private readonly replicaRequests = new Counter({
    name: 'subgraph_replica_requests_total',
    help: 'Requests sent to each replica of each subgraph (every attempt, a retry included)',
    labelNames: ['subgraph', 'replica'],
    registers: [this.registry],
  });
  private readonly replicaInFlightGauge = new Gauge({
    name: 'subgraph_replica_in_flight',
    help: 'Requests to each replica of each subgraph not answered yet (what the choice of replica reads)',
    labelNames: ['subgraph', 'replica'],
    registers: [this.registry],
  });

  private readonly representations = new Counter({
    name: 'subgraph_entity_representations_total',
    help: 'Entity representations the query plans asked each subgraph for (asked), and those sent after duplicates within one fetch were merged (sent)',
    labelNames: ['subgraph', 'kind'],
    registers: [this.registry],
  });

  private readonly sharedFetches = new Counter({
    name: 'subgraph_fetches_shared_total',
    help: 'Subgraph fetches not sent because an identical fetch of the same viewer scope was in flight, whose answer they shared (gateway/inflightDedup.ts)',
    labelNames: ['subgraph'],
    registers: [this.registry],
  });

  private readonly sharedOperations = new Counter({
    name: 'gateway_operations_shared_total',
    help: 'Client queries not executed because an identical query of the same viewer scope was executing, whose result they shared (gateway/inflightDedup.ts)',
    registers: [this.registry],
  });

  request(status: number, seconds: number): void {
    this.requests.inc({ status: String(status) });
    this.duration.observe(seconds);
  }

  error(code: string): void {
    this.errors.inc({ code });
  }

  subgraphFetch(subgraph: string, replica: string, seconds: number): void {
    this.fetches.observe({ subgraph, replica }, seconds);
  }

  /** An entity fetch: how many representations its plan asked for, and how many went after merging duplicates. */
  entityRepresentations(subgraph: string, asked: number, sent: number): void {
    this.representations.inc({ subgraph, kind: 'asked' }, asked);
    this.representations.inc({ subgraph, kind: 'sent' }, sent);
  }

  /** A fetch that waited for an identical one in flight instead of being sent. */
  sharedFetch(subgraph: string): void {
    this.sharedFetches.inc({ subgraph });
  }

  /** A client query that waited for an identical one executing instead of being executed itself. */
  sharedOperation(): void {
    this.sharedOperations.inc();
  }

  /** A failed fetch: `replica` is the URL it failed at, none when no replica was called (every circuit open). */
  subgraphFailure(subgraph: string, reason: string, replica?: string): void {
    this.failures.inc(replica === undefined ? { subgraph, reason } : { subgraph, reason, replica });
  }

  circuitState(subgraph: string, replica: string, state: BreakerState): void {
    this.circuit.set({ subgraph, replica }, state === 'open' ? 1 : state === 'half-open' ? 0.5 : 0);
  }

  /** One attempt sent to a replica, and the calls now in flight there. */
  replicaInFlight(subgraph: string, replica: string, inFlight: number, sent = false): void {
    if (sent) this.replicaRequests.inc({ subgraph, replica });
    this.replicaInFlightGauge.set({ subgraph, replica }, inFlight);
  }
}

/**
 * Counts each request to `path` by status, with its latency, when its response is sent; and hands the edge the
 * registry its refusals are counted in (`refuse`, gateway/edge.ts).
 */
export function countRequests(metrics: GatewayMetrics, path: string): RequestHandler {
  return (req, res, next) => {
    res.locals.metrics = metrics;
    if (req.path === path) {
      const started = performance.now();
      res.on('finish', () => metrics.request(res.statusCode, (performance.now() - started) / 1000));
    }
    next();
  };
}

/** `GET /metrics`: the registry in Prometheus' text format. */
export function serveMetrics(metrics: GatewayMetrics): RequestHandler {
  return async (_req, res) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  };
}
