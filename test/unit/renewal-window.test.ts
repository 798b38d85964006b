import { describe, expect, it } from 'vitest';
import { addDays } from '../../domain/dates';
import { RULES_CONFIG } from '../../domain/rules/config';
import { measuresToRenew, renewalWindow } from '../../domain/rules/compliance';

/** Issue 12: the renewal window is one rule, which property-control's measuresToRenew and expiring count both use. */
describe('the renewal window', () => {
  const today = '2026-06-30';

  it('runs from the given day to expiryWindowDays later, both inclusive', () => {
    expect(renewalWindow(today)).toEqual({ from: today, until: addDays(today, RULES_CONFIG.expiryWindowDays) });
    expect(renewalWindow(today, { ...RULES_CONFIG, expiryWindowDays: 7 })).toEqual({ from: today, until: '2026-07-07' });
  });

  it('flags the measures in effect that lapse within it', () => {
    const measures = [
      { id: 'M1', status: 'IN_EFFECT', expiresAt: today },
      { id: 'M2', status: 'IN_EFFECT', expiresAt: '2099-01-01' },
      { id: 'M3', status: 'WAITING', expiresAt: null },
      { id: 'M4', status: 'IN_EFFECT', expiresAt: renewalWindow(today).until },
      { id: 'M5', status: 'IN_EFFECT', expiresAt: '2026-06-29' },
    ];
    expect(measuresToRenew(measures, today).map((m) => m.id)).toEqual(['M1', 'M4']);
  });
});
