import type { BaseContext } from '@apollo/server';
import { LocalGraphQLDataSource } from '@apollo/gateway';
import { createGateway, verifiedViewer, type GatewayContext } from '../../gateway/apollo';
import { readSupergraph } from '../../gateway/supergraph';
import { DEFAULT_SUPERGRAPH_PATH } from '../../lib/config';
import { buildSchema, type SubgraphModule } from '../../lib/subgraphServer';

/**
 * Executes a subgraph in the gateway's process. Each fetch gets the subgraph's own fresh context, as a request over
 * HTTP would, never the gateway's; the verified viewer is handed over directly, and the subgraph still enforces court
 * scope itself.
 */
export class InProcessDataSource extends LocalGraphQLDataSource {
  constructor(private readonly module: SubgraphModule<BaseContext>) {
    super(buildSchema(module));
  }

  override process(options: Parameters<LocalGraphQLDataSource['process']>[0]) {
    return super.process({ ...options, context: this.module.createContext(verifiedViewer(options.context as Partial<GatewayContext>)) });
  }
}

/** The product's gateway on the checked-in supergraph, with every subgraph executed in-process (no HTTP, no tokens). */
export function createInProcessGateway(modules: Record<string, SubgraphModule<BaseContext>>): ReturnType<typeof createGateway> {
  return createGateway({
    supergraphSdl: readSupergraph(DEFAULT_SUPERGRAPH_PATH),
    dataSource: ({ name }) => {
      const module = modules[name];
      if (!module) throw new Error(`no in-process module for subgraph "${name}"`);
      return new InProcessDataSource(module);
    },
  });
}
