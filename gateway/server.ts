import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, LocalGraphQLDataSource, RemoteGraphQLDataSource, type GraphQLDataSource } from '@apollo/gateway';
import { expressMiddleware } from '@as-integrations/express5';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../domain/errors';
import express from 'express';
import type { BaseContext } from '@apollo/server';
import { buildSchema, listen, type RunningServer, type SubgraphModule } from '../lib/subgraphServer';
import { SUPERGRAPH_PATH, type SubgraphName } from './subgraphs';

/** How the gateway reaches one subgraph: over HTTP at a URL, or in-process (tests only). */
export type SubgraphTarget = { url: string } | { module: SubgraphModule<BaseContext> };

export interface GatewayOptions {
  targets: Record<SubgraphName, SubgraphTarget>;
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
    supergraphSdl: readSupergraph(),
    buildService: ({ name }): GraphQLDataSource => {
      const target = opts.targets[name as SubgraphName];
      if (!target) throw new Error(`no target configured for subgraph "${name}"`);
      if ('module' in target) return new InProcessDataSource(target.module);
      return new SubgraphDataSource(name, target.url);
    },
  });
  const apollo = new ApolloServer({
    gateway,
    includeStacktraceInErrorResponses: false,
    formatError: clientError,
    // The default landing page loads Apollo Sandbox from a CDN; court networks are isolated.
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  return { apollo, gateway };
}

/** Extensions a client may see; anything else (subgraph URLs, response bodies, stack traces) stays inside. */
const CLIENT_EXTENSIONS = ['code', 'field', 'rule', 'serviceName'];

export function clientError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = Object.fromEntries(Object.entries(formatted.extensions ?? {}).filter(([k]) => CLIENT_EXTENSIONS.includes(k)));
  return { ...formatted, extensions };
}

/**
 * Calls a subgraph over HTTP. A subgraph that refuses a request with a GraphQL error (a 400 for input the gateway
 * could not check, such as a custom scalar's literal) has that error passed on with its own code, never as an
 * opaque HTTP failure; malformed input is the client's, so a validation failure becomes BAD_USER_INPUT.
 */
class SubgraphDataSource extends RemoteGraphQLDataSource {
  constructor(
    private readonly subgraphName: string,
    url: string,
  ) {
    super({ url });
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
      return new GraphQLError(first.message, { extensions: { ...first.extensions, code, serviceName: this.subgraphName } });
    }
    return new GraphQLError(`subgraph ${this.subgraphName} failed (HTTP ${response.status})`, {
      extensions: { code: ErrorCode.SOURCE_UNAVAILABLE, serviceName: this.subgraphName },
    });
  }
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
