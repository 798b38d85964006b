import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { CarrierGrantSigner } from '../../lib/carrierGrant';
import { identifierLookupsPerMinute } from '../../lib/config';
import { createDistinctKeyLimiter } from '../../lib/rateLimit';
import { storeWriteProblem } from '../../lib/sqlite';
import { todayOf, type SubgraphModule, type SubgraphOptions } from '../../lib/subgraphServer';
import { createCaseRegistryContext, type CaseRegistryContext } from './context';
import { resolvers } from './resolvers';
import type { CaseRegistrySource } from './sources/source';
import { openEmbeddedCaseRegistry } from './sources/workflowSqlite';
import type { TransferWorkflowStore } from './sources/workflowStore';

export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/** Builds the case-registry subgraph over a source adapter (the registry) and the product's transfer workflow store. */
export function caseRegistrySubgraph(
  source: CaseRegistrySource,
  workflow: TransferWorkflowStore,
  opts: SubgraphOptions = {},
): SubgraphModule<CaseRegistryContext> {
  const today = todayOf(opts);
  // Per process (so per replica), never per module: two graphs in one process keep their own counts.
  const identifierLookups = createDistinctKeyLimiter({ limit: identifierLookupsPerMinute(), windowMs: 60_000 });
  const carrierGrants = opts.carrierGrantKeys ? new CarrierGrantSigner(opts.carrierGrantKeys) : null;
  return {
    name: 'case-registry',
    typeDefs,
    resolvers,
    createContext: (viewer) => createCaseRegistryContext(source, workflow, today(), viewer, identifierLookups, carrierGrants),
    ping: () => source.ping(),
    close: async () => {
      await workflow.close();
      await source.close();
    },
  };
}

/** The shipped deployment: the registry's SQLite file, with the transfer workflow's tables beside the registry's. */
export function caseRegistryFromFile(file: string, opts: SubgraphOptions = {}): SubgraphModule<CaseRegistryContext> {
  const { registry, workflow } = openEmbeddedCaseRegistry(file, opts);
  return {
    ...caseRegistrySubgraph(registry, workflow, opts),
    // On PostgreSQL the writes run there (lib/writeTransaction.ts); a refusal of the server's is SOURCE_NOT_WRITABLE.
    writeProblem: () => (opts.postgres ? null : storeWriteProblem(file)),
  };
}
