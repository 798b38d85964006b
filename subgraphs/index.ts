import type { BaseContext } from '@apollo/server';
import { COORDINATION_DB, databaseFile } from '../lib/dataFiles';
import type { SubgraphModule, SubgraphOptions } from '../lib/subgraphServer';
import { SUBGRAPHS, type SubgraphName } from './catalogue';
import type { RunnableSubgraph } from '../lib/runSubgraph';
import { caseRegistryFromFile } from './case-registry/server';
import { coordinationFromFile } from './coordination/server';
import { personnelFromFile } from './personnel/server';
import { propertyControlFromFile } from './property-control/server';

/** Opens a subgraph on its SQLite file in the data directory (coordination's holds only its assessment index). */
export function openSubgraph(name: SubgraphName, dataDir: string, opts: SubgraphOptions = {}): SubgraphModule<BaseContext> {
  switch (name) {
    case 'case-registry':
      return caseRegistryFromFile(databaseFile(dataDir, name), opts);
    case 'property-control':
      return propertyControlFromFile(databaseFile(dataDir, name), opts);
    case 'personnel':
      return personnelFromFile(databaseFile(dataDir, name), opts);
    case 'coordination':
      return coordinationFromFile(databaseFile(dataDir, COORDINATION_DB), opts);
  }
}

/** A catalogued subgraph as `runSubgraphProcess` serves it on its own. */
export function runnableSubgraph(name: SubgraphName): RunnableSubgraph {
  const { defaultPort } = SUBGRAPHS.find((s) => s.name === name)!;
  return { name, defaultPort, open: (dataDir, opts) => openSubgraph(name, dataDir, opts) };
}
