import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import type { Viewer } from '../lib/auth';
import { clientError } from './clientErrors';
import { countErrors, type GatewayMetrics } from './metrics';
import type { SupergraphSubgraph } from './supergraph';

/** The gateway's per-request context: the verified viewer, never anything a client asserted. */
export interface GatewayContext extends BaseContext {
  viewer: Viewer;
  /** The request id the gateway returns to the client and passes to every subgraph. */
  requestId?: string;
}

/**
 * The viewer a subgraph call acts for. Every operation reaches the gateway through client or service
 * authentication, so a call without one is a bug: it fails closed rather than act for the whole province.
 */
export function verifiedViewer(context: Partial<GatewayContext>): Viewer {
  if (!context.viewer) throw new Error('a subgraph call without a verified viewer');
  return context.viewer;
}

/** How the gateway reaches one subgraph of the supergraph (at the URL it is to use): over HTTP in production. */
export type SubgraphDataSourceFactory = (subgraph: SupergraphSubgraph) => GraphQLDataSource;

export interface GatewayOptions {
  /** The composed supergraph SDL: its `join__graph` entries are the subgraphs the gateway calls. */
  supergraphSdl: string;
  /** Where each subgraph is reached, by name; a subgraph not named here is called at its supergraph URL. */
  subgraphUrls?: Record<string, string>;
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
  const gateway = new ApolloGateway({
    supergraphSdl: opts.supergraphSdl,
    buildService: ({ name, url }) => opts.dataSource({ name, url: opts.subgraphUrls?.[name] ?? url ?? '' }),
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
    plugins: [ApolloServerPluginLandingPageDisabled(), ...(opts.metrics ? [countErrors(opts.metrics)] : [])],
  });
  return { apollo, gateway };
}
