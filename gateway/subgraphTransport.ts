import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../domain/errors';
import type { SubgraphTokenSigner } from '../lib/auth';
import { verifiedViewer, type GatewayContext, type SubgraphDataSourceFactory } from './apollo';
import { subgraphRefusal } from './clientErrors';
import type { GatewayMetrics } from './metrics';
import { forwardRequestId } from './requestId';
import {
  CircuitBreaker,
  DEFAULT_RESILIENCE,
  countsAgainstSubgraph,
  isConnectionFailure,
  isTimeout,
  type ResilienceSettings,
} from './resilience';
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

/** The gateway's data sources in production: every subgraph over HTTP at its URL, through `SubgraphDataSource`. */
export function httpSubgraphs(settings: SubgraphTransportSettings): SubgraphDataSourceFactory {
  const resilience = settings.resilience ?? DEFAULT_RESILIENCE;
  return ({ name, url }) => new SubgraphDataSource(name, url, settings.signer, resilience, settings.metrics ?? null);
}

/** Whether an operation sent to a subgraph writes: mutations are never retried, and have their own time-out. */
const isMutation = (query: string | undefined) => /^\s*mutation\b/.test(query ?? '');

/** Carries a call's time-out from `willSendRequest` to the fetcher, which removes it before the request leaves. */
const TIMEOUT_HEADER = 'x-court-graph-timeout-ms';

/**
 * Calls a subgraph over HTTP, with a time-out (a mutation's longer than a read's), one retry of a read whose connection
 * failed, and a circuit breaker that only the subgraph's own failures open (gateway/resilience.ts).
 * A subgraph that refuses a request with a GraphQL error (a 400 for input the gateway could not check, such as a
 * custom scalar's literal) has that error passed on with its own code; malformed input is the client's, so a
 * validation failure becomes BAD_USER_INPUT. Any other failure reaches the client as a stable code and the
 * subgraph's name — never its URL, status text or body.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly breaker: CircuitBreaker;
  /** The token `process` signed for each request, set as its header in `willSendRequest`. */
  private readonly tokens = new WeakMap<object, string>();

  constructor(
    private readonly subgraphName: string,
    url: string,
    private readonly signer: SubgraphTokenSigner,
    private readonly resilience: ResilienceSettings,
    private readonly metrics: GatewayMetrics | null,
  ) {
    super({
      url,
      // Node's own fetch (keep-alive pooled), abandoned after the call's time-out.
      fetcher: ((input: string, init: RequestInit & { headers: Record<string, string> }) => {
        const { [TIMEOUT_HEADER]: given, ...headers } = init.headers;
        const timeoutMs = Number(given) || resilience.timeoutMs;
        return fetch(input, { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
      }) as unknown as RemoteGraphQLDataSource['fetcher'],
    });
    this.breaker = new CircuitBreaker(resilience.breakerFailures, resilience.breakerCooldownMs, Date.now, (state) =>
      metrics?.circuitState(subgraphName, state),
    );
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
    forwardRequestId(headers, context);
  }

  private timeoutFor(query: string | undefined): number {
    return isMutation(query) ? this.resilience.mutationTimeoutMs : this.resilience.timeoutMs;
  }

  override async process(options: ProcessOptions): Promise<Response> {
    await this.signToken(options);
    this.admit();
    const started = performance.now();
    try {
      const response = await this.fetchWithRetry(options);
      this.breaker.success();
      return response;
    } catch (err) {
      throw this.translateFailure(err, options);
    } finally {
      this.metrics?.subgraphFetch(this.subgraphName, (performance.now() - started) / 1000);
    }
  }

  /**
   * Step 1: the call's token. The gateway's own faults (no verified viewer, a signing failure), not the subgraph's:
   * found before the breaker, so they never count as its failures.
   */
  private async signToken(options: ProcessOptions): Promise<void> {
    this.tokens.set(options.request, await this.signer.tokenFor(verifiedViewer(options.context), this.subgraphName));
  }

  /** Step 2: the circuit breaker lets the call out, or it fails at once without touching the subgraph. */
  private admit(): void {
    if (this.breaker.allow()) return;
    this.metrics?.subgraphFailure(this.subgraphName, 'circuit_open');
    throw this.failure(ErrorCode.SOURCE_CIRCUIT_OPEN, `subgraph ${this.subgraphName} is failing; calls are paused and retried shortly`);
  }

  /** Step 3: the call, with one retry of a read whose connection never carried it. */
  private async fetchWithRetry(options: ProcessOptions): Promise<Response> {
    try {
      return await super.process(options);
    } catch (err) {
      if (isMutation(options.request.query) || !isConnectionFailure(err)) throw err;
      this.metrics?.subgraphFailure(this.subgraphName, 'retried');
      return await super.process(options);
    }
  }

  /**
   * Step 4: what a failed call tells the breaker, the metrics and the client. Only the subgraph's own failures count
   * against its breaker (`countsAgainstSubgraph`): a time-out of a heavy request or of a mutation does not.
   */
  private translateFailure(err: unknown, options: ProcessOptions): unknown {
    // A refusal the subgraph made of the client's input is an answer, not a failure of the subgraph.
    if (
      err instanceof GraphQLError &&
      err.extensions.code !== ErrorCode.SOURCE_UNAVAILABLE &&
      err.extensions.serviceName === this.subgraphName
    ) {
      this.breaker.success();
      return err;
    }
    const mutation = isMutation(options.request.query);
    const ownsTimeouts = requestDemand(options.context)?.ownsTimeouts ?? false;
    if (countsAgainstSubgraph(err, { mutation, ownsTimeouts })) this.breaker.failure();
    else this.breaker.neutral();
    if (isTimeout(err)) {
      this.metrics?.subgraphFailure(this.subgraphName, 'timeout');
      const timeoutMs = this.timeoutFor(options.request.query);
      if (mutation) {
        return this.failure(
          ErrorCode.OUTCOME_UNKNOWN,
          `subgraph ${this.subgraphName} did not answer the mutation within ${timeoutMs} ms: its outcome is unknown (it may or may not have been written); retrying with the same idempotencyKey is safe, it writes at most once`,
        );
      }
      return this.failure(ErrorCode.SOURCE_TIMEOUT, `subgraph ${this.subgraphName} did not answer within ${timeoutMs} ms`);
    }
    this.metrics?.subgraphFailure(this.subgraphName, isConnectionFailure(err) ? 'unreachable' : 'error');
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
