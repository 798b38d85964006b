import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { CarrierGrantVerifier } from '../../lib/carrierGrant';
import { storeWriteProblem } from '../../lib/sqlite';
import { todayOf, type SubgraphModule, type SubgraphOptions } from '../../lib/subgraphServer';
import { createPropertyControlContext, type PropertyControlContext } from './context';
import { resolvers } from './resolvers';
import { openEmbeddedPropertyControl } from './sources/sqlite';
import type { PropertyControlSource } from './sources/source';
import type { PropertyControlWorkflow } from './sources/workflow';

export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/** Builds the property-control subgraph over a source adapter and the product's bookkeeping around its writes. */
export function propertyControlSubgraph(
  source: PropertyControlSource,
  workflow: PropertyControlWorkflow,
  opts: SubgraphOptions = {},
): SubgraphModule<PropertyControlContext> {
  const today = todayOf(opts);
  const carrierGrants = opts.carrierGrantKeys ? new CarrierGrantVerifier(opts.carrierGrantKeys) : null;
  return {
    name: 'property-control',
    typeDefs,
    resolvers,
    createContext: (viewer) => createPropertyControlContext(source, workflow, today(), viewer, carrierGrants),
    ping: () => source.ping(),
    close: async () => {
      await workflow.close();
      await source.close();
    },
  };
}

/** The shipped deployment: the property-control system's SQLite file. */
export function propertyControlFromFile(file: string, opts: SubgraphOptions = {}): SubgraphModule<PropertyControlContext> {
  const { source, workflow } = openEmbeddedPropertyControl(file, opts);
  return {
    ...propertyControlSubgraph(source, workflow, opts),
    // On PostgreSQL the writes run there (lib/writeTransaction.ts); a refusal of the server's is SOURCE_NOT_WRITABLE.
    writeProblem: () => (opts.postgres ? null : storeWriteProblem(file)),
  };
}
