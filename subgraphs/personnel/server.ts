import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { todayOf, type SubgraphModule, type SubgraphOptions } from '../../lib/subgraphServer';
import { createPersonnelContext, type PersonnelContext } from './context';
import { resolvers } from './resolvers';
import { openPersonnelSqlite } from './sources/sqlite';
import type { PersonnelSource } from './sources/source';

export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/** Builds the personnel subgraph over a source adapter. */
export function personnelSubgraph(source: PersonnelSource, opts: SubgraphOptions = {}): SubgraphModule<PersonnelContext> {
  const today = todayOf(opts);
  return {
    name: 'personnel',
    typeDefs,
    resolvers,
    createContext: () => createPersonnelContext(source, today()),
    ping: () => source.ping(),
    close: () => source.close(),
  };
}

/** The shipped deployment: the roster's SQLite file. */
export function personnelFromFile(file: string, opts: SubgraphOptions = {}): SubgraphModule<PersonnelContext> {
  return personnelSubgraph(openPersonnelSqlite(file, opts), opts);
}
