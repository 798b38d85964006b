import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway';
import type { Security } from '../security';
import { costModelOf } from '../limits';
import { useCourtAuthentication } from './authentication';
import { useOperationLimits } from './limits';
import { useSubgraphTokens } from './subgraphTokens';

export interface HiveGatewayOptions {
  /** The composed supergraph (schema/supergraph.graphql), with each subgraph's URL as it is to be called. */
  supergraphSdl: string;
  security: Pick<Security, 'client' | 'service' | 'signer' | 'limits' | 'production'>;
  /** Hive Gateway's own log level; the product's processes are quiet by default. */
  logging?: 'debug' | 'info' | 'warn' | 'error' | false;
}

export const HIVE_GRAPHQL_ENDPOINT = '/graphql';

/**
 * Hive Gateway's logger reads LOG_LEVEL from the environment whenever one is made, and throws on the product's pino
 * levels it lacks (`silent`, `fatal`; its message offers `false`, which 2.15 refuses too): as `disableApolloTelemetry`
 * does for Apollo, the product maps both to `error`, leaving every other value as it is. The gateway's own `logging`
 * option still decides what it logs.
 */
export function alignHiveLogLevel(env: NodeJS.ProcessEnv = process.env): void {
  if (env.LOG_LEVEL === 'silent' || env.LOG_LEVEL === 'fatal') env.LOG_LEVEL = 'error';
}

/**
 * The product's supergraph on Hive Gateway (ADR 21), with the product's edge as Hive plugins: the bearer-token check,
 * the operation limits and the per-subgraph token signing. Offline: no GraphiQL or landing page (both load scripts
 * from CDNs), no usage reporting, no schema registry or CDN (the supergraph is given as text), and no introspection
 * in production.
 */
export function createHiveGateway(opts: HiveGatewayOptions): GatewayRuntime {
  const { security } = opts;
  alignHiveLogLevel();
  return createGatewayRuntime({
    supergraph: () => opts.supergraphSdl,
    graphqlEndpoint: HIVE_GRAPHQL_ENDPOINT,
    graphiql: false,
    landingPage: false,
    logging: opts.logging ?? false,
    disableIntrospection: security.production ? { disableIf: () => true } : undefined,
    batching: false,
    plugins: () => [
      useCourtAuthentication({ auth: security.client, serviceAuth: security.service }, HIVE_GRAPHQL_ENDPOINT),
      useOperationLimits(security.limits, costModelOf(opts.supergraphSdl), HIVE_GRAPHQL_ENDPOINT),
      useSubgraphTokens(security.signer),
    ],
  });
}
