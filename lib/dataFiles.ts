import path from 'node:path';

/** One database file per existing system, as the real systems are separate. */
export const SYSTEMS = ['case-registry', 'property-control', 'personnel'] as const;
export type SystemName = (typeof SYSTEMS)[number];

/** The coordination subgraph's own database: its assessment index, rebuilt from the graph by `npm run assess`. */
export const COORDINATION_DB = 'coordination';

export function databaseFile(dataDir: string, system: SystemName | typeof COORDINATION_DB): string {
  return path.join(dataDir, `${system}.db`);
}
