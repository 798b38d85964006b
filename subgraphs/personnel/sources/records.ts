import type { OfficerRow } from './ddl';

/** Record types the source adapter returns and the resolvers receive as parents (codegen mappers). */
export type OfficerRecord = OfficerRow;

/** A court known to the roster by its code; the registry owns the court itself. */
export interface CourtRef {
  code: string;
  /** The registry's handlers of the court's received transfer cases, present when a field requires them. */
  receivedTransferHandlers?: { id: string }[];
}

/** A rebalancing request as the gateway hands it over, with the registry's courts when a field requires them. */
export interface RebalancePlanRef {
  id: string;
  fromCourts?: CourtRef[];
  courts?: CourtRef[];
}

export interface StaffingRecord {
  courtCode: string;
  enforcementStaff: number;
}
