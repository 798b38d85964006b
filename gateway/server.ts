import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { SubgraphTokenSigner } from '../lib/auth';
import { replicaUrls } from '../lib/config';
import { internalError, listen, type RunningServer } from '../lib/httpServer';
import { createGateway, type GatewayContext } from './apollo';
import { authenticate, type AuthenticationSettings } from './authenticate';
import { withoutSuggestions } from './clientErrors';
import { cors } from './cors';
import { edgeLocals } from './edge';
import { explorer, toExplorer } from './explorer';
import { healthRoutes } from './health';
import { enforceInputs } from './inputs';
import { costModelOf, enforceLimits, type OperationLimits } from './limits';
import { GatewayMetrics, countRequests, serveMetrics } from './metrics';
import { parseBody, refuseBatches, selectOperation } from './requestBody';
import { useRequestId } from './requestId';
import type { ResilienceSettings } from './resilience';
import { httpSubgraphs } from './subgraphTransport';
import { subgraphsOf } from './supergraph';
import { enforceTrustedDocuments, type TrustedDocuments } from './trustedDocuments';
import { DEFAULT_VIEWER_BUDGET, ViewerBudgets, demandOf, enforceViewerBudget } from './viewerBudget';

export interface ServeGatewayOptions extends AuthenticationSettings {
  port: number;
  host: string;
  /** How long closing waits for in-flight requests (SHUTDOWN_GRACE_MS). */
  shutdownGraceMs?: number;
  /** The composed supergraph SDL the gateway serves (SUPERGRAPH_PATH). */
  supergraphSdl: string;
  /**
   * Where to call subgraphs, by name, over the URLs the supergraph records (the *_URL settings, hosted subgraphs): one
   * URL, or several replicas of the subgraph (a list, or the setting's comma-separated text; ADR 24).
   */
  subgraphUrls?: Record<string, string | readonly string[]>;
  /** Signs each subgraph call's token. */
  signer: SubgraphTokenSigner;
  /** Production: no introspection, no field suggestions in errors. */
  production?: boolean;
  resilience?: ResilienceSettings;
  metrics?: GatewayMetrics;
  limits: OperationLimits;
  maxBodyBytes: number;
  trustedDocuments?: TrustedDocuments | null;
  /** Web origins a browser may call from (CORS_ORIGINS); none by default. */
  corsOrigins?: readonly string[];
  /** Serve the explorer at `/explorer/` (EXPLORER; gateway/explorer.ts), and send a browser asking for `/` there. */
  explorer?: boolean;
  /** Serve `/health/*` and `/metrics` here instead of on `port` (MONITORING_PORT, MONITORING_HOST). */
  monitoring?: { port: number; host: string };
}

export interface RunningGateway extends RunningServer {
  /** Where `/health/live`, `/health/ready` and `/metrics` are served: the gateway's own origin, or the monitoring port's. */
  monitoringUrl: string;
}

/**
 * Serves the gateway at `/graphql` with `/health/live`, `/health/ready` and `/metrics` (on the monitoring port instead,
 * when one is set). First CORS (an allowed origin's preflight is answered there, without a token); then, before Apollo
 * sees a request, in this order: the body size (413), the bearer token (401), batched arrays (400), the
 * trusted-document list (400), the operation limits (400), the choice of the one operation to run (400) and the viewer's budgets (429) — so a
 * refused request never reaches a subgraph. Each step is one file of gateway/.
 */
export async function serveGateway(opts: ServeGatewayOptions): Promise<RunningGateway> {
  const metrics = opts.metrics ?? new GatewayMetrics();
  const subgraphUrls = Object.fromEntries(
    subgraphsOf(opts.supergraphSdl).map(({ name, url }) => [name, replicaUrls(opts.subgraphUrls?.[name] ?? url)]),
  );
  const { apollo, gateway } = createGateway({
    supergraphSdl: opts.supergraphSdl,
    subgraphUrls,
    dataSource: httpSubgraphs({ signer: opts.signer, resilience: opts.resilience, metrics }),
    production: opts.production,
    metrics,
  });
  let loaded: GraphQLSchema | null = null;
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    loaded = apiSchema;
  });
  const apiSchema = () => loaded;
  if (opts.production) apollo.addPlugin(withoutSuggestions());
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  // No ETag on answers: a GraphQL POST is never revalidated, and hashing each body (megabytes for a walk) costs CPU.
  app.set('etag', false);
  app.use(cors(opts.corsOrigins ?? []));
  app.use(useRequestId(), countRequests(metrics, '/graphql'));
  const monitoring = express.Router();
  monitoring.use(healthRoutes(subgraphUrls, apiSchema));
  monitoring.get('/metrics', serveMetrics(metrics));
  if (!opts.monitoring) app.use(monitoring);
  if (opts.explorer) {
    app.use(toExplorer());
    app.use('/explorer', explorer({ apollo, authenticate: authenticate(opts), trustedDocuments: opts.trustedDocuments }));
  }
  app.use(
    '/graphql',
    ...parseBody(opts.maxBodyBytes),
    authenticate(opts),
    refuseBatches(),
    enforceTrustedDocuments(opts.trustedDocuments),
    enforceLimits(opts.limits, apiSchema, costModelOf(opts.supergraphSdl)),
    enforceInputs(apiSchema),
    selectOperation(opts.limits.maxTokens),
    enforceViewerBudget(new ViewerBudgets(opts.limits.viewerBudget ?? DEFAULT_VIEWER_BUDGET)),
    shareBodyBytes(),
    expressMiddleware(apollo, {
      context: async ({ res }): Promise<GatewayContext> => ({
        viewer: edgeLocals(res).viewer!,
        requestId: edgeLocals(res).requestId,
        outcome: edgeLocals(res),
        ...demandOf(res),
      }),
    }),
  );
  app.use(internalError);
  return listenWithMonitoring(app, monitoring, opts, () => apollo.stop());
}

/** Bodies at least this long have their bytes shared by the requests answered with the same text. */
const SHARED_BODY_CHARS = 64 * 1024;

/**
 * Requests answered with one body text (those sharing one execution: gateway/apollo.ts `serialiseResult` hands each
 * the same string) are sent the same bytes, encoded once, instead of each its own copy (express encodes a string body
 * for every response: 1.5 MB per 20-debtor walk at 1,000,000 cases). The last large body's bytes are kept until the
 * next one, so the gateway holds at most one such body beyond those it is sending.
 */
function shareBodyBytes(): express.RequestHandler {
  let last: { text: string; bytes: Buffer } | null = null;
  return (_req, res, next) => {
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      // Apollo Server's integration sets the content type (application/json; charset=utf-8) before sending.
      if (typeof body !== 'string' || body.length < SHARED_BODY_CHARS || !res.get('content-type')) return send(body);
      if (last?.text !== body) last = { text: body, bytes: Buffer.from(body, 'utf8') };
      return send(last.bytes);
    };
    next();
  };
}

/**
 * Listens on `port`, and on the monitoring port when one is set (its own server: the monitoring network reaches
 * health and metrics there, and nothing else). Closing closes both; failing to listen on either closes both too.
 */
async function listenWithMonitoring(
  app: express.Express,
  monitoring: express.Router,
  opts: Pick<ServeGatewayOptions, 'port' | 'host' | 'shutdownGraceMs' | 'monitoring'>,
  onClose: () => Promise<void>,
): Promise<RunningGateway> {
  const origin = (url: string) => url.replace(/\/graphql$/, '');
  let main: RunningServer;
  try {
    main = await listen(app, opts, onClose);
  } catch (err) {
    await onClose();
    throw err;
  }
  if (!opts.monitoring) return { ...main, monitoringUrl: origin(main.url) };
  const monitor = express();
  monitor.disable('x-powered-by');
  monitor.use(monitoring);
  let side: RunningServer;
  try {
    side = await listen(monitor, { ...opts.monitoring, shutdownGraceMs: opts.shutdownGraceMs }, async () => {});
  } catch (err) {
    await main.close();
    throw err;
  }
  return {
    ...main,
    monitoringUrl: origin(side.url),
    close: async () => {
      await Promise.all([main.close(), side.close()]);
    },
  };
}
