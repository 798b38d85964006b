import { describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../domain/dates';
import { RULES_CONFIG, type RulesConfig } from '../../domain/rules/config';
import type { CaseFact, DebtorFacts } from '../../domain/rules/facts';
import { progressSince, type TransferredCaseFact } from '../../domain/rules/progress';
import { longUnexecuted, type RuleContext } from '../../domain/rules/rules';
import { TODAY, caseIn, heldProperty, province } from '../support/ruleFacts';

/** Issue 15 fact 6: a conduct obligation's dated progress, in Art. 10(3)'s six-month test and in progress after a transfer. */
const ctx = (): RuleContext => ({ today: TODAY, province: province() });
const cutoff = addMonths(TODAY, -RULES_CONFIG.rules.LONG_UNEXECUTED.minMonths);
const judge = (c: CaseFact) =>
  longUnexecuted({ id: 'D', divisionCode: '510104', unclosedCases: [c], properties: [] } as DebtorFacts, ctx());
const conductCase = (over: Partial<CaseFact> = {}) =>
  caseIn('川0105', { amountDue: null, ordersConduct: true, filedAt: cutoff, lastActionAt: null, ...over });

describe("LONG_UNEXECUTED's conduct limb (执行程序若干问题的解释 Art. 10(3))", () => {
  it('is met on the cutoff day with no measure at all, and not a day later', () => {
    expect(judge(conductCase()).met).toBe(true);
    expect(judge(conductCase({ filedAt: addDays(cutoff, 1) })).met).toBe(false);
  });

  it('is not met when a measure towards the conduct was taken within six months of filing, and is when only later', () => {
    const filed = addMonths(cutoff, -1);
    expect(judge(conductCase({ filedAt: filed, conductProgress: [{ occurredAt: addMonths(filed, 6), kind: 'MEASURE_TAKEN' }] })).met).toBe(
      false,
    );
    const late = judge(
      conductCase({ filedAt: filed, conductProgress: [{ occurredAt: addDays(addMonths(filed, 6), 1), kind: 'MEASURE_TAKEN' }] }),
    );
    expect(late.met).toBe(true);
    expect(late.evidence.detail).toContain(
      `no enforcement measure within 6 months of filing on ${filed} (the first on ${addDays(addMonths(filed, 6), 1)})`,
    );
  });

  it('leaves a conduct case with a recorded action alone (the registry keeps only the latest date)', () => {
    expect(judge(conductCase({ lastActionAt: TODAY })).met).toBe(false);
  });

  it('judges a case with both duties on both: the conduct part alone, or beside idle property', () => {
    const mixed = caseIn('川0105', { amountDue: 500_000_00, ordersConduct: true, filedAt: addMonths(cutoff, -2), lastActionAt: null });
    const conductOnly = judge(mixed);
    expect(conductOnly.met).toBe(true);
    expect(conductOnly.evidence.detail).toContain('conduct ordered, no enforcement action since filing');
    const both = judge({ ...mixed, properties: [heldProperty('P1', addMonths(cutoff, -1))] });
    expect(both.evidence.detail).toMatch(/P1 under control since .*, not executed; conduct ordered, no enforcement action since filing/);
    // Money only, nothing under control: not a stuck case.
    expect(judge({ ...mixed, ordersConduct: false }).met).toBe(false);
  });
});

describe('conduct done as substantive progress after a transfer', () => {
  const base: TransferredCaseFact = {
    transferId: 'T1',
    mode: 'DIRECTED',
    decidedAt: '2026-03-01',
    recoveredAfter: 0,
    propertyDisposedAt: null,
    carriedOn: { closure: null, closedAt: null, settledAt: null },
  };
  const withEvents = (events: { occurredAt: string; kind: string }[]) => ({
    ...base,
    carriedOn: { ...base.carriedOn, conductProgress: events },
  });

  it('counts conduct done on or after the decision day, not a measure towards it, nor conduct done before', () => {
    expect(progressSince(withEvents([{ occurredAt: '2026-03-01', kind: 'PARTLY_PERFORMED' }]))).toEqual(['CONDUCT_PERFORMED']);
    expect(progressSince(withEvents([{ occurredAt: '2026-05-01', kind: 'PERFORMED' }]))).toEqual(['CONDUCT_PERFORMED']);
    expect(progressSince(withEvents([{ occurredAt: '2026-05-01', kind: 'MEASURE_TAKEN' }]))).toEqual([]);
    expect(progressSince(withEvents([{ occurredAt: '2026-02-28', kind: 'PERFORMED' }]))).toEqual([]);
  });

  it('follows the configuration', () => {
    const config: RulesConfig = { ...RULES_CONFIG, substantiveProgress: { ...RULES_CONFIG.substantiveProgress, conductPerformed: false } };
    expect(progressSince(withEvents([{ occurredAt: '2026-03-02', kind: 'PERFORMED' }]), config)).toEqual([]);
  });
});
