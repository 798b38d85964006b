import path from 'node:path';
import type { BaseContext } from '@apollo/server';
import type { SubgraphModule, SubgraphOptions } from '../lib/subgraphServer';
import { SUBGRAPHS, type SubgraphName } from './catalogue';
import type { RunnableSubgraph } from '../lib/runSubgraph';
import { caseRegistryFromFile } from './case-registry/server';
import { coordinationFromFile } from './coordination/server';
import { personnelFromFile } from './personnel/server';
import { propertyControlFromFile } from './property-control/server';
// new-subgraph: imports above this line (scripts/newSubgraph.ts adds one per subgraph)

type Opener = (file: string, opts: SubgraphOptions) => SubgraphModule<BaseContext>;

/**
 * How each catalogued subgraph opens on its SQLite file, `<DATA_DIR>/<name>.db` (coordination's holds only its
 * assessment index). The type makes a catalogued subgraph without an opener a compile error.
 */
const OPENERS: { [N in SubgraphName]: Opener } = {
  'case-registry': caseRegistryFromFile,
  'property-control': propertyControlFromFile,
  personnel: personnelFromFile,
  coordination: coordinationFromFile,
  // new-subgraph: openers above this line
};

/** Opens a subgraph on its SQLite file in the data directory. */
export function openSubgraph(name: SubgraphName, dataDir: string, opts: SubgraphOptions = {}): SubgraphModule<BaseContext> {
  return OPENERS[name](path.join(dataDir, `${name}.db`), opts);
}

/** A catalogued subgraph as `runSubgraphProcess` serves it on its own. */
export function runnableSubgraph(name: SubgraphName): RunnableSubgraph {
  const { defaultPort } = SUBGRAPHS.find((s) => s.name === name)!;
  return { name, defaultPort, open: (dataDir, opts) => openSubgraph(name, dataDir, opts) };
}
