import { describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../domain/dates';
import { assessDebtor, levelNeeded, rankReceivingCourts, type CourtCandidate } from '../../domain/rules/assess';
import { RULES_CONFIG } from '../../domain/rules/config';
import type { CaseFact, DebtorFacts, DecisionFact, PropertyFact } from '../../domain/rules/facts';
import { expiredDeadlineOrders } from '../../domain/rules/history';
import { TODAY, caseIn, heldProperty, measure, property, province } from '../support/ruleFacts';

/** Issue 14 items 1 (which court: territorial jurisdiction and the level the series needs) and 8 (history), at each rule's boundary. */

const LEVEL = RULES_CONFIG.receivingCourt.level;
const USUAL = RULES_CONFIG.rules.CAPACITY.usualAmountFen;
const P = province();

function debtor(unclosedCases: CaseFact[], properties: PropertyFact[] = [], history: DecisionFact[] = []): DebtorFacts {
  return { id: 'D-14', divisionCode: '510105', unclosedCases, properties, history };
}
const many = (court: string, n: number, over: Partial<CaseFact> = {}) => Array.from({ length: n }, () => caseIn(court, over));
const value = (c: CourtCandidate | undefined, name: string) => c!.factors.find((f) => f.name === name)!.value;
const byCode = (cs: CourtCandidate[], code: string) => cs.find((c) => c.courtCode === code);

describe('issue 14 item 1: the level a series needs', () => {
  it.each([
    [1, 'BASIC'],
    [LEVEL.intermediate.minPrefectures, 'INTERMEDIATE'],
    [LEVEL.high.minPrefectures - 1, 'INTERMEDIATE'],
    [LEVEL.high.minPrefectures, 'HIGH'],
  ])('cases in %i prefectures → %s', (prefectures, level) => {
    const courts = ['川0105', '川1502', '川3401', '川0802', '川0502'].slice(0, prefectures);
    expect(levelNeeded(debtor(courts.map((c) => caseIn(c))), P).level).toBe(level);
  });

  it.each([
    [LEVEL.intermediate.minCases - 1, 'BASIC'],
    [LEVEL.intermediate.minCases, 'INTERMEDIATE'],
    [LEVEL.high.minCases - 1, 'INTERMEDIATE'],
    [LEVEL.high.minCases, 'HIGH'],
  ])('%i implementation cases in one court → %s', (n, level) => {
    const a = levelNeeded(debtor(many('川0105', n, { amountDue: 1_00 })), P);
    expect(a.level).toBe(level);
  });

  it('does not count review cases towards the size', () => {
    const cases = [...many('川0105', LEVEL.intermediate.minCases - 1, { amountDue: 1_00 }), caseIn('川0105', { typeCode: '执异' })];
    expect(levelNeeded(debtor(cases), P).level).toBe('BASIC');
  });

  it.each([
    [USUAL.BASIC, 'BASIC'],
    [USUAL.BASIC + 1, 'INTERMEDIATE'],
    [USUAL.INTERMEDIATE, 'INTERMEDIATE'],
    [USUAL.INTERMEDIATE + 1, 'HIGH'],
  ])('outstanding %i fen over two cases → %s', (amount, level) => {
    const cases = [caseIn('川0105', { amountDue: amount - 1_00 }), caseIn('川0107', { amountDue: 1_00 })];
    const a = levelNeeded(debtor(cases), P);
    expect(a.level).toBe(level);
    if (level !== 'BASIC') expect(a.reasons.join()).toContain('outstanding');
  });

  it("takes the level of a criminal restitution case's court", () => {
    expect(levelNeeded(debtor([caseIn('川0105'), caseIn('川0107', { category: 'CRIMINAL_RESTITUTION' })]), P).level).toBe('BASIC');
    const a = levelNeeded(debtor([caseIn('川0105'), caseIn('川01', { category: 'CRIMINAL_RESTITUTION' })]), P);
    expect(a.level).toBe('INTERMEDIATE');
    expect(a.reasons.join()).toContain('criminal restitution case');
  });
});

describe('issue 14 item 1: a court is scored on its territorial jurisdiction', () => {
  const cases = [caseIn('川0105'), caseIn('川0107'), caseIn('川1502')];
  const candidates = ['川0104', '川0105', '川01', '川15', '川'].map((c) => P.courts.get(c)!);

  it('gives the main property to every court whose territory holds it: its county, its prefecture, the province', () => {
    const main = property('P-M', '510104', { estimatedValue: 9_000_000_00, measures: [measure('川0105')] });
    const ranked = rankReceivingCourts(debtor(cases, [main]), candidates, P);
    expect(value(byCode(ranked, '川0104'), 'mainProperty')).toBe(1);
    expect(value(byCode(ranked, '川0105'), 'mainProperty')).toBe(0);
    expect(value(byCode(ranked, '川01'), 'mainProperty')).toBe(1);
    expect(value(byCode(ranked, '川15'), 'mainProperty')).toBe(0);
    expect(value(byCode(ranked, '川'), 'mainProperty')).toBe(1);
    expect(byCode(ranked, '川01')!.factors[0]!.detail).toBe(
      "main property P-M lies within the court's territorial jurisdiction (its prefecture)",
    );
  });

  it('gives no court the main property when it lies outside Sichuan', () => {
    const outside = { ...property('P-OUT', '110105', { measures: [measure('川0105')] }), prefecture: null };
    const ranked = rankReceivingCourts(debtor(cases, [outside]), candidates, P);
    expect(ranked.map((c) => value(c, 'mainProperty'))).toEqual([0, 0, 0, 0, 0]);
  });

  it('counts the cases executed within the territory, and the parties as domicile and property, not the applicant', () => {
    const main = property('P-M', '511502', { estimatedValue: 9_000_000_00, measures: [measure('川1502')] });
    const ranked = rankReceivingCourts(debtor(cases, [main]), candidates, P);
    expect(value(byCode(ranked, '川0105'), 'cases')).toBe(0.333);
    expect(value(byCode(ranked, '川01'), 'cases')).toBe(0.667);
    expect(value(byCode(ranked, '川'), 'cases')).toBe(1);
    // Domicile 510105: 川0105, 川01 and 川 half; property in 宜宾: 川15 and 川 the other half.
    expect(value(byCode(ranked, '川0105'), 'parties')).toBe(0.5);
    expect(value(byCode(ranked, '川15'), 'parties')).toBe(0.5);
    expect(value(byCode(ranked, '川'), 'parties')).toBe(1);
    expect(value(byCode(ranked, '川0104'), 'parties')).toBe(0);
  });
});

describe('issue 14 item 1: centralized execution of a cross-prefecture series with a criminal restitution case', () => {
  // Twelve cases: eight in 成都 (the criminal restitution case at the 成都 intermediate court, the first-instance
  // criminal court of an illegal-fundraising case), four in 宜宾; the main property in 成都市锦江区.
  const chengdu = ['川0104', '川0105', '川0106', '川0107', '川0108', '川0112', '川0113'].map((c) => caseIn(c));
  const criminal = caseIn('川01', { category: 'CRIMINAL_RESTITUTION' });
  const yibin = ['川1502', '川1503', '川1504', '川1502'].map((c) => caseIn(c));
  const main = property('P-PLAZA', '510104', {
    estimatedValue: 80_000_000_00,
    measures: [measure('川0104'), measure('川1502', 'WAITING')],
  });

  it('offers the intermediate court and the high court, and recommends the intermediate court of 成都', () => {
    const a = assessDebtor(debtor([...chengdu, criminal, ...yibin], [main]), { today: TODAY, province: P });
    expect(a.recommendedMode).toBe('CENTRALIZED');
    const codes = a.receivingCourts.map((c) => c.courtCode);
    expect(codes).toContain('川01');
    expect(codes).toContain('川');
    expect(codes[0]).toBe('川01');
    expect(a.proposedCases).not.toContain(criminal.number);
    expect(a.receivingCourts[0]!.factors.find((f) => f.name === 'level')!.detail).toContain(
      `criminal restitution case ${criminal.number} executed by an intermediate court`,
    );
    expect(a.explanation).toContain('川01 ranks first, the main property P-PLAZA lying within its territorial jurisdiction');
  });

  it('recommends the high court when the series needs it (outstanding beyond an intermediate court)', () => {
    const big = caseIn('川0104', { amountDue: USUAL.INTERMEDIATE });
    const a = assessDebtor(debtor([...chengdu, criminal, ...yibin, big], [main]), { today: TODAY, province: P });
    expect(a.recommendedMode).toBe('CENTRALIZED');
    expect(a.receivingCourts[0]!.courtCode).toBe('川');
  });
});

describe('issue 14 item 8: an expired deadline order is escalated (执行程序若干问题的解释 Art. 11)', () => {
  // Stuck in Art. 10's sense: a property under the case's control for ten months and not executed.
  const stuck = caseIn('川0105', {
    filedAt: addMonths(TODAY, -10),
    lastActionAt: addDays(TODAY, -20),
    properties: [heldProperty('P-ORDERED', addMonths(TODAY, -10))],
  });
  const order = (deadline: string, over: Partial<DecisionFact> = {}): DecisionFact => ({
    transferId: 'T000042',
    mode: 'DEADLINE_ORDER',
    decidingCourt: '川01',
    decidedAt: addMonths(deadline, -3),
    deadline,
    caseNumber: stuck.number,
    carriedOn: stuck.number,
    ...over,
  });
  const assess = (d: DebtorFacts, p = P) => assessDebtor(d, { today: TODAY, province: p });

  it('still allows a deadline order on the deadline day itself (not yet passed)', () => {
    const d = debtor([stuck], [], [order(TODAY)]);
    expect(expiredDeadlineOrders(d, TODAY)).toEqual([]);
    const a = assess(d);
    expect(a.recommendedMode).toBe('DEADLINE_ORDER');
    expect(a.explanation).toContain(`The deadline order T000042 (川01) runs until ${TODAY}`);
  });

  it('does not escalate when the deadline passed and the case was executed (closed, no longer unclosed)', () => {
    const other = caseIn('川0105', { filedAt: addMonths(TODAY, -7), properties: [heldProperty('P-OTHER', addMonths(TODAY, -7))] });
    const d = debtor([other], [], [order(addDays(TODAY, -1))]);
    expect(expiredDeadlineOrders(d, TODAY)).toEqual([]);
    expect(assess(d).recommendedMode).toBe('DEADLINE_ORDER');
    expect(assess(debtor([], [], [order(addDays(TODAY, -1))])).recommendedMode).toBeNull();
  });

  it('escalates when the deadline passed and the case is still unexecuted: directed to a peer, naming the order', () => {
    const d = debtor([stuck], [], [order(addDays(TODAY, -1))]);
    const [e] = expiredDeadlineOrders(d, TODAY);
    expect(e!.order.transferId).toBe('T000042');
    expect(e!.stillUnexecuted.number).toBe(stuck.number);
    const a = assess(d);
    expect(a.recommendedMode).toBe('DIRECTED');
    expect(a.proposedCases).toEqual([stuck.number]);
    expect(a.receivingCourts.map((c) => c.courtCode)).not.toContain('川0105');
    expect(a.receivingCourts.every((c) => P.courts.get(c.courtCode)!.prefecture === '川01' && c.courtCode.length === 5)).toBe(true);
    expect(a.explanation).toContain(
      `The deadline order T000042 (川01, decided ${addMonths(addDays(TODAY, -1), -3)}, deadline ${addDays(TODAY, -1)}) on ${stuck.number}`,
    );
    expect(a.explanation).toContain('Art. 11');
    expect(a.explanation).toContain('another deadline order is not open');
  });

  it('escalates even when no selection rule is met any more', () => {
    const quietRecent = caseIn('川0105');
    const a = assess(
      debtor([quietRecent], [], [order(addDays(TODAY, -1), { caseNumber: quietRecent.number, carriedOn: quietRecent.number })]),
    );
    expect(a.rules.filter((r) => r.met)).toEqual([]);
    expect(a.recommendedMode).toBe('DIRECTED');
    expect(a.explanation).toContain('Rules met: none.');
  });

  it('has the deciding court execute it itself when the case is beyond its court', () => {
    const big = { ...stuck, amountDue: USUAL.BASIC + 1_00 };
    const a = assess(debtor([big], [], [order(addDays(TODAY, -1))]));
    expect(a.recommendedMode).toBe('ELEVATED');
    expect(a.receivingCourts.map((c) => c.courtCode)).toEqual(['川01']);
    expect(a.explanation).toContain('Elevated execution (提级执行): 川01 executes it itself, the case being beyond its court');
  });

  it('does not escalate again once a later moving decision took the case up', () => {
    const moved = caseIn('川0107');
    const history = [
      order(addDays(TODAY, -30), { carriedOn: moved.number }),
      {
        ...order(addDays(TODAY, -30), { carriedOn: moved.number }),
        transferId: 'T000050',
        mode: 'DIRECTED',
        decidedAt: addDays(TODAY, -20),
      },
    ];
    expect(expiredDeadlineOrders(debtor([moved], [], history), TODAY)).toEqual([]);
  });

  it('lets centralized execution of the whole series, judged first, take the case up and names the expired order', () => {
    const series = ['川0104', '川0106', '川0107', '川1502', '川1503'].map((c) => caseIn(c));
    const a = assess(debtor([stuck, ...series], [], [order(addDays(TODAY, -1))]));
    expect(a.recommendedMode).toBe('CENTRALIZED');
    expect(a.proposedCases).toContain(stuck.number);
    expect(a.explanation).toContain('Expired deadline order: T000042 (川01');
  });

  it('never moves a criminal restitution case for an expired order', () => {
    const crim = { ...stuck, category: 'CRIMINAL_RESTITUTION' };
    const a = assess(debtor([crim], [], [order(addDays(TODAY, -1))]));
    expect(a.recommendedMode).toBe('DEADLINE_ORDER');
    expect(a.proposedCases).toEqual([crim.number]);
    expect(a.explanation).toContain('The deadline order T000042');
    expect(a.explanation).toContain('a criminal restitution case stays with its criminal court');
  });
});
