import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import type { Viewer } from '../lib/auth';
import { noPhoneHomePlugins } from '../lib/httpServer';
import { clientError } from './clientErrors';
import { installResultShaping } from './resultShaping';
import { InflightFetches, operationKey } from './inflightDedup';
import type { GatewayMetrics } from './metrics';
import { replicaUrls } from '../lib/config';
import type { SupergraphSubgraph } from './supergraph';

/** The gateway's per-request context: the verified viewer, never anything a client asserted. */
export interface GatewayContext extends BaseContext {
  viewer: Viewer;
  /** The request id the gateway returns to the client and passes to every subgraph. */
  requestId?: string;
  /** Where the request's operation name and error codes are written for its log line and span (the edge's locals). */
  outcome?: { operationName?: string; errorCodes?: string[] };
}

/**
 * Reads each response's error codes once: counts them in the metrics (errors by code) and records them, with the
 * operation name, on the request's outcome (its log line and trace span). The edge's own refusals count themselves
 * (gateway/edge.ts).
 */
function recordOutcome(metrics: GatewayMetrics | undefined): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operationName, request, response }) {
          const codes =
            response.body.kind === 'single'
              ? (response.body.singleResult.errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'))
              : [];
          for (const code of codes) metrics?.error(code);
          if (!contextValue.outcome) return;
          contextValue.outcome.operationName = operationName ?? request.operationName ?? undefined;
          if (codes.length) contextValue.outcome.errorCodes = [...new Set(codes)];
        },
      };
    },
  };
}

/**
 * The viewer a subgraph call acts for. Every operation reaches the gateway through client or service
 * authentication, so a call without one is a bug: it fails closed rather than act for the whole province.
 */
export function verifiedViewer(context: Partial<GatewayContext>): Viewer {
  if (!context.viewer) throw new Error('a subgraph call without a verified viewer');
  return context.viewer;
}

/**
 * @apollo/gateway's built-in telemetry (utilities/opentelemetry.ts, `createDataCollectionExporter`) is on unless
 * APOLLO_TELEMETRY_DISABLED is set when an ApolloGateway is constructed: its OpenTelemetry resource detectors probe
 * cloud metadata addresses (169.254.169.254, 100.100.100.200, metadata.google.internal: the gcp-metadata
 * `MetadataLookupWarning`) at start, and its meter provider exports to usage-reporting.api.apollographql.com at
 * shutdown. That variable is the library's only switch, so the product sets it, overriding the environment.
 */
export function disableApolloTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
}

/**
 * Identical client queries executing at once for the same viewer scope, executed once (issue 18, ADR 28): a query whose
 * operation key (gateway/inflightDedup.ts: scope key, operation text, name and variables) equals one being executed
 * waits for that execution's result and is answered with it. Such requests would plan the same fetches and share every
 * one of them in flight anyway (ADR 25); sharing the whole execution also spares each its own copy of every answer,
 * its own merging and its own shaping of the result, the gateway's memory and CPU under a burst of one query. The result
 * is shared as it is: Apollo Server only reads it (it formats each request's errors into new objects and serialises
 * the data), and nothing merges into it after the execution ends. Each request is still authenticated, limited,
 * budgeted, logged and answered on its own; only the work between the plan and the result is shared. Mutations never.
 * The subgraph fetches of a shared execution are sent under the first request's context (its request id and demand).
 */
function shareIdenticalQueries(gateway: ApolloGateway, metrics: GatewayMetrics | undefined): void {
  const executing = new InflightFetches<Awaited<ReturnType<ApolloGateway['executor']>>>();
  const execute = gateway.executor;
  gateway.executor = (requestContext) => {
    if (requestContext.operation.operation !== 'query') return execute(requestContext);
    const key = operationKey(verifiedViewer(requestContext.context as Partial<GatewayContext>), {
      queryHash: requestContext.queryHash,
      operationName: requestContext.request.operationName,
      variables: requestContext.request.variables,
    });
    return executing.run(
      key,
      () => execute(requestContext),
      () => metrics?.sharedOperation(),
    );
  };
}

/** The response body of each result with only `data`, while that `data` lives: written once for every request sharing it. */
const bodies = new WeakMap<object, string>();

/**
 * A response body as Apollo Server writes it (`JSON.stringify` of the result, then a newline). A result with only
 * `data` (the common answer) has its body remembered by that `data` object: requests sharing one execution
 * (shareIdenticalQueries) are answered with the one text instead of each serialising its own copy. Nothing changes
 * `data` once the execution has ended, so each body is the text the request would have written.
 */
export function serialiseResult(result: FormattedExecutionResult): string {
  const { data } = result;
  const onlyData = data !== null && data !== undefined && Object.entries(result).every(([k, v]) => k === 'data' || v === undefined);
  if (!onlyData) return `${JSON.stringify(result)}\n`;
  let body = bodies.get(data);
  if (body === undefined) {
    body = `${JSON.stringify({ data })}\n`;
    bodies.set(data, body);
  }
  return body;
}

/**
 * How the gateway reaches one subgraph of the supergraph, at the URLs it is to use (`url` the first; `replicas` every
 * one, in order: several processes of the subgraph, ADR 24): over HTTP in production.
 */
export type SubgraphDataSourceFactory = (subgraph: SupergraphSubgraph & { replicas: readonly string[] }) => GraphQLDataSource;

export interface GatewayOptions {
  /** The composed supergraph SDL: its `join__graph` entries are the subgraphs the gateway calls. */
  supergraphSdl: string;
  /**
   * Where each subgraph is reached, by name: one URL or its replicas' (a list, or the comma-separated text of its
   * `<NAME>_URL`); a subgraph not named here is called at its supergraph URL.
   */
  subgraphUrls?: Record<string, string | readonly string[]>;
  dataSource: SubgraphDataSourceFactory;
  /** Production: no introspection, no field suggestions in errors. */
  production?: boolean;
  metrics?: GatewayMetrics;
}

/**
 * The federation gateway (Apollo Gateway under Apollo Server) on one supergraph. Each subgraph the supergraph lists
 * is reached through the injected data-source factory, at the URL configuration gives it or else the supergraph's.
 */
export function createGateway(opts: GatewayOptions): { apollo: ApolloServer<GatewayContext>; gateway: ApolloGateway } {
  disableApolloTelemetry();
  installResultShaping();
  const gateway = new ApolloGateway({
    supergraphSdl: opts.supergraphSdl,
    // The supergraph is composed and validated by `npm run compose` (test/gateway/supergraph-valid.test.ts checks the
    // committed one): not validated again at every start, as Apollo Gateway already skips it under
    // NODE_ENV=production (~0.3 s of CPU before the first answer, issue 18).
    validateSupergraph: false,
    buildService: ({ name, url }) => {
      const replicas = replicaUrls(opts.subgraphUrls?.[name] ?? url ?? '');
      return opts.dataSource({ name, url: replicas[0] ?? '', replicas });
    },
  });
  shareIdenticalQueries(gateway, opts.metrics);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    formatError: clientError,
    introspection: !opts.production,
    hideSchemaDetailsFromClientErrors: opts.production ?? false,
    stringifyResult: serialiseResult,
    // Automatic persisted queries would let any client register any operation; trusted documents replace them.
    persistedQueries: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // The product owns SIGTERM (lib/shutdown.ts): Apollo's own handler would stop the server under in-flight requests
    // and re-send the signal, which kills the process before they finish.
    stopOnTerminationSignals: false,
    // Court networks are isolated: no CDN landing page, no usage or schema reporting (lib/httpServer.ts).
    plugins: [...noPhoneHomePlugins(), recordOutcome(opts.metrics)],
  });
  return { apollo, gateway };
}
