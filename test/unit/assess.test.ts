import { describe, it, expect } from 'vitest';
import { COURTS } from '../../domain/sichuan';
import { addDays, addMonths } from '../../domain/dates';
import { RULES_CONFIG } from '../../domain/rules/config';
import type { CaseFact, DebtorFacts, PropertyFact } from '../../domain/rules/facts';
import { assessDebtor, mainProperty, rankReceivingCourts, type Assessment, type CourtCandidate } from '../../domain/rules/assess';
import type { RuleContext } from '../../domain/rules/rules';
import { TODAY, caseIn, heldProperty, measure, property, province } from '../support/ruleFacts';

// Issue #3: the mode recommendation for the four typical debtors, and a receiving-court ranking that moves with
// the main property and with a court's load.

const WEIGHTS = RULES_CONFIG.receivingCourt.assessmentWeights;

/** A debtor seated in 成都市青羊区 (510105) unless told otherwise. */
function debtor(unclosedCases: CaseFact[], properties: PropertyFact[] = [], divisionCode: string | null = '510105'): DebtorFacts {
  return { id: 'D-1', divisionCode, unclosedCases, properties };
}

/**
 * The assessment given the rules met: a long-idle property meets IDLE_PROPERTY here by idle time alone. The rule's
 * supervision half (督办 without progress, issue 15 item 2) is tested at its boundary in rules.test.ts.
 */
const IDLE_TIME_ONLY = {
  ...RULES_CONFIG,
  rules: { ...RULES_CONFIG.rules, IDLE_PROPERTY: { ...RULES_CONFIG.rules.IDLE_PROPERTY, requireFailedSupervision: false } },
};
const ctx = (over: Partial<RuleContext> = {}): RuleContext => ({ today: TODAY, province: province(), config: IDLE_TIME_ONLY, ...over });

const metIds = (a: Assessment) => a.rules.filter((r) => r.met).map((r) => r.id);
const codes = (cs: CourtCandidate[]) => cs.map((c) => c.courtCode);
const factor = (c: CourtCandidate, name: string) => c.factors.find((f) => f.name === name)!.value;

/** Every candidate shows the six factors with the configured weights; scores are Σ weight × value, best first. */
function expectWellFormedRanking(candidates: CourtCandidate[], weights: Record<string, number> = WEIGHTS): void {
  for (const c of candidates) {
    expect(c.factors.map((f) => f.name)).toEqual(['mainProperty', 'cases', 'parties', 'level', 'load', 'staff']);
    expect(Object.fromEntries(c.factors.map((f) => [f.name, f.weight]))).toEqual(weights);
    for (const f of c.factors) {
      expect(f.value).toBeGreaterThanOrEqual(0);
      expect(f.value).toBeLessThanOrEqual(1);
      expect(f.detail.length).toBeGreaterThan(0);
    }
    const sum = c.factors.reduce((n, f) => n + f.weight * f.value, 0);
    expect(Math.abs(c.score - sum)).toBeLessThanOrEqual(0.0005 + 1e-9);
  }
  const scores = candidates.map((c) => c.score);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
}

const CHENGDU_BASIC = COURTS.filter((c) => c.prefecture === '川01' && c.level === 'BASIC').map((c) => c.code);

describe('mainProperty', () => {
  it('is the most valuable property still undisposed under a standing measure', () => {
    const small = property('P-SMALL', '510105', { estimatedValue: 100_00, measures: [measure('川0105')] });
    const waiting = property('P-WAITING', '510107', { estimatedValue: 200_00, measures: [measure('川0107', 'WAITING')] });
    const lapsed = property('P-LAPSED', '510104', { estimatedValue: 900_00, measures: [measure('川0104', 'LAPSED')] });
    const sold = property('P-SOLD', '510104', { estimatedValue: 800_00, undisposedSince: null, measures: [measure('川0104')] });
    expect(mainProperty(debtor([], [small, lapsed, waiting, sold]))?.id).toBe('P-WAITING');
  });

  it('falls back to the most valuable property when none is held, and is null without property', () => {
    const a = property('P-A', '510105', { estimatedValue: 100_00, undisposedSince: null });
    const b = property('P-B', '510107', { estimatedValue: 300_00, measures: [measure('川0107', 'RELEASED')] });
    expect(mainProperty(debtor([], [a, b]))?.id).toBe('P-B');
    expect(mainProperty(debtor([], []))).toBeNull();
  });
});

describe('no rule met', () => {
  it('recommends no transfer and names no receiving court', () => {
    const a = assessDebtor(debtor([caseIn('川0105')], [property('P-1', '510105', { measures: [measure('川0105')] })]), ctx());
    expect(metIds(a)).toEqual([]);
    expect(a.rules).toHaveLength(6);
    expect(a.recommendedMode).toBeNull();
    expect(a.receivingCourts).toEqual([]);
    expect(a.explanation).toBe('No selection rule is met: the cases stay where they are.');
    expect(a.configVersion).toBe(RULES_CONFIG.version);
    expect(a.assessedOn).toBe(TODAY);
  });

  it('recommends no transfer when only property is flagged and there is no case to move', () => {
    const idle = property('P-IDLE', '510105', { undisposedSince: addMonths(TODAY, -8), measures: [measure('川0105')] });
    const a = assessDebtor(debtor([], [idle]), ctx());
    expect(metIds(a)).toEqual(['IDLE_PROPERTY']);
    expect(a.recommendedMode).toBeNull();
    expect(a.receivingCourts).toEqual([]);
    expect(a.explanation).toContain('IDLE_PROPERTY');
  });
});

describe('centralized execution (集中执行): many cases across prefectures', () => {
  // Ten courts in three prefectures: six in 成都, three in 宜宾, one in 凉山.
  const courts = [...CHENGDU_BASIC.slice(0, 6), '川1502', '川1503', '川1504', '川3401'];
  const cases = courts.map((code) => caseIn(code));
  const main = property('P-MAIN', '510105', { estimatedValue: 5_000_000_00, measures: [measure('川0105')] });

  // Issue 14 item 1: before, only the courts holding cases were candidates and 川0105 (main property in its county)
  // won; the series spans three prefectures, so the intermediate court of 成都 (main property and most cases) is chosen.
  it('sends all cases to one court: the intermediate court whose prefecture holds the main property and most cases', () => {
    const a = assessDebtor(debtor(cases, [main]), ctx());
    expect(metIds(a)).toEqual(['MANY_COURTS', 'SPREAD']);
    expect(a.recommendedMode).toBe('CENTRALIZED');
    // Candidates: the courts holding cases (the debtor's seat and the main property are in 川0105, one of them), the
    // intermediate court of 成都 and the high court.
    expect([...codes(a.receivingCourts)].sort()).toEqual([...courts, '川01', '川'].sort());
    expect(codes(a.receivingCourts).slice(0, 3)).toEqual(['川01', '川', '川0105']);
    // 0.25 × 1 + 0.15 × 6/10 + 0.15 × (0.5 seat + 0.5 property) + 0.25 × 1 (level) + 0.12 × 0.5 + 0.08 × 1
    expect(a.receivingCourts[0]!.score).toBe(0.88);
    expect(a.receivingCourts[0]!.factors.map((f) => f.value)).toEqual([1, 0.6, 1, 1, 0.5, 1]);
    // The high court holds everything but is a level above the intermediate level the series needs.
    expect(a.receivingCourts[1]!.factors.map((f) => f.value)).toEqual([1, 1, 1, 0.2, 0.5, 1]);
    // 川0105 holds the property but one case of ten, and is below the level needed.
    expect(a.receivingCourts[2]!.factors.map((f) => f.value)).toEqual([1, 0.1, 1, 0, 0.5, 1]);
    expectWellFormedRanking(a.receivingCourts);
    expect(a.explanation).toContain('集中执行');
    expect(a.explanation).toContain('MANY_COURTS, SPREAD');
    expect(a.explanation).toContain('10 unclosed cases in 10 courts across 3 prefectures');
    expect(a.explanation).toContain('P-MAIN');
    expect(a.explanation).toContain('the series needs an intermediate court (cases in 3 prefectures (≥ 2))');
  });

  it('offers the basic court where the property lies when it holds no case', () => {
    const elsewhere = property('P-MAIN', '510113', { estimatedValue: 5_000_000_00, measures: [measure('川0105')] });
    const a = assessDebtor(debtor(cases, [elsewhere]), ctx());
    expect(a.recommendedMode).toBe('CENTRALIZED');
    expect(codes(a.receivingCourts)).toContain('川0113');
    expect(
      factor(
        a.receivingCourts.find((c) => c.courtCode === '川0113')!,
        'mainProperty',
      ),
    ).toBe(1);
    expect(a.receivingCourts[0]!.courtCode).toBe('川01');
    expectWellFormedRanking(a.receivingCourts);
  });

  it('chooses the high court when a case is already executed by it', () => {
    const a = assessDebtor(debtor([...cases, caseIn('川')], [main]), ctx());
    expect(a.recommendedMode).toBe('CENTRALIZED');
    expect(a.receivingCourts[0]!.courtCode).toBe('川');
    expect(a.receivingCourts[0]!.factors.find((f) => f.name === 'level')!.detail).toContain('cases already executed by 川');
    expectWellFormedRanking(a.receivingCourts);
  });

  it('centralizes five courts across two prefectures even below MANY_COURTS', () => {
    const five = ['川0105', '川0107', '川1502', '川1503', '川1504'].map((code) => caseIn(code));
    const a = assessDebtor(debtor(five), ctx());
    expect(metIds(a)).toEqual(['SPREAD']);
    expect(a.recommendedMode).toBe('CENTRALIZED');
    // No property: 宜宾's intermediate court holds most cases (3 of 5) and is of the level the series needs.
    expect([...codes(a.receivingCourts)].sort()).toEqual(['川', '川0105', '川0107', '川15', '川1502', '川1503', '川1504']);
    expect(codes(a.receivingCourts).slice(0, 2)).toEqual(['川15', '川']);
    expectWellFormedRanking(a.receivingCourts);
    // Four courts across two prefectures are not enough to centralize.
    expect(assessDebtor(debtor(five.slice(0, 4)), ctx()).recommendedMode).not.toBe('CENTRALIZED');
  });
});

describe('elevated execution (提级执行): a long-idle asset beyond a basic court', () => {
  const idleLarge = (divisionCode: string, courtCode: string, estimatedValue = 200_000_000_00) =>
    property('P-PLANT', divisionCode, { estimatedValue, undisposedSince: addMonths(TODAY, -9), measures: [measure(courtCode)] });

  it('names the intermediate court above the basic court', () => {
    const c = caseIn('川0105', { filedAt: addMonths(TODAY, -9), amountRecovered: 1_000_00 });
    const a = assessDebtor(debtor([c], [idleLarge('510105', '川0105')]), ctx());
    expect(metIds(a)).toEqual(['IDLE_PROPERTY', 'CAPACITY']);
    expect(a.recommendedMode).toBe('ELEVATED');
    expect(codes(a.receivingCourts)).toEqual(['川01']);
    // Property within its prefecture 1; all cases there 1; the debtor's seat and property there 1; the series (one
    // basic-court case within a basic court's usual amount) needs a basic court, one level below: 0.2; load at the
    // median 0.5; staff 1.
    expect(a.receivingCourts[0]!.factors.map((f) => f.value)).toEqual([1, 1, 1, 0.2, 0.5, 1]);
    expect(a.receivingCourts[0]!.score).toBe(0.74);
    expectWellFormedRanking(a.receivingCourts);
    expect(a.explanation).toContain('提级执行');
    expect(a.explanation).toContain('IDLE_PROPERTY, CAPACITY');
    expect(a.explanation).toContain('controlled assets worth 200000000.00 yuan');
  });

  it('names the high court when the cases span prefectures', () => {
    const a = assessDebtor(debtor([caseIn('川0105'), caseIn('川1502')], [idleLarge('511502', '川1502')]), ctx());
    expect(metIds(a)).toEqual(['IDLE_PROPERTY', 'SPREAD', 'CAPACITY']);
    expect(a.recommendedMode).toBe('ELEVATED');
    expect(codes(a.receivingCourts)).toEqual(['川']);
    expect(factor(a.receivingCourts[0]!, 'mainProperty')).toBe(1);
    expectWellFormedRanking(a.receivingCourts);
  });

  it('elevates a basic-court case whose outstanding amount is beyond the basic usual size', () => {
    const big = caseIn('川1502', { amountDue: 20_000_000_00 });
    const a = assessDebtor(debtor([big]), ctx());
    expect(metIds(a)).toEqual(['CAPACITY']);
    expect(a.recommendedMode).toBe('ELEVATED');
    expect(codes(a.receivingCourts)).toEqual(['川15']);
    expect(a.explanation).toContain(big.number);
  });

  it.each([
    [RULES_CONFIG.modes.elevateMinValueFen - 1, 'DEADLINE_ORDER', []],
    [RULES_CONFIG.modes.elevateMinValueFen, 'ELEVATED', ['川']],
    [RULES_CONFIG.modes.elevateMinValueFen + 1, 'ELEVATED', ['川']],
  ])('an idle asset worth %i fen in an intermediate-court case (within its capacity) → %s', (value, mode, receiving) => {
    const a = assessDebtor(debtor([caseIn('川01')], [idleLarge('510105', '川01', value)]), ctx());
    expect(metIds(a)).toEqual(['IDLE_PROPERTY']);
    expect(a.recommendedMode).toBe(mode);
    expect(codes(a.receivingCourts)).toEqual(receiving);
  });

  // Bug: a railway transport basic court (川7101) has no prefecture, so the case goes to the high court instead of
  // the intermediate court above it, 成都铁路运输中级法院 (川71; parent in domain/sichuan.ts). docs/rules.md: "the
  // intermediate court above a basic court".
  it('names 川71, not the high court, above the railway transport court 川7101', () => {
    const a = assessDebtor(debtor([caseIn('川7101', { amountDue: 20_000_000_00 })]), ctx());
    expect(a.recommendedMode).toBe('ELEVATED');
    expect(codes(a.receivingCourts)).toEqual(['川71']);
  });
});

describe('collaborative execution (协同执行): several courts seize one asset', () => {
  const shared = property('P-TOWER', '510105', {
    estimatedValue: 8_000_000_00,
    measures: [measure('川0105'), measure('川0107', 'WAITING'), measure('川0104', 'LAPSED'), measure('川0106', 'RELEASED')],
  });

  // Issue 14 item 2: before, the coordinator was ranked among the courts holding the measures (川0105 first, 川0107
  // second); collaboration is coordinated from above, by the lowest court above every court involved.
  it('keeps the cases where they are, coordinated by the court above the courts holding a measure on the asset', () => {
    const civil = caseIn('川0105');
    const criminal = caseIn('川0107', { category: 'CRIMINAL_RESTITUTION' });
    const a = assessDebtor(debtor([civil, criminal], [shared]), ctx());
    expect(metIds(a)).toEqual(['SPREAD']);
    expect(a.recommendedMode).toBe('COLLABORATIVE');
    // Only the standing measures' courts (川0105, 川0107) are coordinated; the lapsed and released ones hold nothing.
    expect(codes(a.receivingCourts)).toEqual(['川01']);
    expect(a.proposedCases).toEqual([civil.number, criminal.number].sort());
    expectWellFormedRanking(a.receivingCourts);
    expect(a.explanation).toContain('协同执行');
    expect(a.explanation).toContain('SPREAD');
    expect(a.explanation).toContain('P-TOWER');
    expect(a.explanation).toContain('the lowest court above 川0105, 川0107');
    expect(a.explanation).toContain('criminal restitution competing with civil creditors');
  });

  it('has a basic and an intermediate court coordinated by the high court, never by the basic court', () => {
    const tower = property('P-TOWER', '510105', { measures: [measure('川0105'), measure('川01', 'WAITING')] });
    const a = assessDebtor(debtor([caseIn('川0105'), caseIn('川01')], [tower]), ctx());
    expect(a.recommendedMode).toBe('COLLABORATIVE');
    expect(codes(a.receivingCourts)).toEqual(['川']);
  });

  it('wins over elevation, and only mentions criminal restitution when there is such a case', () => {
    const large = property('P-TOWER', '510105', { ...shared, estimatedValue: 200_000_000_00, undisposedSince: addMonths(TODAY, -9) });
    const a = assessDebtor(debtor([caseIn('川0105'), caseIn('川0107')], [large]), ctx());
    expect(metIds(a)).toEqual(['IDLE_PROPERTY', 'SPREAD', 'CAPACITY']);
    expect(a.recommendedMode).toBe('COLLABORATIVE');
    expect(a.explanation).not.toContain('criminal restitution');
  });

  // Bug: with no stuck case, assessDebtor falls back on the first case court as the "stuck" court, so the last
  // branch (docs/rules.md: "COLLABORATIVE — cases across prefectures without a shared asset") is unreachable and a
  // court with nothing wrong gets a deadline order. Actual: DEADLINE_ORDER, "川0105 keeps the case and must act by a
  // deadline (督促执行)".
  // Issue 14 item 2: the coordinator was one of the two basic courts; across prefectures it is the high court.
  it('coordinates cases across prefectures without a shared asset instead of ordering a deadline', () => {
    const cases = [caseIn('川0105'), caseIn('川1502')];
    const a = assessDebtor(debtor(cases), ctx());
    expect(metIds(a)).toEqual(['SPREAD']);
    expect(a.recommendedMode).toBe('COLLABORATIVE');
    expect(codes(a.receivingCourts)).toEqual(['川']);
    expect(a.proposedCases).toEqual(cases.map((c) => c.number).sort());
    expect(a.explanation).toContain('coordinated by 川 (协同执行), the lowest court above 川0105, 川1502');
  });
});

describe('a single stuck case', () => {
  // Stuck by 执行程序若干问题的解释 Art. 10: a property held since filing seven months ago and not executed.
  const stuck = (over: Partial<CaseFact> = {}) =>
    caseIn('川0105', { filedAt: addMonths(TODAY, -7), properties: [heldProperty('P-STUCK', addMonths(TODAY, -7))], ...over });

  it('orders the court to act by a deadline (督促执行) when it is active and not overloaded', () => {
    const c = stuck();
    const a = assessDebtor(debtor([c]), ctx());
    expect(metIds(a)).toEqual(['LONG_UNEXECUTED']);
    expect(a.recommendedMode).toBe('DEADLINE_ORDER');
    expect(a.receivingCourts).toEqual([]);
    expect(a.explanation).toBe(
      'Rules met: LONG_UNEXECUTED. 川0105 keeps the case and must act by a deadline (督促执行); outstanding 100000.00 yuan.',
    );
  });

  it('directs a same-level court of the same prefecture to execute it when no action was taken for long', () => {
    const a = assessDebtor(debtor([stuck({ lastActionAt: addDays(TODAY, -100) })]), ctx());
    expect(metIds(a)).toEqual(['LONG_UNEXECUTED', 'PASSIVE_EXECUTION']);
    expect(a.recommendedMode).toBe('DIRECTED');
    expect([...codes(a.receivingCourts)].sort()).toEqual(CHENGDU_BASIC.filter((c) => c !== '川0105'));
    expect(codes(a.receivingCourts)).not.toContain('川0105');
    expectWellFormedRanking(a.receivingCourts);
    expect(a.explanation).toContain('指定执行');
    expect(a.explanation).toContain('LONG_UNEXECUTED, PASSIVE_EXECUTION');
    expect(a.explanation).toContain('川0105 shows no enforcement action for a long stretch');
  });

  it('directs it away from an overloaded court, to the least loaded peer', () => {
    const p = province({ 川0105: { openCaseCount: 200 }, 川0107: { openCaseCount: 20 } });
    const a = assessDebtor(debtor([stuck()]), ctx({ province: p }));
    expect(metIds(a)).toEqual(['LONG_UNEXECUTED', 'CAPACITY']);
    expect(a.recommendedMode).toBe('DIRECTED');
    expect(codes(a.receivingCourts)).not.toContain('川0105');
    expect(a.receivingCourts.every((c) => CHENGDU_BASIC.includes(c.courtCode))).toBe(true);
    expect(a.receivingCourts[0]!.courtCode).toBe('川0107');
    expect(factor(a.receivingCourts[0]!, 'load')).toBe(0.9);
    expectWellFormedRanking(a.receivingCourts);
    expect(a.explanation).toContain('川0105 carries 20.0 open cases per enforcement officer');
  });

  // Pinned so that a change is deliberate: an intermediate court is the only court of its level in its prefecture,
  // so DIRECTED (same level, same prefecture) is recommended with no receiving court at all.
  it('directs an intermediate court’s stuck case to another prefecture’s intermediate court', () => {
    const a = assessDebtor(debtor([caseIn('川15', { filedAt: addMonths(TODAY, -7), lastActionAt: addDays(TODAY, -120) })]), ctx());
    expect(a.recommendedMode).toBe('DIRECTED');
    const codes = a.receivingCourts.map((c) => c.courtCode);
    expect(codes.length).toBe(20); // the 21 prefectures' intermediate courts, less 川15; the railway court 川71 is special
    expect(codes).not.toContain('川15');
    expect(codes).not.toContain('川71');
    expect(codes.every((c) => /^川\d\d$/.test(c))).toBe(true);
  });
});

describe('receiving-court ranking', () => {
  // Cases in two 成都 courts and three 宜宾 courts: centralized at an intermediate court (two prefectures).
  const cases = ['川0105', '川0107', '川1502', '川1503', '川1504'].map((code) => caseIn(code));

  it('follows the main property when it moves', () => {
    const inChengdu = property('P-MAIN', '510105', { estimatedValue: 50_000_000_00, measures: [measure('川0105')] });
    const inYibin = { ...inChengdu, prefecture: '川15', divisionCode: '511502' };
    const before = assessDebtor(debtor(cases, [inChengdu]), ctx());
    const after = assessDebtor(debtor(cases, [inYibin]), ctx());
    expect(before.recommendedMode).toBe('CENTRALIZED');
    expect(after.recommendedMode).toBe('CENTRALIZED');
    expect(before.receivingCourts[0]!.courtCode).toBe('川01');
    expect(after.receivingCourts[0]!.courtCode).toBe('川15');
    expect(
      factor(
        before.receivingCourts.find((c) => c.courtCode === '川15')!,
        'mainProperty',
      ),
    ).toBe(0);
    expect(factor(after.receivingCourts[0]!, 'mainProperty')).toBe(1);
    // 0.25 × 1 + 0.15 × 3/5 + 0.15 × (0.5 × property) + 0.25 × 1 + 0.12 × 0.5 + 0.08 × 1
    expect(after.receivingCourts[0]!.score).toBe(0.805);
    expectWellFormedRanking(before.receivingCourts);
    expectWellFormedRanking(after.receivingCourts);
  });

  it("follows a court's load when it changes", () => {
    const two = (p: ReturnType<typeof province>) =>
      rankReceivingCourts(debtor(cases), [p.courts.get('川0105')!, p.courts.get('川0107')!], p);
    const seatless = (p: ReturnType<typeof province>) =>
      rankReceivingCourts(debtor(cases, [], null), [p.courts.get('川0105')!, p.courts.get('川0107')!], p);
    const before = seatless(province());
    expect(codes(before)).toEqual(['川0105', '川0107']);
    expect(before[0]!.score).toBe(before[1]!.score);
    const after = seatless(province({ 川0105: { openCaseCount: 140 } }));
    expect(codes(after)).toEqual(['川0107', '川0105']);
    expect(factor(after[1]!, 'load')).toBe(0.3);
    expectWellFormedRanking(after);
    // The debtor's domicile in 川0105's county outweighs that load difference.
    expect(codes(two(province({ 川0105: { openCaseCount: 140 } })))).toEqual(['川0105', '川0107']);
  });

  it('weighs enforcement staff against the largest candidate', () => {
    const p = province({ 川0107: { enforcementStaffCount: 20, openCaseCount: 200 } });
    const ranked = rankReceivingCourts(debtor(cases, [], null), [p.courts.get('川0105')!, p.courts.get('川0107')!], p);
    expect(codes(ranked)).toEqual(['川0107', '川0105']);
    expect(factor(ranked[0]!, 'staff')).toBe(1);
    expect(factor(ranked[1]!, 'staff')).toBe(0.5);
    expectWellFormedRanking(ranked);
  });

  it('uses the weights of the configuration passed in', () => {
    const weights = { mainProperty: 0.1, cases: 0, parties: 0.1, level: 0, load: 0.7, staff: 0.1 };
    const config = { ...RULES_CONFIG, receivingCourt: { ...RULES_CONFIG.receivingCourt, assessmentWeights: weights } };
    const p = province({ 川1502: { openCaseCount: 0 } });
    const main = property('P-MAIN', '510105', { estimatedValue: 50_000_000_00, measures: [measure('川0105')] });
    const candidates = [p.courts.get('川0105')!, p.courts.get('川1502')!];
    expect(codes(rankReceivingCourts(debtor(cases, [main]), candidates, p))).toEqual(['川0105', '川1502']);
    const ranked = rankReceivingCourts(debtor(cases, [main]), candidates, p, config);
    expect(codes(ranked)).toEqual(['川1502', '川0105']);
    expectWellFormedRanking(ranked, weights);
    const a = assessDebtor(debtor(cases, [main]), ctx({ province: p, config }));
    expect(a.receivingCourts[0]!.courtCode).toBe('川1502');
    expectWellFormedRanking(a.receivingCourts, weights);
  });
});

describe('thresholds from the configuration', () => {
  it('lets a lower MANY_COURTS threshold turn a deadline order into centralized execution', () => {
    const three = ['川0105', '川0107', '川0104'].map((code) =>
      caseIn(code, { filedAt: addMonths(TODAY, -7), properties: [heldProperty(`P-${code}`, addMonths(TODAY, -7))] }),
    );
    expect(assessDebtor(debtor(three), ctx()).recommendedMode).toBe('DEADLINE_ORDER');
    const config = {
      ...RULES_CONFIG,
      rules: { ...RULES_CONFIG.rules, MANY_COURTS: { ...RULES_CONFIG.rules.MANY_COURTS, minCases: 3, minCourts: 2 } },
    };
    const a = assessDebtor(debtor(three), ctx({ config }));
    expect(a.recommendedMode).toBe('CENTRALIZED');
    expect(a.explanation).toContain('MANY_COURTS, LONG_UNEXECUTED');
  });
});

describe('criminal restitution and review cases (issue 14 item 3)', () => {
  // A series of ten civil cases over three prefectures, with a criminal restitution case at 川0107 among them.
  const courts = [...CHENGDU_BASIC.slice(0, 5), '川1502', '川1503', '川1504', '川3401'];
  const civil = courts.map((code) => caseIn(code));
  const criminal = caseIn('川0107', { category: 'CRIMINAL_RESTITUTION' });
  const main = property('P-MAIN', '510105', { estimatedValue: 5_000_000_00, measures: [measure('川0105')] });

  it('counts the criminal case for the series but leaves it out of the cases a centralized decision moves', () => {
    const a = assessDebtor(debtor([...civil, criminal], [main]), ctx());
    expect(a.rules.find((r) => r.id === 'MANY_COURTS')!.evidence.caseNumbers).toContain(criminal.number);
    expect(a.recommendedMode).toBe('CENTRALIZED');
    expect(a.proposedCases).toEqual(civil.map((c) => c.number).sort());
    expect(a.proposedCases).not.toContain(criminal.number);
    expect(a.explanation).toContain(`The criminal restitution case ${criminal.number} (川0107) stays with the criminal court`);
  });

  it('neither counts nor moves review cases', () => {
    const review = ['执异', '执复', '执监', '执协'].map((typeCode) => caseIn('川0106', { typeCode }));
    const nine = civil.slice(0, 9);
    const a = assessDebtor(debtor([...nine, ...review], [main]), ctx());
    expect(a.rules.find((r) => r.id === 'MANY_COURTS')!.met).toBe(false);
    for (const c of review) expect(a.proposedCases).not.toContain(c.number);
    expect(a.proposedCases.length).toBeGreaterThan(0);
  });

  it('recommends nothing for a debtor with only review cases: they are heard, not executed, so no stuck-case rule reads them', () => {
    const stuckReview = caseIn('川0105', { typeCode: '执异', filedAt: addMonths(TODAY, -7), lastActionAt: null });
    const a = assessDebtor(debtor([stuckReview]), ctx());
    expect(metIds(a)).not.toContain('LONG_UNEXECUTED');
    expect(metIds(a)).not.toContain('PASSIVE_EXECUTION');
    expect(a.recommendedMode).toBeNull();
    expect(a.proposedCases).toEqual([]);
  });

  it('does not direct a quiet criminal restitution case away: its court is ordered to act instead', () => {
    const quiet = caseIn('川0105', { category: 'CRIMINAL_RESTITUTION', filedAt: addMonths(TODAY, -7), lastActionAt: addMonths(TODAY, -6) });
    const a = assessDebtor(debtor([quiet]), ctx());
    expect(metIds(a)).toContain('PASSIVE_EXECUTION');
    expect(a.recommendedMode).toBe('DEADLINE_ORDER');
    expect(a.proposedCases).toEqual([quiet.number]);
  });
});
