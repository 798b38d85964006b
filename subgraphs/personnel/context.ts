import { requestBatches } from '../../lib/requestBatches';
import type { OfficerRecord } from './sources/records';
import type { PersonnelSource } from './sources/source';

/** Request-scoped state for the personnel roster: fresh loaders per request. */
export interface PersonnelContext {
  source: PersonnelSource;
  today: string;
  loaders: ReturnType<typeof createLoaders>;
}

function createLoaders(source: PersonnelSource) {
  // One request's loaders dispatch together (lib/requestBatches.ts): one statement per level on both dialects.
  const batches = requestBatches();
  return {
    officer: batches.loader<string, OfficerRecord | null>((ids) => source.officersById(ids)),
    officersByCourt: batches.loader<string, OfficerRecord[]>((codes) => source.officersByCourt(codes)),
    enforcementStaffCount: batches.loader<string, number>((codes) => source.enforcementStaffCounts(codes)),
  };
}

export function createPersonnelContext(source: PersonnelSource, today: string): PersonnelContext {
  return { source, today, loaders: createLoaders(source) };
}
