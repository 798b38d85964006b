import { composeServices } from '@apollo/composition';
import type { DocumentNode } from 'graphql';
import { SUBGRAPHS, defaultSubgraphUrl, subgraphTypeDefs } from '../subgraphs/catalogue';

export class CompositionFailed extends Error {
  constructor(readonly errors: readonly Error[]) {
    super(`supergraph composition failed with ${errors.length} error(s):\n${errors.map((e) => `  - ${e.message}`).join('\n')}`);
    this.name = 'CompositionFailed';
  }
}

export interface SubgraphDefinition {
  name: string;
  url: string;
  typeDefs: DocumentNode;
}

/** The product's subgraphs with the default URLs they listen on as separate processes. */
export function productSubgraphs(): SubgraphDefinition[] {
  return SUBGRAPHS.map((s) => ({ name: s.name, url: defaultSubgraphUrl(s), typeDefs: subgraphTypeDefs(s.name) }));
}

/**
 * Composes subgraph SDL into the supergraph and fails with every composition error, not just the first.
 * The URLs recorded are defaults; the launcher re-points each subgraph from its configuration at start-up.
 */
export function composeSupergraph(subgraphs: SubgraphDefinition[] = productSubgraphs()): string {
  const result = composeServices(subgraphs);
  if (result.errors && result.errors.length > 0) throw new CompositionFailed(result.errors);
  if (!result.supergraphSdl) throw new CompositionFailed([new Error('composition produced no supergraph')]);
  return result.supergraphSdl;
}
