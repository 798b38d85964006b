import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, LocalGraphQLDataSource, RemoteGraphQLDataSource, type GraphQLDataSource } from '@apollo/gateway';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { BaseContext } from '@apollo/server';
import { buildSchema, listen, type RunningServer, type SubgraphModule } from '../lib/subgraphServer';
import { SUPERGRAPH_PATH, type SubgraphName } from './subgraphs';

/** How the gateway reaches one subgraph: over HTTP at a URL, or in-process (tests only). */
export type SubgraphTarget = { url: string } | { module: SubgraphModule<BaseContext> };

export interface GatewayOptions {
  targets: Record<SubgraphName, SubgraphTarget>;
  supergraphSdl?: string;
  introspection?: boolean;
}

export function readSupergraph(): string {
  return readFileSync(SUPERGRAPH_PATH, 'utf8');
}

/**
 * The federation gateway on the checked-in supergraph. Subgraph URLs in the supergraph are defaults; each
 * subgraph is re-pointed here from configuration, so the same supergraph serves every deployment.
 */
export function createGateway(opts: GatewayOptions): { apollo: ApolloServer; gateway: ApolloGateway } {
  const gateway = new ApolloGateway({
    supergraphSdl: opts.supergraphSdl ?? readSupergraph(),
    buildService: ({ name }): GraphQLDataSource => {
      const target = opts.targets[name as SubgraphName];
      if (!target) throw new Error(`no target configured for subgraph "${name}"`);
      if ('module' in target) return new InProcessDataSource(target.module);
      return new RemoteGraphQLDataSource({ url: target.url });
    },
  });
  const apollo = new ApolloServer({
    gateway,
    introspection: opts.introspection ?? true,
    includeStacktraceInErrorResponses: false,
    // The default landing page loads Apollo Sandbox from a CDN; court networks are isolated.
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  return { apollo, gateway };
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
    return super.process({ ...options, context: this.module.createContext() });
  }
}

export interface ServeGatewayOptions extends GatewayOptions {
  port: number;
  host: string;
}

/** Serves the gateway at `/graphql` with `/health/live` and `/health/ready`. */
export async function serveGateway(opts: ServeGatewayOptions): Promise<RunningServer> {
  const { apollo } = createGateway(opts);
  await apollo.start();
  const app = express();
  app.disable('x-powered-by');
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'live' });
  });
  app.get('/health/ready', async (_req, res) => {
    const checks = await Promise.all(
      Object.entries(opts.targets).map(async ([name, target]) => [name, await subgraphReady(target)] as const),
    );
    const failing = checks.filter(([, ok]) => !ok).map(([name]) => name);
    res.status(failing.length ? 503 : 200).json({
      status: failing.length ? 'degraded' : 'ready',
      supergraph: 'loaded',
      subgraphs: Object.fromEntries(checks.map(([name, ok]) => [name, ok ? 'ready' : 'unavailable'])),
    });
  });
  app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(apollo));
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
