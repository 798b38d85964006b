import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { todayOf, type SubgraphModule, type SubgraphOptions } from '../../lib/subgraphServer';
import { createCaseRegistryContext, type CaseRegistryContext } from './context';
import { resolvers } from './resolvers';
import { openCaseRegistrySqlite } from './sources/sqlite';
import type { CaseRegistrySource } from './sources/source';

export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/** Builds the case-registry subgraph over a source adapter. */
export function caseRegistrySubgraph(source: CaseRegistrySource, opts: SubgraphOptions = {}): SubgraphModule<CaseRegistryContext> {
  const today = todayOf(opts);
  return {
    name: 'case-registry',
    typeDefs,
    resolvers,
    createContext: (viewer) => createCaseRegistryContext(source, today(), viewer),
    ping: () => source.ping(),
    close: () => source.close(),
  };
}

/** The shipped deployment: the registry's SQLite file. */
export function caseRegistryFromFile(file: string, opts: SubgraphOptions = {}): SubgraphModule<CaseRegistryContext> {
  return caseRegistrySubgraph(openCaseRegistrySqlite(file, opts), opts);
}
