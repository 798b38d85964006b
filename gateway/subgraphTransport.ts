import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../domain/errors';
import type { SubgraphTokenSigner } from '../lib/auth';
import { replicaUrls } from '../lib/config';
import { verifiedViewer, type GatewayContext, type SubgraphDataSourceFactory } from './apollo';
import { subgraphRefusal } from './clientErrors';
import { cloneJson, fanOutEntities, mergeRepresentations } from './entityDedup';
import { fetchKey, InflightFetches } from './inflightDedup';
import type { GatewayMetrics } from './metrics';
import { forwardRequestId } from './requestId';
import { neverReachedReplica, ReplicaSet, type Replica } from './replicas';
import { DEFAULT_RESILIENCE, countsAgainstSubgraph, isConnectionFailure, isTimeout, type ResilienceSettings } from './resilience';
import { requestDemand } from './viewerBudget';

type ProcessOptions = Parameters<RemoteGraphQLDataSource<GatewayContext>['process']>[0];
type SendOptions = Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0];
type Response = Awaited<ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']>>;

export interface SubgraphTransportSettings {
  /** Signs each subgraph call's token. */
  signer: SubgraphTokenSigner;
  resilience?: ResilienceSettings;
  metrics?: GatewayMetrics | null;
}

/** The gateway's data sources in production: every subgraph over HTTP at its replicas' URLs, through `SubgraphDataSource`. */
export function httpSubgraphs(settings: SubgraphTransportSettings): SubgraphDataSourceFactory {
  const resilience = settings.resilience ?? DEFAULT_RESILIENCE;
  return ({ name, replicas }) => new SubgraphDataSource(name, replicas, settings.signer, resilience, settings.metrics ?? null);
}

/** Whether an operation sent to a subgraph writes: mutations are never retried, and have their own time-out. */
const isMutation = (query: string | undefined) => /^\s*mutation\b/.test(query ?? '');

/** Carry a call's time-out and its replica from `willSendRequest` to the fetcher, which removes them before the request leaves. */
const TIMEOUT_HEADER = 'x-court-graph-timeout-ms';
const REPLICA_HEADER = 'x-court-graph-replica';

/**
 * Calls a subgraph over HTTP at one of its replicas (gateway/replicas.ts: the fewest calls in flight, ties in turn),
 * with a time-out (a mutation's longer than a read's), a retry of a read whose connection failed (on the next replica;
 * with none left to try, once on the same), a mutation moved to another replica only when it certainly never reached the
 * first (refused, never connected), and a circuit breaker per replica that only its own failures open
 * (gateway/resilience.ts); a call finds every replica's circuit open before it is refused SOURCE_CIRCUIT_OPEN.
 * A subgraph that refuses a request with a GraphQL error (a 400 for input the gateway could not check, such as a
 * custom scalar's literal) has that error passed on with its own code; malformed input is the client's, so a
 * validation failure becomes BAD_USER_INPUT. Any other failure reaches the client as a stable code and the
 * subgraph's name — never its URL, status text or body.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly replicas: ReplicaSet;
  /** The token `process` signed for each request, set as its header in `willSendRequest`. */
  private readonly tokens = new WeakMap<object, string>();
  /** The replica each request is being sent to: `willSendRequest` hands its URL to the fetcher. */
  private readonly sendingTo = new WeakMap<object, Replica>();

  constructor(
    private readonly subgraphName: string,
    /** One URL, or the subgraph's replicas (a list, or its comma-separated text as `<NAME>_URL` holds it). */
    urls: string | readonly string[],
    private readonly signer: SubgraphTokenSigner,
    private readonly resilience: ResilienceSettings,
    private readonly metrics: GatewayMetrics | null,
  ) {
    const replicas = replicaUrls(urls);
    super({
      url: replicas[0],
      // Node's own fetch (keep-alive pooled), abandoned after the call's time-out.
      fetcher: ((input: string, init: RequestInit & { headers: Record<string, string> }) => {
        const { [TIMEOUT_HEADER]: given, [REPLICA_HEADER]: replica, ...headers } = init.headers;
        const timeoutMs = Number(given) || resilience.timeoutMs;
        return fetch(replica ?? input, { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
      }) as unknown as RemoteGraphQLDataSource['fetcher'],
    });
    this.replicas = new ReplicaSet(subgraphName, replicas, resilience, metrics);
  }

  /**
   * Each subgraph call carries only a token the gateway signs for this subgraph (audience) and this viewer, valid for
   * a minute, and the request id; no client header is forwarded, so a forged identity header never reaches a subgraph.
   */
  override willSendRequest({ request, context }: SendOptions) {
    const headers = request.http!.headers;
    const names = Array.from(headers, ([name]) => name);
    for (const name of names) if (name !== 'content-type' && name !== 'accept') headers.delete(name);
    headers.set('authorization', `Bearer ${this.tokens.get(request)}`);
    headers.set(TIMEOUT_HEADER, String(this.timeoutFor(request.query)));
    const replica = this.sendingTo.get(request);
    if (replica) headers.set(REPLICA_HEADER, replica.url);
    forwardRequestId(headers, context);
  }

  private timeoutFor(query: string | undefined): number {
    return isMutation(query) ? this.resilience.mutationTimeoutMs : this.resilience.timeoutMs;
  }

  /** Entity representations the gateway's plan asked this subgraph for, and those sent after merging duplicates. */
  readonly representations = { asked: 0, sent: 0 };

  /** Identical reads of one viewer scope in flight at once, sent once (gateway/inflightDedup.ts). */
  readonly inflight = new InflightFetches<Response>(copyResponse);

  /**
   * A fetch's duplicate entity representations go once (gateway/entityDedup.ts: one fetch is one viewer's), and the
   * answers are fanned back out to every place in the original order.
   */
  override async process(options: ProcessOptions): Promise<Response> {
    const representations = options.request.variables?.representations;
    if (!Array.isArray(representations)) return this.processOnce(options);
    const merged = mergeRepresentations(representations);
    this.representations.asked += representations.length;
    this.representations.sent += merged ? merged.unique.length : representations.length;
    this.metrics?.entityRepresentations(this.subgraphName, representations.length, merged ? merged.unique.length : representations.length);
    if (!merged) return this.processOnce(options);
    const request = { ...options.request, variables: { ...options.request.variables, representations: merged.unique } };
    return fanOutEntities(await this.processOnce({ ...options, request }), merged);
  }

  /**
   * A read goes once while an identical one of the same viewer scope is in flight (gateway/inflightDedup.ts): the
   * others wait for its answer and each gets its own copy. A mutation always goes on its own.
   */
  private processOnce(options: ProcessOptions): Promise<Response> {
    if (isMutation(options.request.query)) return this.sendOnce(options);
    const key = fetchKey(this.subgraphName, verifiedViewer(options.context), options.request);
    return this.inflight.run(
      key,
      () => this.sendOnce(options),
      () => this.metrics?.sharedFetch(this.subgraphName),
    );
  }

  private async sendOnce(options: ProcessOptions): Promise<Response> {
    await this.signToken(options);
    let replica = this.admit();
    const started = performance.now();
    const tried = new Set<Replica>();
    try {
      for (let attempts = 1; ; attempts++) {
        tried.add(replica);
        try {
          const response = await this.send(options, replica);
          replica.breaker.success();
          return response;
        } catch (err) {
          const next = this.retryTarget(err, options, replica, tried, attempts);
          if (!next) throw this.translateFailure(err, options, replica);
          this.metrics?.subgraphFailure(this.subgraphName, 'retried', replica.url);
          // Moving on, the replica that failed is charged with it; retried on itself, only its last failure counts.
          if (next !== replica) replica.breaker.failure();
          replica = next;
        }
      }
    } finally {
      this.metrics?.subgraphFetch(this.subgraphName, replica.url, (performance.now() - started) / 1000);
    }
  }

  /**
   * Step 1: the call's token. The gateway's own faults (no verified viewer, a signing failure), not the subgraph's:
   * found before the breakers, so they never count as its failures.
   */
  private async signToken(options: ProcessOptions): Promise<void> {
    this.tokens.set(options.request, await this.signer.tokenFor(verifiedViewer(options.context), this.subgraphName));
  }

  /** Step 2: a replica whose circuit lets the call out, or the call fails at once without touching the subgraph. */
  private admit(): Replica {
    const replica = this.replicas.pick();
    if (replica) return replica;
    this.metrics?.subgraphFailure(this.subgraphName, 'circuit_open');
    throw this.failure(ErrorCode.SOURCE_CIRCUIT_OPEN, `subgraph ${this.subgraphName} is failing; calls are paused and retried shortly`);
  }

  /** Step 3: one attempt at one replica, counted in flight there while it lasts. */
  private async send(options: ProcessOptions, replica: Replica): Promise<Response> {
    replica.inFlight++;
    this.metrics?.replicaInFlight(this.subgraphName, replica.url, replica.inFlight, true);
    this.sendingTo.set(options.request, replica);
    try {
      return await super.process(options);
    } finally {
      replica.inFlight--;
      this.metrics?.replicaInFlight(this.subgraphName, replica.url, replica.inFlight);
    }
  }

  /**
   * Where a failed attempt goes next, or null to give up. A read whose connection failed (refused, reset: it carried no
   * answer) goes to a replica it has not tried yet; when there is none to go to (a single replica, or every other one's
   * circuit open) a first failure is retried once on the same replica, as ADR 8 retried it. A mutation goes on
   * only when it certainly never reached the replica (`neverReachedReplica`), and only to a replica not tried: a write
   * that may have landed is never sent twice (a client's retry with the same idempotencyKey is the safe way).
   */
  private retryTarget(
    err: unknown,
    options: ProcessOptions,
    failed: Replica,
    tried: ReadonlySet<Replica>,
    attempts: number,
  ): Replica | null {
    if (!isConnectionFailure(err)) return null;
    if (isMutation(options.request.query)) return neverReachedReplica(err) ? this.replicas.pick(tried) : null;
    return this.replicas.pick(tried) ?? (attempts === 1 ? failed : null);
  }

  /**
   * Step 4: what a failed call tells the breaker, the metrics and the client. Only the subgraph's own failures count
   * against its breaker (`countsAgainstSubgraph`): a time-out of a heavy request or of a mutation does not.
   */
  private translateFailure(err: unknown, options: ProcessOptions, replica: Replica): unknown {
    // A refusal the subgraph made of the client's input is an answer, not a failure of the subgraph.
    if (
      err instanceof GraphQLError &&
      err.extensions.code !== ErrorCode.SOURCE_UNAVAILABLE &&
      err.extensions.serviceName === this.subgraphName
    ) {
      replica.breaker.success();
      return err;
    }
    const mutation = isMutation(options.request.query);
    const ownsTimeouts = requestDemand(options.context)?.ownsTimeouts ?? false;
    if (countsAgainstSubgraph(err, { mutation, ownsTimeouts })) replica.breaker.failure();
    else replica.breaker.neutral();
    if (isTimeout(err)) {
      this.metrics?.subgraphFailure(this.subgraphName, 'timeout', replica.url);
      const timeoutMs = this.timeoutFor(options.request.query);
      if (mutation) {
        return this.failure(
          ErrorCode.OUTCOME_UNKNOWN,
          `subgraph ${this.subgraphName} did not answer the mutation within ${timeoutMs} ms: its outcome is unknown (it may or may not have been written); retrying with the same idempotencyKey is safe, it writes at most once`,
        );
      }
      return this.failure(ErrorCode.SOURCE_TIMEOUT, `subgraph ${this.subgraphName} did not answer within ${timeoutMs} ms`);
    }
    this.metrics?.subgraphFailure(this.subgraphName, isConnectionFailure(err) ? 'unreachable' : 'error', replica.url);
    if (err instanceof GraphQLError && err.extensions.code === ErrorCode.SOURCE_UNAVAILABLE) return err;
    return this.failure(ErrorCode.SOURCE_UNAVAILABLE, `subgraph ${this.subgraphName} is unavailable`);
  }

  private failure(code: string, message: string): GraphQLError {
    return new GraphQLError(message, { extensions: { code, serviceName: this.subgraphName } });
  }

  /**
   * A subgraph's non-2xx answer: its refusal of the client's input (HTTP 400) passes on as far as the client error
   * policy allows (`subgraphRefusal`: a catalogued code, rule and input path, no addresses or file paths); an
   * uncatalogued refusal is SOURCE_ERROR, and any other answer SOURCE_UNAVAILABLE.
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    let body: unknown;
    try {
      body = await this.parseBody(response);
    } catch {
      body = undefined;
    }
    const first = (body as { errors?: { message?: unknown; extensions?: Record<string, unknown> }[] } | undefined)?.errors?.[0];
    if (response.status === 400 && first) {
      const refusal = subgraphRefusal(this.subgraphName, first);
      if (!refusal) return this.failure(ErrorCode.SOURCE_ERROR, `subgraph ${this.subgraphName} refused this part of the query`);
      return new GraphQLError(refusal.message, { extensions: refusal.extensions });
    }
    return new GraphQLError(`subgraph ${this.subgraphName} failed (HTTP ${response.status})`, {
      extensions: { code: ErrorCode.SOURCE_UNAVAILABLE, serviceName: this.subgraphName },
    });
  }
}

/**
 * A subgraph answer for a request that shared another's fetch: its own `data` and error objects (the gateway merges
 * later fetches into `data`), the same HTTP details, which nothing writes.
 */
function copyResponse(response: Response): Response {
  const copy = { ...response };
  if (response.data) copy.data = cloneJson(response.data);
  if (response.errors) copy.errors = response.errors.map((e) => (e instanceof Error ? e : cloneJson(e)));
  if (response.extensions) copy.extensions = cloneJson(response.extensions);
  return copy;
}
