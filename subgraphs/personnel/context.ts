import DataLoader from 'dataloader';
import type { OfficerRecord } from './sources/records';
import type { PersonnelSource } from './sources/source';

/** Request-scoped state for the personnel roster: fresh loaders per request. */
export interface PersonnelContext {
  source: PersonnelSource;
  today: string;
  loaders: ReturnType<typeof createLoaders>;
}

function createLoaders(source: PersonnelSource) {
  return {
    officer: new DataLoader<string, OfficerRecord | null>((ids) => source.officersById(ids)),
    officersByCourt: new DataLoader<string, OfficerRecord[]>((codes) => source.officersByCourt(codes)),
    enforcementStaffCount: new DataLoader<string, number>((codes) => source.enforcementStaffCounts(codes)),
  };
}

export function createPersonnelContext(source: PersonnelSource, today: string): PersonnelContext {
  return { source, today, loaders: createLoaders(source) };
}
