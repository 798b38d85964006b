import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type DocumentNode } from 'graphql';
import type { Config } from '../lib/config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The product's own subgraphs, in composition order: the port each listens on when run as its own process, and the
 * setting that points the gateway at one running elsewhere. `subgraphs/index.ts` opens each on a data directory.
 * Composition, the launcher, `start:subgraph`, codegen's checks and the tests take their subgraph list from here;
 * `npm run new-subgraph -- <name>` adds one (docs/new-subgraph.md).
 */
export const SUBGRAPHS = [
  { name: 'case-registry', defaultPort: 4001, urlSetting: 'CASE_REGISTRY_URL' },
  { name: 'property-control', defaultPort: 4002, urlSetting: 'PROPERTY_CONTROL_URL' },
  { name: 'personnel', defaultPort: 4003, urlSetting: 'PERSONNEL_URL' },
  { name: 'coordination', defaultPort: 4004, urlSetting: 'COORDINATION_URL' },
  // new-subgraph: entries above this line (scripts/newSubgraph.ts adds one, with its URL setting in lib/config.ts)
] as const satisfies readonly { name: string; defaultPort: number; urlSetting: keyof Config }[];
export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];
export type CataloguedSubgraph = (typeof SUBGRAPHS)[number];

export function cataloguedSubgraph(name: string): CataloguedSubgraph | undefined {
  return SUBGRAPHS.find((s) => s.name === name);
}

/** Where a subgraph listens when run on its own: the URL `npm run compose` records in the supergraph. */
export function defaultSubgraphUrl(subgraph: CataloguedSubgraph): string {
  return `http://localhost:${subgraph.defaultPort}/graphql`;
}

export function subgraphSdlPath(name: SubgraphName): string {
  return path.join(root, 'subgraphs', name, 'schema.graphql');
}

export function subgraphTypeDefs(name: SubgraphName): DocumentNode {
  return parse(readFileSync(subgraphSdlPath(name), 'utf8'));
}
