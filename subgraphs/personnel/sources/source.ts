import type { OfficerRecord } from './records';

/**
 * The narrow interface over the personnel roster (人员名册). Batch methods answer in key order with ONE
 * statement per call, whatever the number of keys.
 */
export interface PersonnelSource {
  officersById(ids: readonly string[]): Promise<(OfficerRecord | null)[]>;
  /** Active officers of each court, leaders first, then by post and name. */
  officersByCourt(courtCodes: readonly string[]): Promise<OfficerRecord[][]>;
  enforcementStaffCounts(courtCodes: readonly string[]): Promise<number[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
