import { describe, it, expect } from 'vitest';
import { fenToYuan, yuanToFen } from '../../domain/money';
import { addDays, addMonths, daysBetween, isIsoDate, parseIsoDate, toIsoDate } from '../../domain/dates';
import {
  MAX_PERIOD_MONTHS,
  MEASURE_KIND_FOR,
  PROPERTY_KINDS,
  RENEWAL_APPLICATION_DAYS,
  judgeQueue,
  measureStatus,
  renewalApplicationDue,
  type MeasurePeriod,
  type QueuedMeasure,
} from '../../domain/measures';
import { caught } from '../support/caught';

describe('fenToYuan', () => {
  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [5, '0.05'],
    [10, '0.10'],
    [99, '0.99'],
    [100, '1.00'],
    [123_450, '1234.50'],
    [123_456, '1234.56'],
    [-1, '-0.01'],
    [-5, '-0.05'],
    [-123_450, '-1234.50'],
  ])('%i fen → %s', (fen, yuan) => {
    expect(fenToYuan(fen)).toBe(yuan);
  });

  it('is exact where floating-point yuan would not be (0.1 + 0.2)', () => {
    expect(0.1 + 0.2).not.toBe(0.3); // the reason money is held in fen
    expect(fenToYuan(10 + 20)).toBe('0.30');
    expect(fenToYuan(yuanToFen('0.1') + yuanToFen('0.2'))).toBe('0.30');
  });

  it('handles the largest safe integer exactly', () => {
    expect(fenToYuan(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
  });

  it('accepts bigint, beyond the safe-integer range', () => {
    expect(fenToYuan(0n)).toBe('0.00');
    expect(fenToYuan(123_450n)).toBe('1234.50');
    expect(fenToYuan(12_345_678_901_234_567_890n)).toBe('123456789012345678.90');
    expect(fenToYuan(-12_345_678_901_234_567_801n)).toBe('-123456789012345678.01');
  });

  it('refuses a fractional number of fen rather than rounding silently', () => {
    expect(() => fenToYuan(1.5)).toThrow(RangeError);
  });
});

describe('yuanToFen', () => {
  it.each([
    ['0', 0],
    ['0.1', 10],
    ['0.2', 20],
    ['0.3', 30],
    ['0.01', 1],
    ['0.07', 7],
    ['1', 100],
    ['1.5', 150],
    ['1.05', 105],
    ['19.99', 1999],
    ['1234.50', 123_450],
    ['1234.56', 123_456],
    ['4.35', 435], // 4.35 * 100 = 434.99999999999994 in floating point
  ])('%s yuan → %i fen', (yuan, fen) => {
    expect(yuanToFen(yuan)).toBe(fen);
  });

  it('is exact for values that go wrong with float multiplication', () => {
    expect(4.35 * 100).not.toBe(435);
    expect(yuanToFen('4.35')).toBe(435);
    expect(yuanToFen('1.13')).toBe(113);
    expect(yuanToFen('0.29')).toBe(29);
    expect(yuanToFen('9007199254.99')).toBe(900_719_925_499);
  });

  it('accepts 13 integer digits exactly and round-trips through fenToYuan', () => {
    const fen = yuanToFen('9999999999999.99');
    expect(fen).toBe(999_999_999_999_999);
    expect(Number.isSafeInteger(fen)).toBe(true);
    expect(fenToYuan(fen)).toBe('9999999999999.99');
  });

  it('rejects 14 integer digits', () => {
    expect(caught(() => yuanToFen('10000000000000')).rule).toBe('MONEY_FORMAT');
  });

  it('trims surrounding whitespace', () => {
    expect(yuanToFen(' 12.30 ')).toBe(1230);
  });

  it.each([
    ['1e5'],
    ['-1'],
    ['+1'],
    ['1.234'],
    ['1,000'],
    ['1 000'],
    [''],
    ['.5'],
    ['1.'],
    ['abc'],
    ['¥100'],
    ['１００'],
    ['NaN'],
    ['Infinity'],
  ])('rejects %j with MONEY_FORMAT', (raw) => {
    const err = caught(() => yuanToFen(raw, 'amountDue'));
    expect(err.rule).toBe('MONEY_FORMAT');
    expect(err.field).toBe('amountDue');
    expect(err.message).toContain(`"${raw}"`);
  });

  it('uses the default field name "amount"', () => {
    expect(caught(() => yuanToFen('1,000')).field).toBe('amount');
  });

  it('round-trips fenToYuan(yuanToFen(x)) to the two-place form', () => {
    for (const [input, canonical] of [
      ['0', '0.00'],
      ['0.5', '0.50'],
      ['12', '12.00'],
      ['12.3', '12.30'],
      ['12.34', '12.34'],
    ]) {
      expect(fenToYuan(yuanToFen(input!))).toBe(canonical);
    }
  });
});

describe('addMonths', () => {
  it.each([
    ['2024-01-31', 1, '2024-02-29'], // leap year
    ['2023-01-31', 1, '2023-02-28'],
    ['2100-01-31', 1, '2100-02-28'], // century, not a leap year
    ['2000-01-31', 1, '2000-02-29'], // divisible by 400, a leap year
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2024-03-31', 1, '2024-04-30'],
    ['2024-03-31', -1, '2024-02-29'],
    ['2024-08-31', 6, '2025-02-28'],
    ['2023-01-31', 13, '2024-02-29'],
    ['2024-01-15', 1, '2024-02-15'],
    ['2024-12-15', 1, '2025-01-15'],
    ['2024-01-15', -1, '2023-12-15'],
    ['2024-01-15', 0, '2024-01-15'],
    ['2024-05-20', 12, '2025-05-20'],
    ['2024-05-20', 24, '2026-05-20'],
    ['2024-05-20', 36, '2027-05-20'],
    ['2024-05-20', 6, '2024-11-20'],
  ])('%s + %i months → %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});

describe('addDays', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-28', 2, '2024-03-01'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2023-12-31', 1, '2024-01-01'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2024-01-01', 0, '2024-01-01'],
    ['2024-01-01', 366, '2025-01-01'],
    ['2024-06-30', -7, '2024-06-23'],
  ])('%s + %i days → %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  /** addDays as it was, through Date: the arithmetic must give its answer (or its error) for any input. */
  const throughDate = (date: string, days: number) => {
    const d = parseIsoDate(date);
    d.setUTCDate(d.getUTCDate() + days);
    return toIsoDate(d);
  };
  const outcome = (f: () => string) => {
    try {
      return f();
    } catch (err) {
      return `threw ${(err as Error).name}`;
    }
  };

  it('gives what Date gives, for every day of 1899–2101 and offsets either way', () => {
    let checked = 0;
    const differ: string[] = [];
    for (let n = Date.UTC(1899, 0, 1); n <= Date.UTC(2101, 11, 31); n += 86_400_000) {
      const date = toIsoDate(new Date(n));
      for (const days of [-1461, -366, -30, -1, 0, 1, 29, 365, 1461]) {
        if (addDays(date, days) !== throughDate(date, days)) differ.push(`${date} ${days}`);
        checked++;
      }
    }
    expect(differ).toEqual([]);
    expect(checked).toBeGreaterThan(600_000);
  });

  it('gives what Date gives at the edges: years 0000 and 9999, days not whole, dates not real', () => {
    const cases: [string, number][] = [
      ['0000-01-01', 0],
      ['0000-01-01', -1],
      ['0000-03-01', -1],
      ['0400-02-28', 1],
      ['1900-02-28', 1],
      ['9999-12-31', 0],
      ['9999-12-31', 1],
      ['2026-12-01', 1.5],
      ['2026-12-01', Number.MAX_SAFE_INTEGER],
      ['2026-02-30', 1],
      ['2026-13-01', 1],
      ['2026-1-01', 1],
      ['', 1],
    ];
    for (const [date, days] of cases)
      expect(
        outcome(() => addDays(date, days)),
        `${date} ${days}`,
      ).toBe(outcome(() => throughDate(date, days)));
    for (let year = 0; year <= 9999; year += 7) {
      const date = `${String(year).padStart(4, '0')}-02-28`;
      for (const days of [1, 2, -59, 306]) expect(addDays(date, days), `${date} ${days}`).toBe(outcome(() => throughDate(date, days)));
    }
  });
});

describe('daysBetween', () => {
  it.each([
    ['2024-01-01', '2024-01-01', 0],
    ['2024-01-01', '2024-01-02', 1],
    ['2024-01-02', '2024-01-01', -1],
    ['2024-01-01', '2025-01-01', 366],
    ['2023-01-01', '2024-01-01', 365],
    ['2024-02-28', '2024-03-01', 2],
    ['2023-02-28', '2023-03-01', 1],
    ['2024-01-01', '2024-07-01', 182],
  ])('%s → %s is %i days', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });

  it('is the inverse of addDays', () => {
    for (const n of [-400, -1, 0, 1, 59, 60, 1000]) expect(daysBetween('2024-02-29', addDays('2024-02-29', n))).toBe(n);
  });
});

describe('isIsoDate', () => {
  it.each([['2024-02-29'], ['2023-12-31'], ['1990-01-01'], ['2026-06-30']])('%s is a date', (s) => {
    expect(isIsoDate(s)).toBe(true);
  });

  it.each([
    ['2023-02-29'],
    ['2024-02-30'],
    ['2024-04-31'],
    ['2024-2-9'],
    ['20240209'],
    ['2024/02/09'],
    ['2024-02-09T00:00:00Z'],
    [''],
    [' 2024-02-09'],
  ])('%j is not a date', (s) => {
    expect(isIsoDate(s)).toBe(false);
  });

  // Bug: for a month or day out of range entirely, parseIsoDate yields an Invalid Date and toIsoDate's
  // toISOString() throws RangeError("Invalid time value") instead of isIsoDate returning false. The Date
  // scalar (lib/scalars.ts) and config validation (lib/config.ts) call isIsoDate on client input.
  it.each([['2024-13-01'], ['2024-00-10'], ['2024-02-32'], ['2024-01-00']])('%s is not a date (returns false, does not throw)', (s) => {
    expect(isIsoDate(s)).toBe(false);
  });
});

describe('toIsoDate / parseIsoDate', () => {
  it('are UTC inverses', () => {
    expect(parseIsoDate('2024-02-29').toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(toIsoDate(new Date(Date.UTC(2024, 1, 29, 23, 59)))).toBe('2024-02-29');
  });
});

describe('measures', () => {
  it('MAX_PERIOD_MONTHS: deposits 12, movables 24, real estate and other property rights 36', () => {
    expect(MAX_PERIOD_MONTHS).toEqual({
      BANK_DEPOSIT: 12,
      VEHICLE: 24,
      MOVABLE: 24,
      REAL_ESTATE: 36,
      LAND_USE_RIGHT: 36,
      EQUITY: 36,
      RECEIVABLE: 36,
      INTELLECTUAL_PROPERTY: 36,
    });
  });

  it('every property kind has a period and a measure kind', () => {
    expect(Object.keys(MAX_PERIOD_MONTHS).sort()).toEqual([...PROPERTY_KINDS].sort());
    expect(Object.keys(MEASURE_KIND_FOR).sort()).toEqual([...PROPERTY_KINDS].sort());
  });

  it('deposits and rights are frozen, movables seized, real estate sealed', () => {
    expect(MEASURE_KIND_FOR.BANK_DEPOSIT).toBe('FREEZE');
    expect(MEASURE_KIND_FOR.EQUITY).toBe('FREEZE');
    expect(MEASURE_KIND_FOR.MOVABLE).toBe('SEIZE');
    expect(MEASURE_KIND_FOR.VEHICLE).toBe('SEIZE');
    expect(MEASURE_KIND_FOR.REAL_ESTATE).toBe('SEAL');
    expect(MEASURE_KIND_FOR.LAND_USE_RIGHT).toBe('SEAL');
  });

  it('a renewal application is due 7 days before expiry, and only for a measure in effect', () => {
    expect(RENEWAL_APPLICATION_DAYS).toBe(7);
    const m: MeasurePeriod = { releasedAt: null, waiting: false, expiresAt: '2026-03-05' };
    expect(renewalApplicationDue(m, '2026-01-01')).toBe('2026-02-26');
    expect(renewalApplicationDue(m, '2026-03-05')).toBe('2026-02-26');
    expect(renewalApplicationDue(m, '2026-03-06')).toBeNull();
    expect(renewalApplicationDue({ ...m, waiting: true, expiresAt: null }, '2026-01-01')).toBeNull();
    expect(renewalApplicationDue({ ...m, releasedAt: '2026-01-01' }, '2026-01-02')).toBeNull();
  });

  it('a deposit frozen on 2024-01-31 expires a year later; a house sealed the same day three years later', () => {
    expect(addMonths('2024-01-31', MAX_PERIOD_MONTHS.BANK_DEPOSIT)).toBe('2025-01-31');
    expect(addMonths('2024-02-29', MAX_PERIOD_MONTHS.MOVABLE)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', MAX_PERIOD_MONTHS.REAL_ESTATE)).toBe('2027-01-31');
  });

  const base: MeasurePeriod = { releasedAt: null, waiting: false, expiresAt: '2025-01-31' };

  it.each<[string, MeasurePeriod, string, string]>([
    ['in effect before expiry', base, '2024-06-30', 'IN_EFFECT'],
    ['in effect on the expiry day itself', base, '2025-01-31', 'IN_EFFECT'],
    ['lapsed the day after expiry', base, '2025-02-01', 'LAPSED'],
    ['released on the day of release', { ...base, releasedAt: '2024-06-30' }, '2024-06-30', 'RELEASED'],
    ['released after release', { ...base, releasedAt: '2024-06-30' }, '2024-07-01', 'RELEASED'],
    ['not yet released before a future release date', { ...base, releasedAt: '2024-07-01' }, '2024-06-30', 'IN_EFFECT'],
    ['released wins over lapsed', { ...base, releasedAt: '2025-03-01' }, '2025-04-01', 'RELEASED'],
    ['a waiting seizure is waiting', { releasedAt: null, waiting: true, expiresAt: null }, '2024-06-30', 'WAITING'],
    ['a waiting seizure does not lapse', { releasedAt: null, waiting: true, expiresAt: '2020-01-01' }, '2024-06-30', 'WAITING'],
    ['a released waiting seizure is released', { releasedAt: '2024-01-01', waiting: true, expiresAt: null }, '2024-06-30', 'RELEASED'],
    ['no expiry recorded: in effect', { releasedAt: null, waiting: false, expiresAt: null }, '2099-01-01', 'IN_EFFECT'],
  ])('%s', (_label, m, today, status) => {
    expect(measureStatus(m, today)).toBe(status);
  });
});

describe('judgeQueue: waiting seizures take effect when the one ahead lapses or is released (查封扣押冻结规定 Arts. 26–27; issue 14 item 10)', () => {
  // A house sealed first on 2023-03-01 for 3 years (expires 2026-03-01, never renewed), two courts waiting behind it.
  const first: QueuedMeasure = {
    id: 'A',
    queuePosition: 1,
    imposedAt: '2023-03-01',
    periodStartsAt: '2023-03-01',
    expiresAt: '2026-03-01',
    releasedAt: null,
    waiting: false,
  };
  const waiting = (id: string, queuePosition: number, imposedAt: string): QueuedMeasure => ({
    id,
    queuePosition,
    imposedAt,
    periodStartsAt: null,
    expiresAt: null,
    releasedAt: null,
    waiting: true,
  });
  const queue = [waiting('C', 3, '2024-05-01'), first, waiting('B', 2, '2023-09-01')];

  it('on the expiry day the first seal still holds and both wait', () => {
    const j = judgeQueue(queue, 'REAL_ESTATE', '2026-03-01');
    expect(j.get('A')).toEqual({ status: 'IN_EFFECT', waiting: false, periodStartsAt: '2023-03-01', expiresAt: '2026-03-01' });
    expect(j.get('B')).toEqual({ status: 'WAITING', waiting: true, periodStartsAt: null, expiresAt: null });
    expect(j.get('C')?.status).toBe('WAITING');
  });

  it('the day after, the first waiting seal is in effect from the lapse day for 3 years; the second still waits', () => {
    const j = judgeQueue(queue, 'REAL_ESTATE', '2026-03-02');
    expect(j.get('A')?.status).toBe('LAPSED');
    expect(j.get('B')).toEqual({ status: 'IN_EFFECT', waiting: false, periodStartsAt: '2026-03-02', expiresAt: '2029-03-02' });
    expect(j.get('C')).toEqual({ status: 'WAITING', waiting: true, periodStartsAt: null, expiresAt: null });
  });

  it('when the promoted seal lapses too, the second takes effect the day after its expiry', () => {
    expect(judgeQueue(queue, 'REAL_ESTATE', '2029-03-02').get('C')?.status).toBe('WAITING');
    const j = judgeQueue(queue, 'REAL_ESTATE', '2029-03-03');
    expect(j.get('B')?.status).toBe('LAPSED');
    expect(j.get('C')).toEqual({ status: 'IN_EFFECT', waiting: false, periodStartsAt: '2029-03-03', expiresAt: '2032-03-03' });
  });

  it.each<[PropertyKindName, string]>([
    ['BANK_DEPOSIT', '2027-03-02'],
    ['MOVABLE', '2028-03-02'],
    ['EQUITY', '2029-03-02'],
  ])("a promoted measure on %s runs its kind's maximum period: until %s", (kind, expiresAt) => {
    expect(judgeQueue(queue, kind, '2026-03-02').get('B')?.expiresAt).toBe(expiresAt);
  });

  it('a release moves the queue on that day; a waiting seal released before its turn passes nothing on', () => {
    const released = [{ ...first, releasedAt: '2025-01-10' }, { ...waiting('B', 2, '2023-09-01'), releasedAt: '2024-12-01' }, queue[0]!];
    const j = judgeQueue(released, 'REAL_ESTATE', '2025-01-10');
    expect(j.get('A')?.status).toBe('RELEASED');
    expect(j.get('B')?.status).toBe('RELEASED');
    expect(j.get('C')).toEqual({ status: 'IN_EFFECT', waiting: false, periodStartsAt: '2025-01-10', expiresAt: '2028-01-10' });
    expect(judgeQueue(released, 'REAL_ESTATE', '2025-01-09').get('C')?.status).toBe('WAITING');
  });

  it('a waiting seal imposed after the one ahead lost effect starts on its own imposition day; a recorded period wins', () => {
    const late = [first, waiting('B', 2, '2026-06-01')];
    expect(judgeQueue(late, 'REAL_ESTATE', '2026-05-31').get('B')?.status).toBe('WAITING');
    expect(judgeQueue(late, 'REAL_ESTATE', '2026-06-01').get('B')).toEqual({
      status: 'IN_EFFECT',
      waiting: false,
      periodStartsAt: '2026-06-01',
      expiresAt: '2029-06-01',
    });
    const recorded = [first, { ...waiting('B', 2, '2023-09-01'), expiresAt: '2026-12-31' }];
    expect(judgeQueue(recorded, 'REAL_ESTATE', '2027-01-01').get('B')?.status).toBe('LAPSED');
  });

  it('agrees with measureStatus for a queue with nothing waiting', () => {
    const j = judgeQueue([first], 'REAL_ESTATE', '2026-03-02');
    expect(j.get('A')?.status).toBe(measureStatus(first, '2026-03-02'));
  });
});

type PropertyKindName = (typeof PROPERTY_KINDS)[number];
