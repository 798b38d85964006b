import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type DocumentNode } from 'graphql';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The subgraphs of the graph, in composition order, with the default port each listens on when run on its own. */
export const SUBGRAPHS = [
  { name: 'case-registry', defaultPort: 4001 },
  { name: 'property-control', defaultPort: 4002 },
  { name: 'personnel', defaultPort: 4003 },
  { name: 'coordination', defaultPort: 4004 },
] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export function subgraphSdlPath(name: SubgraphName): string {
  return path.join(root, 'subgraphs', name, 'schema.graphql');
}

export function subgraphTypeDefs(name: SubgraphName): DocumentNode {
  return parse(readFileSync(subgraphSdlPath(name), 'utf8'));
}

export const SUPERGRAPH_PATH = path.join(root, 'schema', 'supergraph.graphql');
