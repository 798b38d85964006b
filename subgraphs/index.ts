import type { BaseContext } from '@apollo/server';
import { databaseFile } from '../lib/dataFiles';
import type { SubgraphModule, SubgraphOptions } from '../lib/subgraphServer';
import type { SubgraphName } from '../gateway/subgraphs';
import { caseRegistryFromFile } from './case-registry/server';
import { coordinationSubgraph } from './coordination/server';
import { personnelFromFile } from './personnel/server';
import { propertyControlFromFile } from './property-control/server';

/** Opens a subgraph on its system's SQLite file in the data directory (coordination owns no system). */
export function openSubgraph(name: SubgraphName, dataDir: string, opts: SubgraphOptions = {}): SubgraphModule<BaseContext> {
  switch (name) {
    case 'case-registry':
      return caseRegistryFromFile(databaseFile(dataDir, name), opts);
    case 'property-control':
      return propertyControlFromFile(databaseFile(dataDir, name), opts);
    case 'personnel':
      return personnelFromFile(databaseFile(dataDir, name), opts);
    case 'coordination':
      return coordinationSubgraph(opts);
  }
}
