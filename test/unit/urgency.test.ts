import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../domain/rules/config';
import type { CaseFact, DebtorFacts } from '../../domain/rules/facts';
import type { RuleResult } from '../../domain/rules/rules';
import { urgencyOf } from '../../domain/rules/urgency';

/** Issue 15 item 12: debtors meeting the same rules are told apart by amount, age and spread, not left tied. */
const TODAY = '2026-06-30';
const allMet: RuleResult[] = RULE_IDS.map((id) => ({
  id,
  title: id,
  met: true,
  threshold: '',
  observed: '',
  evidence: { caseNumbers: [], courtCodes: [], propertyIds: [], dates: [], detail: '' },
}));
const kase = (i: number, courtCode: string, filedAt: string, amountDue = 5_000_000_000_00): CaseFact => ({
  number: `(2020)${courtCode}执${i}号`,
  courtCode,
  filedAt,
  lastActionAt: null,
  amountDue,
  amountRecovered: 0,
  category: 'COMMERCIAL',
  typeCode: '执',
});
/** Twenty-five unclosed cases (the case term saturated) of a large amount, in the given courts, filed on `filedAt`. */
const debtor = (courts: string[], filedAt: string, amountDue?: number): DebtorFacts => ({
  id: 'D',
  divisionCode: null,
  unclosedCases: Array.from({ length: 25 }, (_, i) => kase(i + 1, courts[i % courts.length]!, filedAt, amountDue)),
  properties: [],
});

describe('urgency (issue 15 item 12)', () => {
  it('puts the older series first when the rules, cases and amount are the same', () => {
    const old = urgencyOf(allMet, debtor(['川0105', '川0106'], '2020-01-01'), TODAY);
    const recent = urgencyOf(allMet, debtor(['川0105', '川0106'], '2025-06-01'), TODAY);
    expect(old).toBeGreaterThan(recent);
  });

  it('puts the series spread over more prefectures first, up to three', () => {
    const one = urgencyOf(allMet, debtor(['川0105', '川0106'], '2024-01-01'), TODAY);
    const two = urgencyOf(allMet, debtor(['川0105', '川0703'], '2024-01-01'), TODAY);
    const three = urgencyOf(allMet, debtor(['川0105', '川0703', '川1502'], '2024-01-01'), TODAY);
    const four = urgencyOf(allMet, debtor(['川0105', '川0703', '川1502', '川3401'], '2024-01-01'), TODAY);
    expect(two).toBeGreaterThan(one);
    expect(three).toBeGreaterThan(two);
    expect(four).toBe(three);
  });

  it('ranks by the rules first: short of MANY_COURTS (weight 3), the oldest, widest series stays below one meeting all six', () => {
    const fewer = allMet.map((r) => (r.id === 'MANY_COURTS' ? { ...r, met: false } : r));
    const oldAndSpread = urgencyOf(fewer, debtor(['川0105', '川0703', '川1502'], '2019-01-01'), TODAY);
    const allButYoung = urgencyOf(allMet, debtor(['川0105'], '2026-06-01', 100_00), TODAY);
    expect(allButYoung).toBeGreaterThan(oldAndSpread);
  });

  it('reads only implementation cases: review cases add neither size, amount, age nor spread', () => {
    const base = debtor(['川0105', '川0106'], '2024-01-01');
    const review = (i: number, courtCode: string): CaseFact => ({
      ...kase(i, courtCode, '2015-01-01', 9_000_000_000_00),
      number: `(2015)${courtCode}执异${i}号`,
      typeCode: '执异',
    });
    const withReview: DebtorFacts = { ...base, unclosedCases: [...base.unclosedCases, review(1, '川0703'), review(2, '川1502')] };
    expect(urgencyOf(allMet, withReview, TODAY)).toBe(urgencyOf(allMet, base, TODAY));
    // An implementation case of the same shape does move it.
    const withCase: DebtorFacts = {
      ...base,
      unclosedCases: [...base.unclosedCases, { ...review(1, '川0703'), number: '(2015)川0703执1号', typeCode: '执' }],
    };
    expect(urgencyOf(allMet, withCase, TODAY)).toBeGreaterThan(urgencyOf(allMet, base, TODAY));
  });
});
