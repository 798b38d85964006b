import { addDays } from './dates';

/**
 * Control measures (查封/扣押/冻结) and their legal maximum periods: bank deposits 1 year, movables
 * 2 years, real estate and other property rights 3 years. A renewal starts a new period of at most the
 * same length; a waiting seizure (轮候查封) has no period until it takes effect.
 */
export type PropertyKind =
  'BANK_DEPOSIT' | 'REAL_ESTATE' | 'LAND_USE_RIGHT' | 'VEHICLE' | 'MOVABLE' | 'EQUITY' | 'RECEIVABLE' | 'INTELLECTUAL_PROPERTY';
export const PROPERTY_KINDS: PropertyKind[] = [
  'BANK_DEPOSIT',
  'REAL_ESTATE',
  'LAND_USE_RIGHT',
  'VEHICLE',
  'MOVABLE',
  'EQUITY',
  'RECEIVABLE',
  'INTELLECTUAL_PROPERTY',
];

export type MeasureKind = 'SEAL' | 'SEIZE' | 'FREEZE';
export type MeasureStatus = 'IN_EFFECT' | 'WAITING' | 'LAPSED' | 'RELEASED';

/** Legal maximum period of one measure (or one renewal) on a kind of property, in months. */
export const MAX_PERIOD_MONTHS: Record<PropertyKind, number> = {
  BANK_DEPOSIT: 12,
  VEHICLE: 24,
  MOVABLE: 24,
  REAL_ESTATE: 36,
  LAND_USE_RIGHT: 36,
  EQUITY: 36,
  RECEIVABLE: 36,
  INTELLECTUAL_PROPERTY: 36,
};

/** The measure a court takes on each kind: deposits, equity and claims are frozen, movables seized, the rest sealed. */
export const MEASURE_KIND_FOR: Record<PropertyKind, MeasureKind> = {
  BANK_DEPOSIT: 'FREEZE',
  EQUITY: 'FREEZE',
  RECEIVABLE: 'FREEZE',
  INTELLECTUAL_PROPERTY: 'FREEZE',
  VEHICLE: 'SEIZE',
  MOVABLE: 'SEIZE',
  REAL_ESTATE: 'SEAL',
  LAND_USE_RIGHT: 'SEAL',
};

/** Days before expiry by which a renewal must be applied for. */
export const RENEWAL_APPLICATION_DAYS = 7;

export interface MeasurePeriod {
  releasedAt: string | null;
  waiting: boolean;
  expiresAt: string | null;
}

/** Status of a measure on a given day (ISO dates compare as strings). */
export function measureStatus(m: MeasurePeriod, today: string): MeasureStatus {
  if (m.releasedAt !== null && m.releasedAt <= today) return 'RELEASED';
  if (m.waiting) return 'WAITING';
  if (m.expiresAt !== null && m.expiresAt < today) return 'LAPSED';
  return 'IN_EFFECT';
}

/**
 * The last day to apply for renewal of a measure in effect: RENEWAL_APPLICATION_DAYS before it expires. Null when
 * there is nothing to renew (waiting, released or lapsed on `today`).
 */
export function renewalApplicationDue(m: MeasurePeriod, today: string): string | null {
  if (measureStatus(m, today) !== 'IN_EFFECT' || m.expiresAt === null) return null;
  return addDays(m.expiresAt, -RENEWAL_APPLICATION_DAYS);
}
