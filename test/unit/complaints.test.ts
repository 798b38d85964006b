import { describe, expect, it } from 'vitest';
import type { DebtorFacts } from '../../domain/rules/facts';
import { passiveExecution, type RuleContext } from '../../domain/rules/rules';
import { TODAY, caseIn, province } from '../support/ruleFacts';

/** Issue 15 fact 3: complaints (信访) are PASSIVE_EXECUTION's evidence, not its test. */
const ctx = (): RuleContext => ({ today: TODAY, province: province() });
const debtor = (cases: DebtorFacts['unclosedCases']): DebtorFacts => ({
  id: 'D',
  divisionCode: '510104',
  unclosedCases: cases,
  properties: [],
});

describe('complaints as PASSIVE_EXECUTION evidence', () => {
  it('names the complaints of open implementation cases and leaves met to the recorded actions', () => {
    const recent = { lastActionAt: TODAY, filedAt: '2026-01-05' };
    const without = passiveExecution(debtor([caseIn('川0105', { number: '(2026)川0105执1号', ...recent })]), ctx());
    const withComplaints = passiveExecution(
      debtor([
        caseIn('川0105', {
          number: '(2026)川0105执1号',
          ...recent,
          complaints: [
            { receivedAt: '2026-03-01', kind: 'PASSIVE_EXECUTION', outcome: 'SUBSTANTIATED' },
            { receivedAt: '2026-04-01', kind: 'PASSIVE_EXECUTION', outcome: 'UNSUBSTANTIATED' },
          ],
        }),
        // A review case is heard, not executed: its complaints are not evidence of passive execution.
        caseIn('川0105', {
          number: '(2026)川0105执异1号',
          typeCode: '执异',
          ...recent,
          complaints: [{ receivedAt: '2026-03-02', kind: 'PASSIVE_EXECUTION', outcome: 'PENDING' }],
        }),
      ]),
      ctx(),
    );
    expect(without.met).toBe(false);
    expect(withComplaints.met).toBe(false);
    expect(without.observed).toBe('none');
    expect(withComplaints.observed).toBe('none; 2 complaints (信访) on open cases, 1 of passive execution pending or substantiated');
    expect(withComplaints.evidence.detail).toBe(
      '(2026)川0105执1号: complaints (信访) 2026-03-01 PASSIVE_EXECUTION SUBSTANTIATED, 2026-04-01 PASSIVE_EXECUTION UNSUBSTANTIATED',
    );
  });
});
