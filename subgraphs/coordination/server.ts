import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { RULES_CONFIG } from '../../domain/rules/config';
import { todayOf, type SubgraphModule, type SubgraphOptions } from '../../lib/subgraphServer';
import { createCoordinationContext, type CoordinationContext } from './context';
import { resolvers } from './resolvers';
import { openAssessmentIndex, type AssessmentIndex } from './sources/assessmentIndex';

export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/**
 * The coordination subgraph: the high court's cross-court logic. It owns no existing system; it judges the
 * facts the other subgraphs supply through federation against the versioned rules configuration.
 */
export function coordinationSubgraph(index: AssessmentIndex, opts: SubgraphOptions = {}): SubgraphModule<CoordinationContext> {
  const today = todayOf(opts);
  // One configuration for every subgraph: the property figures in crossCourt use the same thresholds.
  const config = RULES_CONFIG;
  return {
    name: 'coordination',
    typeDefs,
    resolvers,
    createContext: (viewer) => createCoordinationContext(today(), config, index, viewer),
    ping: () => index.ping(),
    close: () => index.close(),
  };
}

/** The shipped deployment: the assessment index in its own SQLite file (created empty when missing). */
export function coordinationFromFile(file: string, opts: SubgraphOptions = {}): SubgraphModule<CoordinationContext> {
  return coordinationSubgraph(openAssessmentIndex(file, opts), opts);
}
