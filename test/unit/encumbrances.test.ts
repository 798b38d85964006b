import { describe, expect, it } from 'vitest';
import { assessDebtor } from '../../domain/rules/assess';
import type { DebtorFacts, EncumbranceFact } from '../../domain/rules/facts';
import { competedAssets, spread } from '../../domain/rules/rules';
import { caseIn, measure, property, province, TODAY } from '../support/ruleFacts';

/** Issue 15 item 4: mortgages and pledges make the creditors competing for one asset visible to the rules (ADR 18). */
const ctx = { today: TODAY, province: province() };

const mortgage = (over: Partial<EncumbranceFact> = {}): EncumbranceFact => ({
  id: 'E1',
  kind: 'MORTGAGE',
  holderName: '中国工商银行成都分行',
  securedAmount: 600_000_00,
  rank: 1,
  enforcedInCaseNumber: null,
  ...over,
});

/** A debtor with a criminal restitution case and a civil case in 川0105 (which seals P1) and the bank's case in 川0107. */
function debtor(encumbrances: EncumbranceFact[] | undefined, bankCase = caseIn('川0107', { category: 'COMMERCIAL' })): DebtorFacts {
  return {
    id: '91510105MA0000001X',
    divisionCode: '510105',
    unclosedCases: [caseIn('川0105', { category: 'CRIMINAL_RESTITUTION' }), caseIn('川0105'), bankCase],
    properties: [property('P1', '510105', { measures: [measure('川0105')], encumbrances })],
  };
}

describe('encumbrances in the selection rules', () => {
  it('finds the asset a mortgagee, criminal-restitution victims and ordinary creditors compete for, with the courts claiming it', () => {
    const bankCase = caseIn('川0107', { category: 'COMMERCIAL' });
    const d = debtor([mortgage({ enforcedInCaseNumber: bankCase.number })], bankCase);
    const [asset, ...more] = competedAssets(d);
    expect(more).toEqual([]);
    expect(asset!.propertyId).toBe('P1');
    expect(asset!.courtCodes).toEqual(['川0105', '川0107']);
    expect(asset!.criminalCases).toEqual([d.unclosedCases[0]!.number]);
    expect(asset!.ordinaryCases).toEqual([d.unclosedCases[1]!.number]);
    expect(asset!.detail).toContain('mortgage rank 1 held by 中国工商银行成都分行 for 600000.00');
    expect(asset!.detail).toContain('securing 600000.00 of an estimated 1000000.00');
  });

  it('meets SPREAD when the mortgagee enforces in another court than the one seizing, and not without the encumbrance', () => {
    const bankCase = caseIn('川0107', { category: 'COMMERCIAL' });
    const without = spread(debtor(undefined, bankCase), ctx);
    expect(without.met).toBe(false);
    const withLien = spread(debtor([mortgage({ enforcedInCaseNumber: bankCase.number })], bankCase), ctx);
    expect(withLien.met).toBe(true);
    expect(withLien.evidence.propertyIds).toEqual(['P1']);
    expect(withLien.evidence.courtCodes).toEqual(['川0105', '川0107']);
    expect(withLien.evidence.detail).toContain('P1 claimed in 川0105, 川0107');
  });

  it('records a competition in one court as evidence without meeting SPREAD (that court distributes the proceeds itself)', () => {
    const result = spread(debtor([mortgage()]), ctx);
    expect(result.met).toBe(false);
    expect(result.observed).toContain('1 encumbered assets competed for, 0 more of them claimed in several courts');
    expect(result.evidence.detail).toContain('P1: mortgage rank 1');
  });

  it('sees no competition on an encumbered asset no unsecured creditor seizes, nor on one no measure holds', () => {
    const seizedElsewhere: DebtorFacts = {
      ...debtor([mortgage()]),
      properties: [property('P1', '510105', { measures: [measure('川0110')], encumbrances: [mortgage()] })],
    };
    expect(competedAssets(seizedElsewhere)).toEqual([]);
    const released: DebtorFacts = {
      ...debtor([mortgage()]),
      properties: [property('P1', '510105', { measures: [measure('川0105', 'RELEASED')], encumbrances: [mortgage()] })],
    };
    expect(competedAssets(released)).toEqual([]);
  });

  it('recommends one coordinated plan and says who competes for the asset', () => {
    const bankCase = caseIn('川0107', { category: 'COMMERCIAL' });
    const d = debtor([mortgage({ enforcedInCaseNumber: bankCase.number })], bankCase);
    const a = assessDebtor(d, ctx);
    expect(a.recommendedMode).toBe('COLLABORATIVE');
    expect(a.receivingCourts[0]!.courtCode).toBe('川01');
    expect(a.proposedCases).toEqual([...d.unclosedCases.map((c) => c.number)].sort());
    expect(a.explanation).toContain('1 encumbered assets are claimed in several courts (P1: 川0105, 川0107)');
    expect(a.explanation).toContain('Mortgagees or pledgees, criminal-restitution victims and ordinary creditors compete for P1');
    expect(assessDebtor(debtor(undefined, bankCase), ctx).recommendedMode).toBeNull();
  });
});
