import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, LocalGraphQLDataSource, RemoteGraphQLDataSource, type GraphQLDataSource } from '@apollo/gateway';
import { expressMiddleware } from '@as-integrations/express5';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../domain/errors';
import express from 'express';
import type { BaseContext } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { NextFunction, Request, Response } from 'express';
import { AuthError, verifyClient, type ClientAuthSettings, type SubgraphTokenSigner, type Viewer } from '../lib/auth';
import { buildSchema, internalError, listen, type RunningServer, type SubgraphModule } from '../lib/subgraphServer';
import { LimitError, checkOperation, type OperationLimits } from './limits';
import { GatewayMetrics } from './metrics';
import { log, requestIdOf } from '../lib/log';
import { CircuitBreaker, DEFAULT_RESILIENCE, isConnectionFailure, isTimeout, type ResilienceSettings } from './resilience';
import { SUPERGRAPH_PATH, type SubgraphName } from './subgraphs';
import type { TrustedDocuments } from './trustedDocuments';

/** How the gateway reaches one subgraph: over HTTP at a URL, or in-process (tests only). */
export type SubgraphTarget = { url: string } | { module: SubgraphModule<BaseContext> };

/** The gateway's per-request context: the verified viewer, never anything a client asserted. */
export interface GatewayContext extends BaseContext {
  viewer: Viewer;
  /** The request id the gateway returns to the client and passes to every subgraph. */
  requestId?: string;
}

export interface GatewayOptions {
  targets: Record<SubgraphName, SubgraphTarget>;
  /** Signs each subgraph call's token; required when any target is reached over HTTP. */
  signer?: SubgraphTokenSigner;
  /** Production: no introspection, no field suggestions in errors. */
  production?: boolean;
  resilience?: ResilienceSettings;
  metrics?: GatewayMetrics;
}

export function readSupergraph(): string {
  return readFileSync(SUPERGRAPH_PATH, 'utf8');
}

/**
 * The federation gateway on the checked-in supergraph. Subgraph URLs in the supergraph are defaults; each
 * subgraph is re-pointed here from configuration, so the same supergraph serves every deployment.
 */
export function createGateway(opts: GatewayOptions): { apollo: ApolloServer<GatewayContext>; gateway: ApolloGateway } {
  const gateway = new ApolloGateway({
    supergraphSdl: readSupergraph(),
    buildService: ({ name }): GraphQLDataSource => {
      const target = opts.targets[name as SubgraphName];
      if (!target) throw new Error(`no target configured for subgraph "${name}"`);
      if ('module' in target) return new InProcessDataSource(target.module);
      if (!opts.signer) throw new Error(`subgraph "${name}" is reached over HTTP, so the gateway needs its signing key`);
      return new SubgraphDataSource(name, target.url, opts.signer, opts.resilience ?? DEFAULT_RESILIENCE, opts.metrics ?? null);
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    formatError: clientError,
    introspection: !opts.production,
    hideSchemaDetailsFromClientErrors: opts.production ?? false,
    // Automatic persisted queries would let any client register any operation; trusted documents replace them.
    persistedQueries: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // The default landing page loads Apollo Sandbox from a CDN; court networks are isolated.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      {
        async requestDidStart() {
          return {
            async willSendResponse({ response }) {
              if (response.body.kind !== 'single') return;
              for (const e of response.body.singleResult.errors ?? []) opts.metrics?.error(String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
            },
          };
        },
      },
    ],
  });
  return { apollo, gateway };
}

/** Extensions a client may see; anything else (subgraph URLs, response bodies, stack traces) stays inside. */
const CLIENT_EXTENSIONS = ['code', 'field', 'rule', 'serviceName'];

/**
 * Codes whose messages the product writes itself (refusals of the client's request, failures the gateway reports):
 * their message is safe to pass on. Anything else a subgraph or the gateway produced — an unexpected exception,
 * whose message may carry a stack, a path or an address — is replaced by a generic message and a stable code.
 */
const OWN_CODES = new Set<string>([
  ...Object.values(ErrorCode), 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'ASSESSMENT_INDEX_NOT_BUILT', 'OPERATION_LIMIT',
]);

export function clientError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = Object.fromEntries(Object.entries(formatted.extensions ?? {}).filter(([k]) => CLIENT_EXTENSIONS.includes(k)));
  const code = typeof extensions.code === 'string' ? extensions.code : undefined;
  if (code !== undefined && OWN_CODES.has(code)) return { ...formatted, extensions };
  const service = typeof extensions.serviceName === 'string' ? extensions.serviceName : null;
  return {
    ...formatted,
    message: service ? `subgraph ${service} failed to answer this part of the query` : 'internal error',
    extensions: { ...extensions, code: service ? ErrorCode.SOURCE_ERROR : 'INTERNAL_SERVER_ERROR' },
  };
}

/** Whether an operation sent to a subgraph writes: mutations are never retried. */
const isMutation = (query: string | undefined) => /^\s*mutation\b/.test(query ?? '');

/**
 * Calls a subgraph over HTTP, with a time-out, one retry of a read whose connection failed, and a circuit breaker.
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
      // Node's own fetch (keep-alive pooled), abandoned after the time-out.
      fetcher: ((input: string, init: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(resilience.timeoutMs) })) as unknown as RemoteGraphQLDataSource['fetcher'],
    });
    this.breaker = new CircuitBreaker(resilience.breakerFailures, resilience.breakerCooldownMs, Date.now, (state) => metrics?.circuitState(subgraphName, state));
  }

  /**
   * Each subgraph call carries only a token the gateway signs for this subgraph (audience) and this viewer, valid for
   * a minute, and the request id; no client header is forwarded, so a forged identity header never reaches a subgraph.
   */
  override willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]) {
    const headers = request.http!.headers;
    const names = Array.from(headers, ([name]) => name);
    for (const name of names) if (name !== 'content-type' && name !== 'accept') headers.delete(name);
    headers.set('authorization', `Bearer ${this.tokens.get(request)}`);
    if (context.requestId) headers.set('x-request-id', context.requestId);
  }

  override async process(options: Parameters<RemoteGraphQLDataSource<GatewayContext>['process']>[0]) {
    const fail = (code: string, message: string) => new GraphQLError(message, { extensions: { code, serviceName: this.subgraphName } });
    // The gateway's own faults (no verified viewer, a signing failure), not the subgraph's: found before the breaker,
    // so they never count as its failures.
    this.tokens.set(options.request, await this.signer.tokenFor(verifiedViewer(options.context), this.subgraphName));
    if (!this.breaker.allow()) {
      this.metrics?.subgraphFailure(this.subgraphName, 'circuit_open');
      throw fail(ErrorCode.SOURCE_CIRCUIT_OPEN, `subgraph ${this.subgraphName} is failing; calls are paused and retried shortly`);
    }
    const started = performance.now();
    const mutation = isMutation(options.request.query);
    try {
      let response;
      try {
        response = await super.process(options);
      } catch (err) {
        if (mutation || !isConnectionFailure(err)) throw err;
        this.metrics?.subgraphFailure(this.subgraphName, 'retried');
        response = await super.process(options);
      }
      this.breaker.success();
      return response;
    } catch (err) {
      // A refusal the subgraph made of the client's input is an answer, not a failure of the subgraph.
      if (err instanceof GraphQLError && err.extensions.code !== ErrorCode.SOURCE_UNAVAILABLE && err.extensions.serviceName === this.subgraphName) {
        this.breaker.success();
        throw err;
      }
      this.breaker.failure();
      if (isTimeout(err)) {
        this.metrics?.subgraphFailure(this.subgraphName, 'timeout');
        throw fail(ErrorCode.SOURCE_TIMEOUT, `subgraph ${this.subgraphName} did not answer within ${this.resilience.timeoutMs} ms`);
      }
      this.metrics?.subgraphFailure(this.subgraphName, isConnectionFailure(err) ? 'unreachable' : 'error');
      if (err instanceof GraphQLError && err.extensions.code === ErrorCode.SOURCE_UNAVAILABLE) throw err;
      throw fail(ErrorCode.SOURCE_UNAVAILABLE, `subgraph ${this.subgraphName} is unavailable`);
    } finally {
      this.metrics?.subgraphFetch(this.subgraphName, (performance.now() - started) / 1000);
    }
  }

  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    let body: unknown;
    try {
      body = await this.parseBody(response);
    } catch {
      body = undefined;
    }
    const first = (body as { errors?: { message?: string; extensions?: Record<string, unknown> }[] } | undefined)?.errors?.[0];
    if (response.status === 400 && first?.message) {
      const code = first.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' ? ErrorCode.BAD_USER_INPUT : (first.extensions?.code ?? ErrorCode.BAD_USER_INPUT);
      // The subgraph's refusal of the client's input: its first line, with any address taken out.
      const message = first.message.split('\n')[0]!.replace(/\b(?:https?:\/\/|\d{1,3}(?:\.\d{1,3}){3})\S*/g, '[address]');
      return new GraphQLError(message, { extensions: { ...first.extensions, code, serviceName: this.subgraphName } });
    }
    return new GraphQLError(`subgraph ${this.subgraphName} failed (HTTP ${response.status})`, {
      extensions: { code: ErrorCode.SOURCE_UNAVAILABLE, serviceName: this.subgraphName },
    });
  }
}

/**
 * The viewer a subgraph call acts for. Every operation reaches the gateway through client or service
 * authentication, so a call without one is a bug: it fails closed rather than act for the whole province.
 */
function verifiedViewer(context: Partial<GatewayContext>): Viewer {
  if (!context.viewer) throw new Error('a subgraph call without a verified viewer');
  return context.viewer;
}

/**
 * Executes a subgraph in the gateway's process (tests). Each fetch gets the subgraph's own fresh context, as a
 * request over HTTP would, never the gateway's.
 */
class InProcessDataSource extends LocalGraphQLDataSource {
  constructor(private readonly module: SubgraphModule<BaseContext>) {
    super(buildSchema(module));
  }

  override process(options: Parameters<LocalGraphQLDataSource['process']>[0]) {
    // In-process: the verified viewer is handed over directly; the subgraph still enforces court scope itself.
    return super.process({ ...options, context: this.module.createContext(verifiedViewer(options.context as Partial<GatewayContext>)) });
  }
}

export interface ServeGatewayOptions extends GatewayOptions {
  port: number;
  host: string;
  /** How long closing waits for in-flight requests (SHUTDOWN_GRACE_MS). */
  shutdownGraceMs?: number;
  /** Client token verification (pinned algorithm, issuer, audience, keys). */
  auth: ClientAuthSettings;
  /** Verifies the product's own service tokens (the index pass), which are exempt from the volume limits. */
  serviceAuth?: ClientAuthSettings;
  limits: OperationLimits;
  maxBodyBytes: number;
  trustedDocuments?: TrustedDocuments | null;
}

function refuse(res: Response, status: number, code: string, message: string, extra: Record<string, string> = {}) {
  (res.locals.metrics as GatewayMetrics | undefined)?.error(code);
  res.status(status).json({ errors: [{ message, extensions: { code, ...extra } }] });
}

/**
 * The operation a request carries: JSON body for POST; for GET the query string, read from `req.url` with
 * URLSearchParams exactly as the Apollo integration reads it (Express's own parser stops at 1000 parameters, which
 * would let padding hide the operation from the limits).
 */
function operationOf(req: Request): { query: unknown; variables: Record<string, unknown> | undefined; extensions: unknown } {
  if (req.method === 'GET') {
    const params = new URLSearchParams(req.url.split('?')[1] ?? '');
    const json = (text: string | null) => {
      try {
        return text ? JSON.parse(text) : undefined;
      } catch {
        return undefined;
      }
    };
    return { query: params.get('query') ?? undefined, variables: json(params.get('variables')), extensions: json(params.get('extensions')) };
  }
  const body = (req.body ?? {}) as { query?: unknown; variables?: Record<string, unknown>; extensions?: unknown };
  return { query: body.query, variables: body.variables ?? undefined, extensions: body.extensions };
}

/**
 * Serves the gateway at `/graphql` with `/health/live` and `/health/ready`. Before Apollo sees a request: the body
 * size (413), batched arrays (400), the bearer token (401), the trusted-document list (400) and the operation
 * limits (400) — so a refused request never reaches a subgraph.
 */
export async function serveGateway(opts: ServeGatewayOptions): Promise<RunningServer> {
  const metrics = opts.metrics ?? new GatewayMetrics();
  const { apollo, gateway } = createGateway({ ...opts, metrics });
  let apiSchema: GraphQLSchema | null = null;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: loaded }) => {
    apiSchema = loaded;
  });
  await apollo.start();
  const app = express();
  app.disable('x-powered-by');
  // Every response carries the request id (the caller's, if sane); one JSON log line and one metric per request.
  app.use((req, res, next) => {
    const requestId = requestIdOf(req.headers['x-request-id']);
    res.locals.requestId = requestId;
    res.locals.metrics = metrics;
    res.setHeader('x-request-id', requestId);
    const started = performance.now();
    // Read now: inside app.use('/graphql') Express strips the mount path from req.path.
    const path = req.path;
    res.on('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      if (path === '/graphql') metrics.request(res.statusCode, seconds);
      const viewer = res.locals.viewer as Viewer | undefined;
      log.info({ requestId, method: req.method, path, status: res.statusCode, ms: Math.round(seconds * 1000), court: viewer?.court }, 'request');
    });
    next();
  });
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'live' });
  });
  // Ready while the supergraph is loaded: a failing subgraph makes the gateway degraded (it still answers with what
  // the others give), and readiness names it.
  app.get('/health/ready', async (_req, res) => {
    const checks = await Promise.all(
      Object.entries(opts.targets).map(async ([name, target]) => [name, await subgraphReady(target)] as const),
    );
    const failing = checks.filter(([, ok]) => !ok).map(([name]) => name);
    res.status(apiSchema ? 200 : 503).json({
      status: !apiSchema ? 'unavailable' : failing.length ? 'degraded' : 'ready',
      supergraph: apiSchema ? 'loaded' : 'missing',
      failing,
      subgraphs: Object.fromEntries(checks.map(([name, ok]) => [name, ok ? 'ready' : 'unavailable'])),
    });
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    try {
      res.locals.viewer = await verifyClient(header, opts.auth);
      res.locals.service = false;
      return next();
    } catch (err) {
      if (opts.serviceAuth) {
        try {
          res.locals.viewer = await verifyClient(header, opts.serviceAuth);
          res.locals.service = true;
          return next();
        } catch {
          // fall through to the client's refusal
        }
      }
      res.setHeader('www-authenticate', 'Bearer');
      return refuse(res, 401, 'UNAUTHENTICATED', err instanceof AuthError ? err.message : 'authentication failed');
    }
  };
  const screen = (req: Request, res: Response, next: NextFunction) => {
    if (Array.isArray(req.body)) return refuse(res, 400, 'BATCHING_NOT_ALLOWED', 'send one operation per request');
    const op = operationOf(req);
    // The product's own index pass (a service token the gateway signed) runs its read-only operations, not the
    // front-end's; it may not write (below).
    if (opts.trustedDocuments && !res.locals.service) {
      const body = opts.trustedDocuments.resolve(op.query, op.extensions);
      if (body === null) return refuse(res, 400, 'PERSISTED_QUERY_NOT_IN_LIST', 'this gateway accepts only registered operations (trusted documents)');
      if (req.method === 'GET') {
        // The Apollo integration reads the query string from req.url: rewrite it there.
        const [path, search] = req.url.split('?');
        const params = new URLSearchParams(search ?? '');
        params.set('query', body);
        params.delete('extensions');
        req.url = `${path}?${params.toString()}`;
      }
      else {
        // The registered body replaces whatever was sent; the hash has done its job and Apollo's own persisted
        // queries are off, so the extension goes.
        const { extensions: _hash, ...rest } = req.body as Record<string, unknown>;
        req.body = { ...rest, query: body };
      }
      op.query = body;
    }
    // The service token is exempt from the trusted-document list and the volume limits because it only reads: its
    // operation must come as text the gateway can see is a query.
    if (res.locals.service && typeof op.query !== 'string') return refuse(res, 400, 'BAD_REQUEST', 'a service token sends the operation text');
    if (typeof op.query === 'string') {
      try {
        const { writes } = checkOperation(op.query, op.variables, opts.limits, apiSchema, { enforceVolume: !res.locals.service });
        if (writes && res.locals.service) return refuse(res, 403, 'FORBIDDEN', 'a service token may only run queries');
      } catch (err) {
        if (err instanceof LimitError) return refuse(res, 400, 'OPERATION_LIMIT', err.message, { rule: err.rule });
        throw err;
      }
    }
    return next();
  };
  app.use(
    '/graphql',
    express.json({ limit: opts.maxBodyBytes }),
    (err: unknown, _req: Request, res: Response, next: NextFunction) => {
      const status = (err as { status?: number }).status;
      if (status === 413) return refuse(res, 413, 'PAYLOAD_TOO_LARGE', `the request body is larger than ${opts.maxBodyBytes} bytes`);
      if (status === 400) return refuse(res, 400, 'BAD_REQUEST', 'the request body is not valid JSON');
      return next(err);
    },
    authenticate,
    screen,
    expressMiddleware(apollo, { context: async ({ res }) => ({ viewer: res.locals.viewer as Viewer, requestId: res.locals.requestId as string }) }),
  );
  app.use(internalError);
  return listen(app, opts, () => apollo.stop());
}


async function subgraphReady(target: SubgraphTarget): Promise<boolean> {
  try {
    if ('module' in target) {
      await target.module.ping();
      return true;
    }
    const res = await fetch(target.url.replace(/\/graphql$/, '/health/ready'), { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}
