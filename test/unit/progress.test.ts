import { describe, expect, it } from 'vitest';
import { RULES_CONFIG, type RulesConfig } from '../../domain/rules/config';
import { progressSince, transferStatistics, type TransferredCaseFact } from '../../domain/rules/progress';

const base: TransferredCaseFact = {
  transferId: 'T1',
  mode: 'DIRECTED',
  decidedAt: '2026-03-01',
  recoveredAfter: 0,
  propertyDisposedAt: null,
  carriedOn: { closure: null, closedAt: null, settledAt: null },
};

describe('substantive progress after a transfer decision', () => {
  it('counts nothing for a case where nothing happened', () => {
    expect(progressSince(base)).toEqual([]);
  });

  it('counts each kind from the decision day on, and nothing from the day before', () => {
    const on = {
      ...base,
      recoveredAfter: 1,
      propertyDisposedAt: '2026-03-01',
      carriedOn: { closure: 'FULLY_EXECUTED', closedAt: '2026-03-01', settledAt: '2026-03-01' },
    };
    expect(progressSince(on)).toEqual(['MONEY_RECOVERED', 'PROPERTY_DISPOSED', 'SETTLEMENT', 'CLOSED_FULLY_EXECUTED']);
    const before = {
      ...base,
      propertyDisposedAt: '2026-02-28',
      carriedOn: { closure: 'FULLY_EXECUTED', closedAt: '2026-02-28', settledAt: '2026-02-28' },
    };
    expect(progressSince(before)).toEqual([]);
  });

  it('does not count a closure other than fully executed', () => {
    expect(progressSince({ ...base, carriedOn: { closure: 'TERMINATED_THIS_ROUND', closedAt: '2026-04-01', settledAt: null } })).toEqual(
      [],
    );
  });

  it('follows the configuration: a kind switched off is not counted', () => {
    const config: RulesConfig = { ...RULES_CONFIG, substantiveProgress: { ...RULES_CONFIG.substantiveProgress, settlement: false } };
    const settled = { ...base, carriedOn: { closure: null, closedAt: null, settledAt: '2026-05-01' } };
    expect(progressSince(settled)).toEqual(['SETTLEMENT']);
    expect(progressSince(settled, config)).toEqual([]);
  });

  it('totals per mode, counting decisions once and a case with several kinds once', () => {
    const cases: TransferredCaseFact[] = [
      { ...base, recoveredAfter: 500, propertyDisposedAt: '2026-04-01' },
      { ...base, transferId: 'T1' },
      { ...base, transferId: 'T2', mode: 'ELEVATED', carriedOn: { closure: null, closedAt: null, settledAt: '2026-06-01' } },
    ];
    const stats = transferStatistics(cases, ['DIRECTED', 'ELEVATED', 'CENTRALIZED']);
    expect(stats[0]).toMatchObject({
      decisions: 1,
      casesTransferred: 2,
      casesWithSubstantiveProgress: 1,
      casesWithMoneyRecovered: 1,
      casesWithPropertyDisposed: 1,
      moneyRecoveredAfterTransfer: 500,
    });
    expect(stats[1]).toMatchObject({ decisions: 1, casesTransferred: 1, casesWithSubstantiveProgress: 1, casesSettled: 1 });
    expect(stats[2]).toMatchObject({ decisions: 0, casesTransferred: 0, casesWithSubstantiveProgress: 0 });
  });
});
