import { describe, it, expect } from 'vitest';
import { COURTS } from '../../domain/sichuan';
import { addDays, addMonths } from '../../domain/dates';
import { RULES_CONFIG, RULE_IDS, type RulesConfig } from '../../domain/rules/config';
import { provincialMedianCasesPerOfficer, type CaseFact, type DebtorFacts, type PropertyFact } from '../../domain/rules/facts';
import {
  capacity,
  evaluateRules,
  idleProperty,
  longUnexecuted,
  manyCourts,
  passiveExecution,
  spread,
  type RuleContext,
} from '../../domain/rules/rules';
import { TODAY, caseIn, heldProperty, measure, property, province } from '../support/ruleFacts';

// Issue #3: "Each rule at, just below and just above its threshold, with its evidence".

function debtor(unclosedCases: CaseFact[], properties: PropertyFact[] = []): DebtorFacts {
  return { id: 'D-1', divisionCode: '510105', unclosedCases, properties };
}

const ctx = (over: Partial<RuleContext> = {}): RuleContext => ({ today: TODAY, province: province(), ...over });

/** A configuration with one rule's thresholds replaced. */
function withRule<K extends keyof RulesConfig['rules']>(id: K, thresholds: Record<string, unknown>): RulesConfig {
  return { ...RULES_CONFIG, rules: { ...RULES_CONFIG.rules, [id]: { ...RULES_CONFIG.rules[id], ...thresholds } } };
}

/** Basic courts of 成都 (川01), in code order. */
const CHENGDU_BASIC = COURTS.filter((c) => c.prefecture === '川01' && c.level === 'BASIC').map((c) => c.code);

describe('the test province', () => {
  it('has the provincial median of 10 open cases per officer that the capacity thresholds below rely on', () => {
    expect(CHENGDU_BASIC.length).toBe(23); // 20 county-level courts and 川0191-川0193 (docs/courts.md)
    expect(provincialMedianCasesPerOfficer(province())).toBe(10);
    // One court's load does not move the median of 211 courts.
    expect(provincialMedianCasesPerOfficer(province({ 川0105: { openCaseCount: 151 } }))).toBe(10);
  });

  it('meets no rule for a debtor with one recent, active, small case', () => {
    const results = evaluateRules(debtor([caseIn('川0105')], [property('P-1', '510105', { measures: [measure('川0105')] })]), ctx());
    expect(results.map((r) => [r.id, r.met])).toEqual(RULE_IDS.map((id) => [id, false]));
  });
});

describe('MANY_COURTS', () => {
  // Issue 14 item 6: the provincial standard is "the same debtor has 10 or more 未实结 cases in different courts" —
  // at least 10 cases spread over at least 2 courts. Before issue 14 the rule demanded 10 different courts.
  it.each([
    [9, false],
    [10, true],
    [11, true],
  ])('%i unclosed implementation cases in two courts → met %s, the courts and cases as evidence', (n, met) => {
    const cases = Array.from({ length: n }, (_, i) => caseIn(i % 2 ? '川0105' : '川0104'));
    const r = manyCourts(debtor(cases), ctx());
    expect(r.id).toBe('MANY_COURTS');
    expect(r.met).toBe(met);
    expect(r.threshold).toBe(
      'at least 10 未实结 implementation cases (执, 执恢, 执保; unclosed or closed as 终本) in at least 2 different courts',
    );
    expect(r.observed).toBe(`${n} 未实结 implementation cases in 2 courts`);
    expect(r.evidence.courtCodes).toEqual(['川0104', '川0105']);
    expect(r.evidence.caseNumbers).toEqual(cases.map((c) => c.number).sort());
    expect(r.evidence.detail).toBe(
      `courts executing 未实结 implementation cases: 川0104 (${Math.ceil(n / 2)}), 川0105 (${Math.floor(n / 2)})`,
    );
    expect(r.evidence.propertyIds).toEqual([]);
    expect(r.evidence.dates).toEqual([]);
  });

  it('is not met by many cases in one court: the cases lie in different courts', () => {
    const one = Array.from({ length: 12 }, () => caseIn('川0105'));
    const r = manyCourts(debtor(one), ctx());
    expect([r.met, r.observed]).toEqual([false, '12 未实结 implementation cases in 1 courts']);
    // One more case in a second court meets it.
    expect(manyCourts(debtor([...one, caseIn('川0106')]), ctx()).met).toBe(true);
  });

  it('counts 执, 执恢 and 执保 but not the review cases 执异, 执复, 执监, 执协 (issue 14 item 3)', () => {
    const counted = Array.from({ length: 9 }, (_, i) => caseIn(i % 2 ? '川0105' : '川0104'));
    const review = ['执异', '执复', '执监', '执协'].map((typeCode) => caseIn('川0106', { typeCode }));
    const r = manyCourts(debtor([...counted, ...review]), ctx());
    expect(r.met).toBe(false);
    expect(r.observed).toBe('9 未实结 implementation cases in 2 courts');
    expect(r.evidence.caseNumbers).toEqual(counted.map((c) => c.number).sort());
    expect(r.evidence.detail).toContain(
      `not counted (review cases): ${review
        .map((c) => c.number)
        .sort()
        .join(', ')}`,
    );
    for (const typeCode of ['执恢', '执保']) {
      const tenth = caseIn('川0106', { typeCode });
      const met = manyCourts(debtor([...counted, tenth, ...review]), ctx());
      expect([met.met, met.evidence.courtCodes]).toEqual([true, ['川0104', '川0105', '川0106']]);
      expect(met.evidence.caseNumbers).toContain(tenth.number);
    }
  });

  it('counts a criminal restitution case as evidence for the series (issue 14 item 3)', () => {
    const civil = Array.from({ length: 9 }, () => caseIn('川0105'));
    const criminal = caseIn('川0107', { category: 'CRIMINAL_RESTITUTION' });
    const r = manyCourts(debtor([...civil, criminal]), ctx());
    expect(r.met).toBe(true);
    expect(r.evidence.caseNumbers).toContain(criminal.number);
    expect(r.evidence.courtCodes).toEqual(['川0105', '川0107']);
  });

  it('takes its thresholds from the configuration passed in', () => {
    const cases = CHENGDU_BASIC.slice(0, 3).map((code) => caseIn(code));
    expect(manyCourts(debtor(cases), ctx()).met).toBe(false);
    const config = withRule('MANY_COURTS', { minCases: 3, minCourts: 3 });
    const r = manyCourts(debtor(cases), ctx({ config }));
    expect(r.met).toBe(true);
    expect(r.threshold).toBe(
      'at least 3 未实结 implementation cases (执, 执恢, 执保; unclosed or closed as 终本) in at least 3 different courts',
    );
    expect(manyCourts(debtor(cases.slice(0, 2)), ctx({ config })).met).toBe(false);
    expect(manyCourts(debtor([...cases.slice(0, 2), caseIn(cases[0]!.courtCode)]), ctx({ config })).met).toBe(false);
  });
});

describe('IDLE_PROPERTY by idle time alone (requireFailedSupervision off)', () => {
  const cutoff = addMonths(TODAY, -6);
  const idleOnly = ctx({ config: withRule('IDLE_PROPERTY', { requireFailedSupervision: false }) });

  it('puts the cutoff exactly six calendar months before today', () => {
    expect(cutoff).toBe('2025-12-30');
  });

  it.each([
    ['one day earlier than six months', addDays(cutoff, -1), true],
    ['exactly six months', cutoff, true],
    ['one day later than six months', addDays(cutoff, 1), false],
  ])('a property undisposed since %s before today (%s) → met %s', (_label, since, met) => {
    const idle = property('P-IDLE', '510105', {
      undisposedSince: since,
      measures: [measure('川0105'), measure('川0107', 'WAITING'), measure('川0104', 'LAPSED'), measure('川0106', 'RELEASED')],
    });
    const fresh = property('P-FRESH', '510107', { measures: [measure('川0108')] });
    const disposed = property('P-SOLD', '510105', { undisposedSince: null, measures: [measure('川0112', 'RELEASED')] });
    const r = idleProperty(debtor([caseIn('川0105')], [fresh, idle, disposed]), idleOnly);
    expect(r.id).toBe('IDLE_PROPERTY');
    expect(r.met).toBe(met);
    expect(r.evidence.propertyIds).toEqual(met ? ['P-IDLE'] : []);
    expect(r.evidence.dates).toEqual(met ? [since] : []);
    // The courts whose measures still stand on the idle property; lapsed and released ones do not.
    expect(r.evidence.courtCodes).toEqual(met ? ['川0105', '川0107'] : []);
    expect(r.evidence.caseNumbers).toEqual([]);
    expect(r.observed).toBe(met ? `1 properties idle, the longest since ${since}` : 'no property idle that long');
  });

  it('lists several idle properties oldest first', () => {
    const a = property('P-A', '510105', { undisposedSince: '2025-03-01', measures: [measure('川0105')] });
    const b = property('P-B', '511502', { undisposedSince: '2024-11-15', measures: [measure('川1502')] });
    const r = idleProperty(debtor([], [a, b]), idleOnly);
    expect(r.met).toBe(true);
    expect(r.evidence.propertyIds).toEqual(['P-B', 'P-A']);
    expect(r.evidence.dates).toEqual(['2024-11-15', '2025-03-01']);
    expect(r.evidence.courtCodes).toEqual(['川0105', '川1502']);
  });

  it('takes its threshold from the configuration passed in', () => {
    const p = property('P-1', '510105', { undisposedSince: addMonths(TODAY, -7), measures: [measure('川0105')] });
    expect(idleProperty(debtor([], [p]), idleOnly).met).toBe(true);
    const r = idleProperty(
      debtor([], [p]),
      ctx({ config: withRule('IDLE_PROPERTY', { minIdleMonths: 12, requireFailedSupervision: false }) }),
    );
    expect(r.met).toBe(false);
    expect(r.threshold).toBe(`a controlled property undisposed since ${addMonths(TODAY, -12)} or earlier (12 months)`);
  });
});

describe('IDLE_PROPERTY: idle six months and supervision (督办) brought no progress (issue 15 item 2)', () => {
  const cutoff = addMonths(TODAY, -6);
  const idle = (since: string) => property('P-DB', '510105', { undisposedSince: since, measures: [measure('川0105')] });
  const holding = (orders: CaseFact['supervisionOrders']) =>
    caseIn('川0105', { properties: [heldProperty('P-DB', addMonths(TODAY, -9))], supervisionOrders: orders });
  const order = (supervisedAt: string, outcome: string) => ({ supervisedAt, supervisingCourt: '川01', outcome });

  it('is on by default, as the provincial standard states it', () => {
    expect(RULES_CONFIG.rules.IDLE_PROPERTY.requireFailedSupervision).toBe(true);
  });

  it.each([
    ['a 督办 with no progress', [order(addMonths(TODAY, -2), 'NO_PROGRESS')], true],
    ['a 督办 with progress', [order(addMonths(TODAY, -2), 'PROGRESS')], false],
    ['a 督办 still pending', [order(addMonths(TODAY, -2), 'PENDING')], false],
    ['no 督办', [], false],
    ['a failed 督办 before the property became idle only', [order(addMonths(TODAY, -10), 'NO_PROGRESS')], false],
    [
      'a failed 督办 followed by one with progress',
      [order(addMonths(TODAY, -4), 'NO_PROGRESS'), order(addMonths(TODAY, -1), 'PROGRESS')],
      false,
    ],
    [
      'a 督办 with progress followed by a failed one',
      [order(addMonths(TODAY, -4), 'PROGRESS'), order(addMonths(TODAY, -1), 'NO_PROGRESS')],
      true,
    ],
  ])('a property idle since six months ago, its case with %s → met %s', (_label, orders, met) => {
    const c = holding(orders);
    const r = idleProperty(debtor([c], [idle(addMonths(TODAY, -9))]), ctx());
    expect(r.met).toBe(met);
    expect(r.evidence.propertyIds).toEqual(met ? ['P-DB'] : []);
    expect(r.evidence.caseNumbers).toEqual(met ? [c.number] : []);
    expect(r.threshold).toContain(
      "a higher court's supervision (督办) of a case holding it, the latest since it became idle, ended with no progress",
    );
    if (met)
      expect(r.evidence.detail).toContain(
        `督办 by 川01 on ${addMonths(TODAY, -1 * (orders.length === 2 ? 1 : 2))} of ${c.number}: no progress`,
      );
    else expect(r.evidence.detail).toMatch(/^idle but not counted \(no failed 督办\): P-DB/);
  });

  it('still needs six months idle: a failed 督办 on a property idle one day short is not met', () => {
    const c = holding([order(addDays(TODAY, -3), 'NO_PROGRESS')]);
    expect(idleProperty(debtor([c], [idle(addDays(cutoff, 1))]), ctx()).met).toBe(false);
    expect(idleProperty(debtor([c], [idle(cutoff)]), ctx()).met).toBe(true);
  });

  it("reads the 督办 of the cases holding the property, not of the debtor's other cases", () => {
    const other = caseIn('川0107', { supervisionOrders: [order(addMonths(TODAY, -1), 'NO_PROGRESS')] });
    const r = idleProperty(debtor([holding([]), other], [idle(addMonths(TODAY, -9))]), ctx());
    expect(r.met).toBe(false);
    expect(r.observed).toBe('1 properties idle that long, none after a failed 督办');
  });
});

describe('LONG_UNEXECUTED: 执行程序若干问题的解释 Art. 10 (issue 14 item 7)', () => {
  const cutoff = addMonths(TODAY, -6);
  /** A money case filed `filedAt`, its lineage holding one property since `since`. */
  const held = (filedAt: string, since: string, over: Partial<CaseFact> = {}) =>
    caseIn('川0107', { filedAt, properties: [heldProperty('P-ART10', since)], ...over });

  it.each([
    ['5 months 29 days', addDays(cutoff, 1), false],
    ['exactly 6 months', cutoff, true],
    ['6 months and a day', addDays(cutoff, -1), true],
  ])('Art. 10(1): property under control at filing, filed %s ago → met %s', (_label, filedAt, met) => {
    // The property was seized (preserved) before the case was filed: it existed when execution was applied for.
    const old = held(filedAt, addMonths(filedAt, -2));
    const r = longUnexecuted(debtor([caseIn('川0105'), old]), ctx());
    expect(r.id).toBe('LONG_UNEXECUTED');
    expect(r.met).toBe(met);
    expect(r.evidence.caseNumbers).toEqual(met ? [old.number] : []);
    expect(r.evidence.courtCodes).toEqual(met ? ['川0107'] : []);
    expect(r.evidence.propertyIds).toEqual(met ? ['P-ART10'] : []);
    expect(r.evidence.dates).toEqual(met ? [filedAt] : []);
    expect(r.observed).toBe(met ? `1 such cases, the longest since ${filedAt}` : 'none');
    if (met) expect(r.evidence.detail).toBe(`${old.number} (filed ${filedAt}): P-ART10 under control at filing (${filedAt}), not executed`);
  });

  it.each([
    ['5 months 29 days', addDays(cutoff, 1), false],
    ['exactly 6 months', cutoff, true],
  ])('Art. 10(2): property found during execution, under control for %s → met %s, counted from its discovery', (_label, since, met) => {
    const old = held(addMonths(TODAY, -20), since);
    const r = longUnexecuted(debtor([old]), ctx());
    expect(r.met).toBe(met);
    expect(r.evidence.dates).toEqual(met ? [since] : []);
    if (met) expect(r.evidence.detail).toContain(`P-ART10 under control since ${since}, not executed`);
  });

  it('partial recovery does not end it; full disposal of the property does', () => {
    const partly = held(addMonths(TODAY, -8), addMonths(TODAY, -8), { amountRecovered: 40_000_00 });
    expect(longUnexecuted(debtor([partly]), ctx()).evidence.caseNumbers).toEqual([partly.number]);
    const sold = held(addMonths(TODAY, -8), addMonths(TODAY, -8), { properties: [heldProperty('P-SOLD', addMonths(TODAY, -8), true)] });
    expect(longUnexecuted(debtor([sold]), ctx()).met).toBe(false);
  });

  it('a case with no property found does not meet it, however old and however little recovered', () => {
    const bare = caseIn('川0105', { filedAt: addMonths(TODAY, -30), amountRecovered: 0 });
    const r = longUnexecuted(debtor([bare, caseIn('川0106', { filedAt: addMonths(TODAY, -30), properties: [] })]), ctx());
    expect(r.met).toBe(false);
    expect(r.observed).toBe('none');
  });

  it.each([
    ['no action recorded, filed 6 months ago', cutoff, null, true],
    ['no action recorded, filed 5 months 29 days ago', addDays(cutoff, 1), null, false],
    ['an enforcement action recorded', addMonths(TODAY, -9), addMonths(TODAY, -8), false],
  ])('Art. 10(3): a conduct obligation, %s → met %s', (_label, filedAt, lastActionAt, met) => {
    const conduct = caseIn('川0105', { filedAt, lastActionAt, amountDue: null });
    const r = longUnexecuted(debtor([conduct]), ctx());
    expect(r.met).toBe(met);
    if (met)
      expect(r.evidence.detail).toBe(
        `${conduct.number} (filed ${filedAt}): conduct ordered, no enforcement action since filing on ${filedAt}`,
      );
  });

  it('lists several stuck cases longest first, with their courts and properties', () => {
    const a = caseIn('川1502', { filedAt: '2025-10-01', properties: [heldProperty('P-A', '2025-11-01')] });
    const b = caseIn('川0105', {
      filedAt: '2025-01-20',
      properties: [heldProperty('P-B2', '2025-06-01'), heldProperty('P-B1', '2025-03-01')],
    });
    const r = longUnexecuted(debtor([a, b]), ctx());
    expect(r.evidence.caseNumbers).toEqual([b.number, a.number]);
    expect(r.evidence.dates).toEqual(['2025-03-01', '2025-11-01']);
    expect(r.evidence.courtCodes).toEqual(['川0105', '川1502']);
    expect(r.evidence.propertyIds).toEqual(['P-A', 'P-B1', 'P-B2']);
  });

  it('says in its threshold that the periods Art. 13 leaves out are not counted', () => {
    expect(longUnexecuted(debtor([]), ctx()).threshold).toContain(
      'The recorded periods Art. 13 leaves out (中止, 暂缓, public notice, appraisal, jurisdiction dispute, coordination) that fall inside the six months are not counted',
    );
  });

  it('takes its threshold from the configuration passed in', () => {
    const c = held(addMonths(TODAY, -4), addMonths(TODAY, -4));
    expect(longUnexecuted(debtor([c]), ctx()).met).toBe(false);
    const r = longUnexecuted(debtor([c]), ctx({ config: withRule('LONG_UNEXECUTED', { minMonths: 3 }) }));
    expect(r.met).toBe(true);
    expect(r.evidence.caseNumbers).toEqual([c.number]);
  });
});

describe('LONG_UNEXECUTED deducts the periods 执行程序若干问题的解释 Art. 13 leaves out (issue 15 item 1)', () => {
  const cutoff = addMonths(TODAY, -6);
  const held = (filedAt: string, over: Partial<CaseFact> = {}) =>
    caseIn('川0107', { filedAt, properties: [heldProperty('P-ART13', addMonths(filedAt, -1))], ...over });
  /** A closed period of `days` days starting `startsAt`. */
  const period = (kind: string, startsAt: string, days: number) => ({ kind, startsAt, endsAt: addDays(startsAt, days - 1) });

  it.each([
    ['exactly six months once 10 days are left out', 10, true],
    ['one day short once 11 days are left out', 11, false],
  ])('a case filed six months and 10 days ago with a suspension inside: %s → met %s', (_label, days, met) => {
    const filedAt = addDays(cutoff, -10);
    const c = held(filedAt, { excludedPeriods: [period('SUSPENSION', addDays(filedAt, 30), days)] });
    const r = longUnexecuted(debtor([c]), ctx());
    expect(r.met).toBe(met);
    expect(r.evidence.caseNumbers).toEqual(met ? [c.number] : []);
    const runsOut = addDays(addMonths(filedAt, 6), days);
    if (met)
      expect(r.evidence.detail).toBe(
        `${c.number} (filed ${filedAt}): P-ART13 under control at filing (${filedAt}), not executed ` +
          `(10 days not counted, Art. 13: SUSPENSION ${addDays(filedAt, 30)}–${addDays(filedAt, 39)}, 10 days)`,
      );
    else
      expect(r.evidence.detail).toBe(
        `not yet six months once Art. 13's periods are left out: ${c.number}: P-ART13's six months from ${filedAt} run out on ` +
          `${runsOut} (11 days not counted, Art. 13: SUSPENSION ${addDays(filedAt, 30)}–${addDays(filedAt, 40)}, 11 days)`,
      );
  });

  it('deducts only the days inside the six months: not those before the property came under control, nor after they ran out', () => {
    const filedAt = addMonths(TODAY, -12);
    const since = addMonths(TODAY, -7); // found during execution: its six months run from here
    const c = caseIn('川0107', {
      filedAt,
      properties: [heldProperty('P-LATE', since)],
      excludedPeriods: [
        period('PUBLIC_NOTICE', addMonths(TODAY, -10), 60), // before the property was found: not inside
        period('APPRAISAL', addDays(since, -5), 20), // straddles the start: 15 days inside
        period('STAY', addDays(TODAY, -10), 5), // after the six months ran out (pushed back to 15 days past six months)
      ],
    });
    const r = longUnexecuted(debtor([c]), ctx());
    // Seven months minus 15 days is still more than six months.
    expect(r.met).toBe(true);
    expect(r.evidence.detail).toContain(`(15 days not counted, Art. 13: APPRAISAL ${addDays(since, -5)}–${addDays(since, 14)}, 15 days)`);
    expect(r.evidence.detail).not.toContain('PUBLIC_NOTICE');
    expect(r.evidence.detail).not.toContain('STAY');
  });

  it('a period pushed inside by an earlier deduction is deducted too; an ongoing period runs through today', () => {
    const filedAt = addDays(cutoff, -20);
    const base = addMonths(filedAt, 6); // six months run out here with nothing left out
    const first = period('JURISDICTION_DISPUTE', addDays(filedAt, 10), 15);
    const second = period('COORDINATION', addDays(base, 5), 10); // inside only once the first pushed the end back
    const c = held(filedAt, { excludedPeriods: [second, first] });
    const r = longUnexecuted(debtor([c]), ctx());
    // 20 days of slack, 25 deducted: not met, and both periods named.
    expect(r.met).toBe(false);
    expect(r.evidence.detail).toContain(`run out on ${addDays(base, 25)} (25 days not counted, Art. 13: JURISDICTION_DISPUTE`);
    expect(r.evidence.detail).toContain('COORDINATION');
    const suspended = held(addMonths(TODAY, -9), {
      excludedPeriods: [{ kind: 'SUSPENSION', startsAt: addMonths(TODAY, -5), endsAt: null }],
    });
    const s = longUnexecuted(debtor([suspended]), ctx());
    expect(s.met).toBe(false);
    expect(s.evidence.detail).toContain(`SUSPENSION ${addMonths(TODAY, -5)}–ongoing`);
  });

  it("deducts from a conduct case's six months since filing", () => {
    const filedAt = addDays(cutoff, -3);
    const conduct = caseIn('川0105', {
      filedAt,
      lastActionAt: null,
      amountDue: null,
      excludedPeriods: [period('STAY', addDays(filedAt, 1), 4)],
    });
    const r = longUnexecuted(debtor([conduct]), ctx());
    expect(r.met).toBe(false);
    expect(r.evidence.detail).toContain(`${conduct.number}: six months from filing on ${filedAt} run out on`);
    const shorter = { ...conduct, excludedPeriods: [period('STAY', addDays(filedAt, 1), 3)] };
    expect(longUnexecuted(debtor([shorter]), ctx()).met).toBe(true);
  });
});

describe('SPREAD', () => {
  describe('by prefectures', () => {
    it.each([
      ['1 prefecture (成都)', ['川0105', '川0107'], false, ['川01 (2)']],
      ['2 prefectures (成都, 宜宾)', ['川0105', '川1502'], true, ['川01 (1)', '川15 (1)']],
      ['3 prefectures (成都, 宜宾, 凉山)', ['川0105', '川1502', '川3401'], true, ['川01 (1)', '川15 (1)', '川34 (1)']],
    ])('unclosed cases in %s → met %s', (_label, courts, met, prefectures) => {
      const cases = courts.map((code) => caseIn(code));
      const r = spread(debtor(cases), ctx());
      expect(r.id).toBe('SPREAD');
      expect(r.met).toBe(met);
      expect(r.observed).toBe(`${prefectures.length} prefectures; 0 assets under several courts' measures`);
      expect(r.evidence.detail).toBe(`prefectures: ${prefectures.join(', ')}`);
      expect(r.evidence.caseNumbers).toEqual(met ? cases.map((c) => c.number).sort() : []);
      expect(r.evidence.courtCodes).toEqual([]);
      expect(r.evidence.propertyIds).toEqual([]);
    });

    it('counts the high court and a railway court each as a prefecture of its own', () => {
      expect(spread(debtor([caseIn('川0105'), caseIn('川')]), ctx()).met).toBe(true);
      expect(spread(debtor([caseIn('川0105'), caseIn('川7101')]), ctx()).met).toBe(true);
      // An intermediate court and a basic court of the same prefecture are one prefecture.
      expect(spread(debtor([caseIn('川0105'), caseIn('川01')]), ctx()).met).toBe(false);
    });

    it('takes minPrefectures from the configuration passed in', () => {
      const cases = [caseIn('川0105'), caseIn('川1502')];
      expect(spread(debtor(cases), ctx({ config: withRule('SPREAD', { minPrefectures: 3 }) })).met).toBe(false);
      expect(spread(debtor([...cases, caseIn('川3401')]), ctx({ config: withRule('SPREAD', { minPrefectures: 3 }) })).met).toBe(true);
    });
  });

  describe('by courts seizing one asset', () => {
    it.each([
      ['1 court', [measure('川0105')], false, []],
      ['1 court twice (in effect and waiting)', [measure('川0105'), measure('川0105', 'WAITING')], false, []],
      ['2 courts, one waiting (轮候查封)', [measure('川0105'), measure('川0107', 'WAITING')], true, ['川0105', '川0107']],
      ['3 courts', [measure('川0107'), measure('川0105', 'WAITING'), measure('川0104', 'WAITING')], true, ['川0104', '川0105', '川0107']],
      [
        '1 standing court plus lapsed and released measures',
        [measure('川0105'), measure('川0107', 'LAPSED'), measure('川0104', 'RELEASED')],
        false,
        [],
      ],
      [
        '2 standing courts plus a lapsed one',
        [measure('川0105', 'WAITING'), measure('川0107', 'WAITING'), measure('川0104', 'LAPSED')],
        true,
        ['川0105', '川0107'],
      ],
    ])('measures of %s on the asset → met %s', (_label, measures, met, courts) => {
      const shared = property('P-SHARED', '510105', { measures });
      const other = property('P-OTHER', '510107', { measures: [measure('川0112')] });
      // All cases in one prefecture, so only the shared asset can meet the rule.
      const r = spread(debtor([caseIn('川0105'), caseIn('川0107')], [other, shared]), ctx());
      expect(r.met).toBe(met);
      expect(r.evidence.propertyIds).toEqual(met ? ['P-SHARED'] : []);
      expect(r.evidence.courtCodes).toEqual(courts);
      expect(r.evidence.caseNumbers).toEqual([]);
      expect(r.observed).toBe(`1 prefectures; ${met ? 1 : 0} assets under several courts' measures`);
    });

    it('needs the courts on the same asset, not one each on different assets', () => {
      const a = property('P-A', '510105', { measures: [measure('川0105')] });
      const b = property('P-B', '510107', { measures: [measure('川0107')] });
      const r = spread(debtor([caseIn('川0105')], [a, b]), ctx());
      expect(r.met).toBe(false);
      expect(r.evidence.propertyIds).toEqual([]);
    });

    it('takes minSeizingCourts from the configuration passed in', () => {
      const p = property('P-1', '510105', { measures: [measure('川0105'), measure('川0107', 'WAITING')] });
      const r = spread(debtor([caseIn('川0105')], [p]), ctx({ config: withRule('SPREAD', { minSeizingCourts: 3 }) }));
      expect(r.met).toBe(false);
      expect(r.evidence.courtCodes).toEqual([]);
    });
  });
});

describe('PASSIVE_EXECUTION', () => {
  it.each([
    [89, false],
    [90, true],
    [91, true],
  ])('last enforcement action %i days ago → met %s', (days, met) => {
    const lastActionAt = addDays(TODAY, -days);
    const quiet = caseIn('川1502', { filedAt: '2025-01-10', lastActionAt });
    const active = caseIn('川0105', { filedAt: '2025-01-10' });
    const r = passiveExecution(debtor([active, quiet]), ctx());
    expect(r.id).toBe('PASSIVE_EXECUTION');
    expect(r.met).toBe(met);
    expect(r.evidence.caseNumbers).toEqual(met ? [quiet.number] : []);
    expect(r.evidence.courtCodes).toEqual(met ? ['川1502'] : []);
    expect(r.evidence.dates).toEqual(met ? [lastActionAt] : []);
    expect(r.evidence.propertyIds).toEqual([]);
    expect(r.threshold).toBe(`an unclosed implementation case with no enforcement action since ${addDays(TODAY, -90)} (90 days)`);
  });

  it.each([
    [89, false],
    [90, true],
  ])('no action ever recorded, filed %i days ago → met %s, dated from filing', (days, met) => {
    const filedAt = addDays(TODAY, -days);
    const c = caseIn('川0105', { filedAt, lastActionAt: null });
    const r = passiveExecution(debtor([c]), ctx());
    expect(r.met).toBe(met);
    expect(r.evidence.dates).toEqual(met ? [filedAt] : []);
    expect(r.evidence.detail).toBe(met ? `${c.number}: last action none since filing on ${filedAt}` : 'none');
  });

  it('takes its threshold from the configuration passed in', () => {
    const c = caseIn('川0105', { lastActionAt: addDays(TODAY, -40) });
    expect(passiveExecution(debtor([c]), ctx()).met).toBe(false);
    expect(passiveExecution(debtor([c]), ctx({ config: withRule('PASSIVE_EXECUTION', { minDaysWithoutAction: 40 }) })).met).toBe(true);
    expect(passiveExecution(debtor([c]), ctx({ config: withRule('PASSIVE_EXECUTION', { minDaysWithoutAction: 41 }) })).met).toBe(false);
  });
});

describe('CAPACITY', () => {
  const BASIC_USUAL = RULES_CONFIG.rules.CAPACITY.usualAmountFen.BASIC;
  const INTERMEDIATE_USUAL = RULES_CONFIG.rules.CAPACITY.usualAmountFen.INTERMEDIATE;

  describe('by outstanding amount against the case court level', () => {
    // docs/rules.md: "above its court level's usual size" — the usual size itself is not beyond capacity.
    it.each([
      ['1 fen below', BASIC_USUAL - 1, false],
      ['exactly', BASIC_USUAL, false],
      ['1 fen above', BASIC_USUAL + 1, true],
    ])('a basic-court case outstanding %s the usual 10,000,000 yuan → met %s', (_label, amountDue, met) => {
      const c = caseIn('川0105', { amountDue });
      const r = capacity(debtor([caseIn('川0107'), c]), ctx());
      expect(r.id).toBe('CAPACITY');
      expect(r.met).toBe(met);
      expect(r.evidence.caseNumbers).toEqual(met ? [c.number] : []);
      expect(r.evidence.courtCodes).toEqual([]);
      expect(r.evidence.propertyIds).toEqual([]);
    });

    it('counts the outstanding amount, not the amount due', () => {
      const c = caseIn('川0105', { amountDue: BASIC_USUAL + 500_000_00, amountRecovered: 500_000_00 });
      expect(capacity(debtor([c]), ctx()).met).toBe(false);
      const d = caseIn('川0105', { amountDue: BASIC_USUAL + 500_000_00, amountRecovered: 500_000_00 - 1 });
      expect(capacity(debtor([d]), ctx()).evidence.caseNumbers).toEqual([d.number]);
    });

    it('measures an intermediate-court case against the intermediate usual size', () => {
      expect(capacity(debtor([caseIn('川01', { amountDue: BASIC_USUAL + 1 })]), ctx()).met).toBe(false);
      expect(capacity(debtor([caseIn('川01', { amountDue: INTERMEDIATE_USUAL })]), ctx()).met).toBe(false);
      const c = caseIn('川01', { amountDue: INTERMEDIATE_USUAL + 1 });
      expect(capacity(debtor([c]), ctx()).evidence.caseNumbers).toEqual([c.number]);
    });

    it('never counts a conduct obligation (no amount) as large', () => {
      expect(capacity(debtor([caseIn('川0105', { amountDue: null })]), ctx()).met).toBe(false);
    });
  });

  describe("by the debtor's controlled assets against the lowest case level", () => {
    it.each([
      ['1 fen below', BASIC_USUAL - 1, false],
      ['exactly', BASIC_USUAL, false],
      ['1 fen above', BASIC_USUAL + 1, true],
    ])('assets %s a basic court usual size → met %s, every controlled property as evidence', (_label, total, met) => {
      const half = Math.floor(total / 2);
      const a = property('P-A', '510105', { estimatedValue: half, measures: [measure('川0105')] });
      const b = property('P-B', '510107', { estimatedValue: total - half, measures: [measure('川0107')] });
      const sold = property('P-SOLD', '510105', { estimatedValue: BASIC_USUAL * 5, undisposedSince: null });
      const r = capacity(debtor([caseIn('川0105'), caseIn('川01')], [a, b, sold]), ctx());
      expect(r.met).toBe(met);
      expect(r.evidence.propertyIds).toEqual(met ? ['P-A', 'P-B'] : []);
      expect(r.evidence.caseNumbers).toEqual([]);
      expect(r.evidence.courtCodes).toEqual([]);
    });

    it('uses the intermediate usual size when no case sits in a basic court', () => {
      const p = property('P-A', '510105', { estimatedValue: INTERMEDIATE_USUAL, measures: [measure('川01')] });
      expect(capacity(debtor([caseIn('川01')], [p]), ctx()).met).toBe(false);
      const q = property('P-A', '510105', { estimatedValue: INTERMEDIATE_USUAL + 1, measures: [measure('川01')] });
      expect(capacity(debtor([caseIn('川01')], [q]), ctx()).evidence.propertyIds).toEqual(['P-A']);
    });

    it('does not judge assets when the debtor has no unclosed case', () => {
      const p = property('P-A', '510105', { estimatedValue: INTERMEDIATE_USUAL * 100, measures: [measure('川0105')] });
      expect(capacity(debtor([], [p]), ctx()).met).toBe(false);
    });
  });

  describe('by a case court far above the provincial median load', () => {
    // Median 10 open cases per officer; 1.5 × 10 = 15.
    it.each([
      [149, false],
      [150, false],
      [151, true],
    ])('the case court at %i open cases for 10 officers → met %s, the court as evidence', (openCaseCount, met) => {
      const r = capacity(debtor([caseIn('川0105'), caseIn('川0107')]), ctx({ province: province({ 川0105: { openCaseCount } }) }));
      expect(r.met).toBe(met);
      expect(r.evidence.courtCodes).toEqual(met ? ['川0105'] : []);
      expect(r.evidence.caseNumbers).toEqual([]);
      expect(r.evidence.propertyIds).toEqual([]);
      expect(r.threshold).toContain('above 1.5× the provincial median of 10.0 open cases per enforcement officer');
    });

    it('lists overloaded case courts most loaded first, and ignores overloaded courts without the debtor’s cases', () => {
      const p = province({ 川0105: { openCaseCount: 200 }, 川1502: { openCaseCount: 300 }, 川0107: { openCaseCount: 900 } });
      const r = capacity(debtor([caseIn('川0105'), caseIn('川1502'), caseIn('川0104')]), ctx({ province: p }));
      expect(r.evidence.courtCodes).toEqual(['川1502', '川0105']);
    });

    // Issue 15 item 12 (2026.12-3): a court with fewer than minOpenCasesForOverload (50) open cases is not overloaded,
    // however few its officers — on a 4,000-case province two or three open cases put a court "far above" the median.
    it.each([
      [49, false],
      [50, true],
      [51, true],
    ])('a court of 2 officers above the multiple at %i open cases → overloaded %s', (openCaseCount, met) => {
      const p = province({ 川0105: { openCaseCount, enforcementStaffCount: 2 } });
      const r = capacity(debtor([caseIn('川0105')]), ctx({ province: p }));
      expect(r.met).toBe(met);
      expect(r.evidence.courtCodes).toEqual(met ? ['川0105'] : []);
      expect(r.threshold).toContain('with at least 50 open cases');
      if (!met)
        expect(r.evidence.detail).toBe(
          'not counted: 川0105 at 24.5 open cases per enforcement officer has only 49 open cases (fewer than 50)',
        );
    });

    it('takes the minimum open cases from the configuration passed in', () => {
      const p = province({ 川0105: { openCaseCount: 40, enforcementStaffCount: 2 } });
      expect(capacity(debtor([caseIn('川0105')]), ctx({ province: p })).met).toBe(false);
      const r = capacity(debtor([caseIn('川0105')]), ctx({ province: p, config: withRule('CAPACITY', { minOpenCasesForOverload: 40 }) }));
      expect(r.met).toBe(true);
      expect(r.evidence.courtCodes).toEqual(['川0105']);
    });

    it('judges only the courts of implementation cases: a review case at an overloaded court is not the debtor’s load', () => {
      const p = province({ 川0105: { openCaseCount: 300 } });
      const review = caseIn('川0105', { typeCode: '执异', amountDue: null });
      expect(capacity(debtor([review, caseIn('川0107')]), ctx({ province: p })).met).toBe(false);
      expect(capacity(debtor([caseIn('川0105'), caseIn('川0107')]), ctx({ province: p })).evidence.courtCodes).toEqual(['川0105']);
    });

    it('takes the multiple from the configuration passed in', () => {
      const p = province({ 川0105: { openCaseCount: 130 } });
      expect(capacity(debtor([caseIn('川0105')]), ctx({ province: p })).met).toBe(false);
      const r = capacity(
        debtor([caseIn('川0105')]),
        ctx({ province: p, config: withRule('CAPACITY', { loadMultipleOfProvincialMedian: 1.2 }) }),
      );
      expect(r.met).toBe(true);
      expect(r.evidence.courtCodes).toEqual(['川0105']);
    });
  });

  it('takes the usual amounts from the configuration passed in', () => {
    const c = caseIn('川0105', { amountDue: 2_000_000_00 });
    expect(capacity(debtor([c]), ctx()).met).toBe(false);
    const config = withRule('CAPACITY', { usualAmountFen: { BASIC: 1_000_000_00, INTERMEDIATE: 10_000_000_00, HIGH: 100_000_000_00 } });
    expect(capacity(debtor([c]), ctx({ config })).evidence.caseNumbers).toEqual([c.number]);
  });
});

describe('evaluateRules', () => {
  it('returns the six rules in configuration order, each judged under the configuration passed in', () => {
    const cases = CHENGDU_BASIC.slice(0, 3).map((code) => caseIn(code));
    const config = withRule('MANY_COURTS', { minCases: 3, minCourts: 3 });
    const results = evaluateRules(debtor(cases), ctx({ config }));
    expect(results.map((r) => r.id)).toEqual([
      'MANY_COURTS',
      'IDLE_PROPERTY',
      'LONG_UNEXECUTED',
      'SPREAD',
      'PASSIVE_EXECUTION',
      'CAPACITY',
    ]);
    expect(results.filter((r) => r.met).map((r) => r.id)).toEqual(['MANY_COURTS']);
    expect(
      evaluateRules(debtor(cases), ctx())
        .filter((r) => r.met)
        .map((r) => r.id),
    ).toEqual([]);
  });

  it('gives every rule a title with its Chinese term, a threshold and an observation', () => {
    for (const r of evaluateRules(debtor([caseIn('川0105')]), ctx())) {
      expect(r.title).toMatch(/[\u4e00-\u9fff]/);
      expect(r.threshold.length).toBeGreaterThan(0);
      expect(r.observed.length).toBeGreaterThan(0);
    }
  });
});
