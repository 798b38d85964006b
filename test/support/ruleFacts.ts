import { addDays, addMonths } from '../../domain/dates';
import type { CaseFact, CasePropertyFact, CourtFact, MeasureFact, PropertyFact, ProvinceFacts } from '../../domain/rules/facts';
import { COURTS } from '../../domain/sichuan';

/** Fixtures for the selection rules' unit tests: plain fact records around a fixed day. */
export const TODAY = '2026-06-30';

export type Load = Partial<Pick<CourtFact, 'openCaseCount' | 'enforcementStaffCount'>>;

/** Every court of the province at 100 open cases and 10 enforcement officers (10 per officer) unless overridden. */
export function province(loads: Record<string, Load> = {}): ProvinceFacts {
  return {
    courts: new Map(
      COURTS.map((c) => [
        c.code,
        {
          code: c.code,
          level: c.level,
          prefecture: c.prefecture,
          divisionCode: c.divisionCode,
          openCaseCount: 100,
          enforcementStaffCount: 10,
          ...loads[c.code],
        },
      ]),
    ),
  };
}

let sequence = 0;
/** A recent, active money case: filed two months ago, last action ten days ago, nothing recovered. */
export function caseIn(courtCode: string, over: Partial<CaseFact> = {}): CaseFact {
  sequence += 1;
  const typeCode = over.typeCode ?? '执';
  return {
    number: `(2026)${courtCode}${typeCode}${sequence}号`,
    courtCode,
    filedAt: addMonths(TODAY, -2),
    lastActionAt: addDays(TODAY, -10),
    amountDue: 100_000_00,
    amountRecovered: 0,
    category: 'CIVIL',
    typeCode,
    ...over,
  };
}

export const measure = (courtCode: string, status: MeasureFact['status'] = 'IN_EFFECT'): MeasureFact => ({ courtCode, status });

/** A controlled property in a Sichuan county (six-digit division code), under control for one month. */
export function property(id: string, divisionCode: string, over: Partial<PropertyFact> = {}): PropertyFact {
  return {
    id,
    kind: 'REAL_ESTATE',
    prefecture: `川${divisionCode.slice(2, 4)}`,
    divisionCode,
    estimatedValue: 1_000_000_00,
    undisposedSince: addMonths(TODAY, -1),
    disposalStage: 'NOT_STARTED',
    measures: [],
    ...over,
  };
}

/** A property under a standing measure of a case's lineage since `controlledSince`, not disposed of (Art. 10's test). */
export const heldProperty = (id: string, controlledSince: string, disposed = false): CasePropertyFact => ({
  id,
  controlledSince,
  disposed,
});
