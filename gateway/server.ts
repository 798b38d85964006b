import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { SubgraphTokenSigner } from '../lib/auth';
import { internalError, listen, type RunningServer } from '../lib/subgraphServer';
import { createGateway, type GatewayContext } from './apollo';
import { authenticate, type AuthenticationSettings } from './authenticate';
import { edgeLocals } from './edge';
import { healthRoutes } from './health';
import { costModelOf, enforceLimits, type OperationLimits } from './limits';
import { GatewayMetrics, countRequests, serveMetrics } from './metrics';
import { parseBody, refuseBatches } from './requestBody';
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
  /** Where to call subgraphs, by name, over the URLs the supergraph records (the *_URL settings, hosted subgraphs). */
  subgraphUrls?: Record<string, string>;
  /** Signs each subgraph call's token. */
  signer: SubgraphTokenSigner;
  /** Production: no introspection, no field suggestions in errors. */
  production?: boolean;
  resilience?: ResilienceSettings;
  metrics?: GatewayMetrics;
  limits: OperationLimits;
  maxBodyBytes: number;
  trustedDocuments?: TrustedDocuments | null;
}

/**
 * Serves the gateway at `/graphql` with `/health/live`, `/health/ready` and `/metrics`. Before Apollo sees a request,
 * in this order: the body size (413), the bearer token (401), batched arrays (400), the trusted-document list (400),
 * the operation limits (400) and the viewer's budgets (429) — so a refused request never reaches a subgraph. Each
 * step is one file of gateway/.
 */
export async function serveGateway(opts: ServeGatewayOptions): Promise<RunningServer> {
  const metrics = opts.metrics ?? new GatewayMetrics();
  const subgraphUrls = Object.fromEntries(subgraphsOf(opts.supergraphSdl).map(({ name, url }) => [name, opts.subgraphUrls?.[name] ?? url]));
  const { apollo, gateway } = createGateway({
    supergraphSdl: opts.supergraphSdl,
    subgraphUrls,
    dataSource: httpSubgraphs({
      signer: opts.signer,
      resilience: opts.resilience,
      mutationTimeoutMs: opts.limits.mutationTimeoutMs,
      metrics,
    }),
    production: opts.production,
    metrics,
  });
  let loaded: GraphQLSchema | null = null;
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    loaded = apiSchema;
  });
  const apiSchema = () => loaded;
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.use(useRequestId(), countRequests(metrics, '/graphql'));
  app.use(healthRoutes(subgraphUrls, apiSchema));
  app.get('/metrics', serveMetrics(metrics));
  app.use(
    '/graphql',
    ...parseBody(opts.maxBodyBytes),
    authenticate(opts),
    refuseBatches(),
    enforceTrustedDocuments(opts.trustedDocuments),
    enforceLimits(opts.limits, apiSchema, costModelOf(opts.supergraphSdl)),
    enforceViewerBudget(new ViewerBudgets(opts.limits.viewerBudget ?? DEFAULT_VIEWER_BUDGET)),
    expressMiddleware(apollo, {
      context: async ({ res }): Promise<GatewayContext> => ({
        viewer: edgeLocals(res).viewer!,
        requestId: edgeLocals(res).requestId,
        ...demandOf(res),
      }),
    }),
  );
  app.use(internalError);
  return listen(app, opts, () => apollo.stop());
}
