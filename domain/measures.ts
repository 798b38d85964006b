import { addDays, addMonths } from './dates';

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

/** One measure in a property's queue (轮候), as recorded: its own period, if any, and whether it was recorded waiting. */
export interface QueuedMeasure extends MeasurePeriod {
  id: string;
  queuePosition: number;
  imposedAt: string;
  periodStartsAt: string | null;
}

/** A measure as it stands on a day: its status, and its period (recorded, or from the day the one ahead lost effect). */
export interface JudgedMeasure {
  status: MeasureStatus;
  /** True while it waits on the day judged: its period has not begun. */
  waiting: boolean;
  periodStartsAt: string | null;
  expiresAt: string | null;
}

/** The first day a measure with this period no longer has effect: its release day, or the day after its expiry. */
function lostEffectOn(p: { releasedAt: string | null; expiresAt: string | null }): string | null {
  const lapsed = p.expiresAt === null ? null : addDays(p.expiresAt, 1);
  if (p.releasedAt === null) return lapsed;
  return lapsed !== null && lapsed < p.releasedAt ? lapsed : p.releasedAt;
}

/**
 * The measures on one property judged on `today`, in queue order (查封扣押冻结规定 Arts. 26–27): a waiting seizure
 * (轮候查封) takes effect on the day every measure ahead of it has lost effect — released, or lapsed unrenewed — and
 * not before it was itself imposed; its period then runs the legal maximum for the property's kind from that day,
 * unless it records its own. A measure released while still waiting never takes effect and passes nothing on. The
 * answer is keyed by measure id; the same function serves every read and write, so no caller judges a queue twice
 * differently.
 */
export function judgeQueue(queue: readonly QueuedMeasure[], kind: PropertyKind, today: string): Map<string, JudgedMeasure> {
  const ordered = [...queue].sort(
    (a, b) => a.queuePosition - b.queuePosition || a.imposedAt.localeCompare(b.imposedAt) || a.id.localeCompare(b.id),
  );
  const judged = new Map<string, JudgedMeasure>();
  // The day the property is free of every measure ahead (null: one ahead still waits, or holds indefinitely).
  let freeFrom: string | null = '0000-01-01';
  let blocked = false;
  for (const m of ordered) {
    if (!m.waiting) {
      const period = { releasedAt: m.releasedAt, expiresAt: m.expiresAt };
      judged.set(m.id, { status: measureStatus(m, today), waiting: false, periodStartsAt: m.periodStartsAt, expiresAt: m.expiresAt });
      const lost = lostEffectOn(period);
      if (lost === null) blocked = true;
      else if (!blocked && freeFrom !== null && lost > freeFrom) freeFrom = lost;
      continue;
    }
    const effectiveFrom = blocked || freeFrom === null ? null : freeFrom > m.imposedAt ? freeFrom : m.imposedAt;
    const releasedWhileWaiting = m.releasedAt !== null && (effectiveFrom === null || m.releasedAt <= effectiveFrom);
    if (releasedWhileWaiting) {
      judged.set(m.id, {
        status: m.releasedAt! <= today ? 'RELEASED' : 'WAITING',
        waiting: true,
        periodStartsAt: null,
        expiresAt: null,
      });
      continue;
    }
    if (effectiveFrom === null || effectiveFrom > today) {
      judged.set(m.id, {
        status: m.releasedAt !== null && m.releasedAt <= today ? 'RELEASED' : 'WAITING',
        waiting: true,
        periodStartsAt: null,
        expiresAt: null,
      });
      blocked = true;
      continue;
    }
    const periodStartsAt = m.periodStartsAt ?? effectiveFrom;
    const expiresAt = m.expiresAt ?? addMonths(effectiveFrom, MAX_PERIOD_MONTHS[kind]);
    const period = { releasedAt: m.releasedAt, waiting: false, expiresAt };
    judged.set(m.id, { status: measureStatus(period, today), waiting: false, periodStartsAt, expiresAt });
    const lost = lostEffectOn(period);
    if (lost === null) blocked = true;
    else if (freeFrom === null || lost > freeFrom) freeFrom = lost;
  }
  return judged;
}

/** A measure stands while it is in effect or waiting: the property is held (controlled) while one stands on it. */
export function isStanding(status: MeasureStatus): boolean {
  return status === 'IN_EFFECT' || status === 'WAITING';
}
