import type { CarrierGrantKeys } from './carrierGrant';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import express from 'express';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { toIsoDate } from '../domain/dates';
import type { JWTVerifyGetKey } from 'jose';
import { AuthError, gatewayTokenVerifier, type Viewer } from './auth';
import { log, requestIdOf } from './log';
import { translateErrors } from './graphqlErrors';
import { serverSpan, tracingActive } from './tracing';
import type { OpenOptions } from './sqlite';
import { internalError, listen, noPhoneHomePlugins, type RunningServer } from './httpServer';

export { DEFAULT_SHUTDOWN_GRACE_MS, internalError, listen, noPhoneHomePlugins, type RunningServer } from './httpServer';

/**
 * A framework-neutral subgraph module: its SDL, resolvers, a per-request context factory and a readiness probe
 * on its source. `serveSubgraph` runs it on Apollo Server over HTTP.
 */
export interface SubgraphModule<Ctx extends BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: unknown;
  /** A fresh context for one request, for the viewer the gateway vouched for. */
  createContext: (viewer: Viewer) => Ctx;
  ping: () => Promise<void>;
  /**
   * Why the subgraph's store cannot take a write (a read-only file or data directory), or null when it can; readiness
   * reports it. Absent for a subgraph that does not write.
   */
  writeProblem?: () => string | null;
  close: () => Promise<void>;
}

/** Failures tests inject on purpose to prove a write rolls back whole. Never set in production. */
export interface InjectedFaults {
  /** The registry's decideTransfer throws after writing this many moved cases. */
  failAfterMovedCases?: number;
}

export interface SubgraphOptions extends OpenOptions {
  faults?: InjectedFaults;
  /** The day the graph reasons about (ISO date), e.g. for measure status; today's UTC date when absent. */
  today?: () => string;
  /**
   * The case registry's carrier-grant keys (ADR 14): the registry signs with the private key, property-control
   * verifies with the JWKS. Absent, the registry issues no grants and property-control accepts none.
   */
  carrierGrantKeys?: CarrierGrantKeys;
}

export function todayOf(opts: SubgraphOptions): () => string {
  return opts.today ?? (() => toIsoDate(new Date()));
}

/**
 * The subgraph's executable schema. Its resolvers are wrapped once so that a catalogued error (domain/errorCatalogue)
 * they throw becomes a GraphQL error with its code, field and rule: the one translation point, shared by Apollo
 * Server over HTTP and by in-process execution.
 */
export function buildSchema(module: Pick<SubgraphModule<BaseContext>, 'typeDefs' | 'resolvers'>): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: module.typeDefs, resolvers: translateErrors(module.resolvers as GraphQLResolverMap<unknown>) });
}

export interface ServeOptions {
  port: number;
  host: string;
  /** The gateway's public keys: every request (`_service` and `_entities` included) must carry its token. */
  gatewayKeys: JWTVerifyGetKey;
  /** How long closing waits for in-flight requests (SHUTDOWN_GRACE_MS). */
  shutdownGraceMs?: number;
}

/** Serves a subgraph at `/graphql`, with `/health/live` and `/health/ready`, and resolves once it listens. */
export async function serveSubgraph<Ctx extends BaseContext>(module: SubgraphModule<Ctx>, opts: ServeOptions): Promise<RunningServer> {
  const apollo = new ApolloServer<Ctx>({
    schema: buildSchema(module),
    includeStacktraceInErrorResponses: false,
    // The product owns SIGTERM (lib/shutdown.ts, `listen` below): Apollo's own handler would stop the server under
    // in-flight requests and re-send the signal.
    stopOnTerminationSignals: false,
    // Inline traces would hand resolver timings to any caller that asks for them. Cache hints: nothing reads them (the
    // gateway caches no subgraph answer), and their per-field hook was the one thing that wrapped every resolver of the
    // schema (~5% of a subgraph's CPU on the heavy walks, issue 18).
    plugins: [...noPhoneHomePlugins(), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()],
  });
  await apollo.start();
  const app = express();
  app.disable('x-powered-by');
  // One JSON log line per request, under the request id the gateway passed on.
  app.use((req, res, next) => {
    const requestId = requestIdOf(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    const started = performance.now();
    const path = req.path;
    const span = tracingActive()
      ? serverSpan(`${module.name} ${req.method} ${path}`, req.headers, subgraphSpanAttributes(module.name, requestId))
      : null;
    res.on('finish', () => {
      log.info(
        { requestId, subgraph: module.name, method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) },
        'request',
      );
      span?.end(res.statusCode);
    });
    if (span) span.run(next);
    else next();
  });
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'live', subgraph: module.name });
  });
  const ready = readinessProbe(module);
  app.get('/health/ready', async (_req, res) => {
    const { status, body } = await ready();
    res.status(status).json(body);
  });
  // Subgraphs answer the gateway, whose entity fetches for a large query can carry tens of thousands of
  // representations; client-facing body limits belong to the gateway.
  // Only the gateway may call a subgraph: a request without a valid gateway token for this subgraph gets nothing.
  // Each token is verified once and remembered until it expires (lib/auth.ts, issue 18).
  const gatewayTokens = gatewayTokenVerifier(opts.gatewayKeys, module.name);
  app.use('/graphql', async (req, res, next) => {
    try {
      res.locals.viewer = await gatewayTokens.verify(req.headers.authorization);
      next();
    } catch (err) {
      res.setHeader('www-authenticate', 'Bearer');
      res.status(401).json(unauthenticatedBody(err));
    }
  });
  app.use(
    '/graphql',
    express.json({ limit: '64mb' }),
    expressMiddleware(apollo, { context: async ({ res }) => module.createContext(res.locals.viewer as Viewer) }),
  );
  app.use(internalError);
  return listen(app, opts, async () => {
    await apollo.stop();
    await module.close();
  });
}

/** A subgraph request span's attributes: which subgraph, and the gateway's request id. */
export function subgraphSpanAttributes(subgraph: string, requestId: string) {
  return { 'court_graph.component': subgraph, 'court_graph.request_id': requestId };
}

/** The answer to a subgraph request without a valid gateway token (401, whichever runtime serves the subgraph). */
export function unauthenticatedBody(err: unknown) {
  return {
    errors: [{ message: err instanceof AuthError ? err.message : 'authentication failed', extensions: { code: 'UNAUTHENTICATED' } }],
  };
}

/**
 * `/health/ready` of a subgraph, for either runtime. A store that answers reads but cannot write is not ready:
 * mutations would be refused (SOURCE_NOT_WRITABLE). The reason names no path (health is unauthenticated); the log
 * line, once per change, does.
 */
export function readinessProbe(module: Pick<SubgraphModule<BaseContext>, 'name' | 'ping' | 'writeProblem'>) {
  let reportedProblem: string | null = null;
  return async (): Promise<{ status: number; body: Record<string, string> }> => {
    const problem = module.writeProblem?.() ?? null;
    if (problem !== reportedProblem) {
      if (problem) log.error({ subgraph: module.name, problem }, 'store cannot be written');
      else log.info({ subgraph: module.name }, 'store can be written again');
      reportedProblem = problem;
    }
    if (problem) return { status: 503, body: { status: 'read-only', subgraph: module.name, reason: 'its database cannot be written' } };
    try {
      await module.ping();
      return { status: 200, body: { status: 'ready', subgraph: module.name } };
    } catch {
      return { status: 503, body: { status: 'unavailable', subgraph: module.name, reason: 'database does not answer' } };
    }
  };
}
