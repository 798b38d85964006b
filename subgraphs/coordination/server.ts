import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { RULES_CONFIG } from '../../domain/rules/config';
import { todayOf, type SubgraphModule, type SubgraphOptions } from '../../lib/subgraphServer';
import { createCoordinationContext, type CoordinationContext } from './context';
import { resolvers } from './resolvers';
import type { CoordinationSource } from './sources/source';
import { openCoordinationSqlite } from './sources/sqlite';

export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/**
 * The coordination subgraph: the high court's cross-court logic. It owns no existing system; it judges the
 * facts the other subgraphs supply through federation against the versioned rules configuration.
 */
export function coordinationSubgraph(source: CoordinationSource, opts: SubgraphOptions = {}): SubgraphModule<CoordinationContext> {
  const today = todayOf(opts);
  // One configuration for every subgraph: the property figures in crossCourt use the same thresholds.
  const config = RULES_CONFIG;
  return {
    name: 'coordination',
    typeDefs,
    resolvers,
    createContext: (viewer) => createCoordinationContext(source, today(), config, viewer),
    ping: () => source.ping(),
    close: () => source.close(),
  };
}

/** The shipped deployment: the read models in their own SQLite file (created empty when missing). */
export function coordinationFromFile(file: string, opts: SubgraphOptions = {}): SubgraphModule<CoordinationContext> {
  return coordinationSubgraph(openCoordinationSqlite(file, opts), opts);
}
