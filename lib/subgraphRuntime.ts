import type { BaseContext } from '@apollo/server';
import type { SubgraphRuntime } from './config';
import { serveSubgraph, type RunningServer, type ServeOptions, type SubgraphModule } from './subgraphServer';

/**
 * Serves a subgraph module on the runtime SUBGRAPH_RUNTIME names: Mercurius on Fastify (default, ADR 27) or Apollo
 * Server on Express. Mercurius is loaded only when asked for, so an Apollo process never loads Fastify.
 */
export async function serveSubgraphOn<Ctx extends BaseContext>(
  runtime: SubgraphRuntime,
  module: SubgraphModule<Ctx>,
  opts: ServeOptions,
): Promise<RunningServer> {
  if (runtime === 'mercurius') return (await import('./mercuriusServer')).serveSubgraphOnMercurius(module, opts);
  return serveSubgraph(module, opts);
}
