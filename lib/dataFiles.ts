import path from 'node:path';

/** One database file per existing system, as the real systems are separate. */
export const SYSTEMS = ['case-registry', 'property-control', 'personnel'] as const;
export type SystemName = (typeof SYSTEMS)[number];

export function databaseFile(dataDir: string, system: SystemName): string {
  return path.join(dataDir, `${system}.db`);
}
