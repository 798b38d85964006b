import { addDays, addMonths, daysBetween } from './dates';

/**
 * Periods that do not count toward the six months of 执行程序若干问题的解释 (法释〔2008〕13号, amended 法释〔2020〕21号)
 * Art. 13: "the six-month period … does not count the public notice period, the appraisal and valuation period, the
 * period of handling a jurisdiction dispute, the period of coordinating an enforcement dispute, the period of a stay
 * (暂缓执行) and the period of a suspension (中止执行)". One kind per period Art. 13 lists.
 */
export const EXCLUDED_PERIOD_KINDS = [
  /** 中止执行 (民诉法 Art. 267). */
  'SUSPENSION',
  /** 暂缓执行 (暂缓执行规定: at most three months, extendable by at most three). */
  'STAY',
  /** 公告期间: a public notice runs. */
  'PUBLIC_NOTICE',
  /** 鉴定评估期间: appraisal or valuation of property. */
  'APPRAISAL',
  /** 管辖争议处理期间. */
  'JURISDICTION_DISPUTE',
  /** 执行争议协调期间: a dispute between courts coordinated by a higher court. */
  'COORDINATION',
] as const;
export type ExcludedPeriodKind = (typeof EXCLUDED_PERIOD_KINDS)[number];

/** One recorded period of a case, both days counted; `endsAt` null: the period still runs (counted to today). */
export interface ExcludedPeriod {
  kind: ExcludedPeriodKind | string;
  startsAt: string;
  endsAt: string | null;
}

/** The days of `p` from `from` up to, not including, `until` (both ISO dates); an open period runs through `today`. */
export function daysWithin(p: ExcludedPeriod, from: string, until: string, today: string): number {
  const start = p.startsAt > from ? p.startsAt : from;
  const lastDay = p.endsAt ?? today;
  const end = addDays(lastDay, 1) < until ? addDays(lastDay, 1) : until;
  return end > start ? daysBetween(start, end) : 0;
}

export interface SixMonthsRun {
  /** The day the period ran out: `months` after `since`, pushed back by every day deducted. */
  runsOutOn: string;
  /** The days deducted, and the periods they came from (only those that fell inside the running period). */
  deductedDays: number;
  deducted: { period: ExcludedPeriod; days: number }[];
}

/**
 * When `months` counted from `since` run out once the recorded periods are left out. A period counts only for the
 * days that fall inside the running time (from `since`, before the day it runs out); each deducted day pushes the
 * end back a day, which may bring a later period inside. Taken in order of their start, a period that begins before
 * the current end lies wholly inside the pushed-back end, so one pass finds it. Periods of a case do not overlap
 * (the import refuses overlaps: a day is not deducted twice); should they, a day is still counted once.
 */
export function sixMonthsRun(since: string, months: number, periods: readonly ExcludedPeriod[], today: string): SixMonthsRun {
  let runsOutOn = addMonths(since, months);
  let coveredUntil = since; // the first day not yet deducted: overlapping days are counted once
  const deducted: SixMonthsRun['deducted'] = [];
  for (const period of [...periods].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
    const from = period.startsAt > coveredUntil ? period.startsAt : coveredUntil;
    if (from >= runsOutOn) break;
    const days = daysWithin(period, from, '9999-12-31', today);
    if (days === 0) continue;
    deducted.push({ period, days });
    runsOutOn = addDays(runsOutOn, days);
    coveredUntil = addDays(from, days);
  }
  return { runsOutOn, deductedDays: deducted.reduce((n, d) => n + d.days, 0), deducted };
}

/** Days of a period as recorded: both days counted, an open one through `today`. */
export function periodDays(p: ExcludedPeriod, today: string): number {
  return daysBetween(p.startsAt, addDays(p.endsAt ?? today, 1));
}
