import { describe, expect, it } from 'vitest';
import { nextCaseNumber } from '../../domain/caseNumber';
import { addDays, addMonths } from '../../domain/dates';
import { assessDebtor } from '../../domain/rules/assess';
import { RULES_CONFIG, type RulesConfig } from '../../domain/rules/config';
import { casesInPlay, type CaseFact, type DebtorFacts } from '../../domain/rules/facts';
import { longUnexecuted, manyCourts, passiveExecution, type RuleContext } from '../../domain/rules/rules';
import { checkDecisionCases, resumesOnDecision, type DecisionCaseFacts, type DecisionInput } from '../../domain/transfers';
import { caught } from '../support/caught';
import { TODAY, caseIn, heldProperty, province } from '../support/ruleFacts';

/**
 * Issue 14 item 5: a case closed as 终结本次执行程序 (终本) is closed procedurally, not concluded (未实结). The case-count
 * and stuck-case rules count it (a switch in the rules configuration), and a decision naming it resumes it.
 */

const ctx = (config: RulesConfig = RULES_CONFIG): RuleContext => ({ today: TODAY, province: province(), config });

function debtor(unclosedCases: CaseFact[], terminatedThisRoundCases: CaseFact[] = []): DebtorFacts {
  return { id: 'D-1', divisionCode: '510105', unclosedCases, terminatedThisRoundCases, properties: [] };
}

/**
 * A case closed as 终本 a month ago, filed eight months ago, nothing recovered, no action since its closure; a property
 * sealed seven months ago that could not be disposed of is still held (终本 rule Art. 1(3): "发现的财产不能处置").
 */
const terminated = (court: string, over: Partial<CaseFact> = {}): CaseFact =>
  caseIn(court, {
    filedAt: addMonths(TODAY, -8),
    lastActionAt: addMonths(TODAY, -1),
    terminatedThisRoundAt: addMonths(TODAY, -1),
    properties: [heldProperty(`P-${court}`, addMonths(TODAY, -7))],
    ...over,
  });

/** The configuration with the 终本 switch of both rules set. */
function counting(on: boolean): RulesConfig {
  return {
    ...RULES_CONFIG,
    rules: {
      ...RULES_CONFIG.rules,
      MANY_COURTS: { ...RULES_CONFIG.rules.MANY_COURTS, countTerminatedThisRound: on },
      LONG_UNEXECUTED: { ...RULES_CONFIG.rules.LONG_UNEXECUTED, countTerminatedThisRound: on },
    },
  };
}

describe('the 终本 switch', () => {
  it('is on by default for the case-count and the stuck-case rule', () => {
    expect(RULES_CONFIG.rules.MANY_COURTS.countTerminatedThisRound).toBe(true);
    expect(RULES_CONFIG.rules.LONG_UNEXECUTED.countTerminatedThisRound).toBe(true);
  });

  it('decides which cases are in play: the unclosed ones, and the 终本 ones while a counting rule counts them', () => {
    const open = caseIn('川0104');
    const closed = terminated('川0105');
    const d = debtor([open], [closed]);
    expect(casesInPlay(d, counting(true).rules)).toEqual([open, closed]);
    expect(casesInPlay(d, counting(false).rules)).toEqual([open]);
    // Absent means none (hand-built facts of other tests).
    expect(casesInPlay({ ...d, terminatedThisRoundCases: undefined }, RULES_CONFIG.rules)).toEqual([open]);
  });
});

describe('MANY_COURTS counts 未实结 cases', () => {
  // 8 unclosed + 2 终本 = 10 未实结 cases over two courts: the standard's threshold exactly.
  const open = Array.from({ length: 8 }, (_, i) => caseIn(i % 2 ? '川0105' : '川0104'));
  const closed = [terminated('川0106'), terminated('川0106')];

  it('is met by 8 unclosed and 2 终本 cases with the switch on, naming the 终本 cases in the evidence', () => {
    const r = manyCourts(debtor(open, closed), ctx(counting(true)));
    expect(r.met).toBe(true);
    expect(r.observed).toBe('10 未实结 implementation cases in 3 courts (2 of them closed as 终本, not concluded)');
    expect(r.evidence.caseNumbers).toEqual([...open, ...closed].map((c) => c.number).sort());
    expect(r.evidence.courtCodes).toEqual(['川0104', '川0105', '川0106']);
    expect(r.evidence.detail).toContain(
      `closed as 终本 and not resumed: ${closed
        .map((c) => `${c.number} (${addMonths(TODAY, -1)})`)
        .sort()
        .join(', ')}`,
    );
  });

  it('is not met by the same cases with the switch off: only the 8 unclosed ones count', () => {
    const r = manyCourts(debtor(open, closed), ctx(counting(false)));
    expect(r.met).toBe(false);
    expect(r.observed).toBe('8 unclosed implementation cases in 2 courts');
    expect(r.threshold).toBe('at least 10 unclosed implementation cases (执, 执恢, 执保; not 终本) in at least 2 different courts');
    expect(r.evidence.caseNumbers).not.toContain(closed[0]!.number);
  });

  it('is met by a debtor whose cases are all 终本 (10 in two courts)', () => {
    const all = Array.from({ length: 10 }, (_, i) => terminated(i % 2 ? '川0105' : '川0104'));
    expect(manyCourts(debtor([], all), ctx()).met).toBe(true);
    expect(manyCourts(debtor([], all), ctx(counting(false))).met).toBe(false);
  });

  it('still leaves a 终本 review case out', () => {
    const r = manyCourts(debtor(open, [terminated('川0106', { typeCode: '执异' }), terminated('川0106')]), ctx());
    expect(r.met).toBe(false);
    expect(r.observed).toBe('9 未实结 implementation cases in 3 courts (1 of them closed as 终本, not concluded)');
  });
});

describe('LONG_UNEXECUTED and PASSIVE_EXECUTION', () => {
  it('LONG_UNEXECUTED reads a 终本 case with the switch on, not with it off', () => {
    const closed = terminated('川0105');
    expect(longUnexecuted(debtor([], [closed]), ctx(counting(true))).evidence.caseNumbers).toEqual([closed.number]);
    expect(longUnexecuted(debtor([], [closed]), ctx(counting(false))).met).toBe(false);
  });

  it('PASSIVE_EXECUTION reads open implementation cases only: not a 终本 case, not a review case', () => {
    const quiet = { filedAt: addMonths(TODAY, -8), lastActionAt: addDays(TODAY, -200) };
    const closed = terminated('川0105', quiet);
    const review = caseIn('川0106', { ...quiet, typeCode: '执复' });
    expect(passiveExecution(debtor([review], [closed]), ctx()).met).toBe(false);
    const open = caseIn('川0104', quiet);
    expect(passiveExecution(debtor([open, review], [closed]), ctx()).evidence.caseNumbers).toEqual([open.number]);
  });
});

describe('a 终本-only debtor is assessed', () => {
  it('gets a recommendation naming its 终本 cases while the rules count them, and none when they do not', () => {
    const all = Array.from({ length: 10 }, (_, i) => terminated(i % 2 ? '川0105' : '川0104'));
    const a = assessDebtor(debtor([], all), ctx());
    expect(a.recommendedMode).toBe('CENTRALIZED');
    expect(a.proposedCases).toEqual(all.map((c) => c.number).sort());
    const off = assessDebtor(debtor([], all), ctx(counting(false)));
    expect(off.recommendedMode).toBeNull();
    expect(off.proposedCases).toEqual([]);
  });

  it('a single stuck 终本 case gets a deadline order for its court', () => {
    const closed = terminated('川0105');
    const a = assessDebtor(debtor([], [closed]), ctx());
    expect(a.rules.find((r) => r.id === 'LONG_UNEXECUTED')!.met).toBe(true);
    expect(a.recommendedMode).toBe('DEADLINE_ORDER');
    expect(a.proposedCases).toEqual([closed.number]);
  });
});

describe('a decision resumes a 终本 case', () => {
  const decision = (over: Partial<DecisionInput> = {}): DecisionInput => ({
    mode: 'DIRECTED',
    caseNumbers: [],
    receivingCourt: '川0106',
    decidingCourt: '川01',
    supervisor: 'OF000001',
    reasons: ['LONG_UNEXECUTED'],
    note: '',
    deadline: null,
    ...over,
  });
  const kase = (number: string, over: Partial<DecisionCaseFacts> = {}): DecisionCaseFacts => ({
    number,
    executingCourt: '川0104',
    status: 'CLOSED',
    closure: 'TERMINATED_THIS_ROUND',
    movedTo: null,
    debtorIds: ['D1'],
    typeCode: '执',
    category: 'CIVIL',
    ...over,
  });
  const check = (over: Partial<DecisionInput>, records: DecisionCaseFacts[]) =>
    checkDecisionCases(decision({ caseNumbers: records.map((c) => c.number), ...over }), records, 'input');

  it('takes a 终本 case, which moves (and is resumed at the receiving court) under a moving mode', () => {
    const c = kase('(2025)川0104执1号');
    expect(resumesOnDecision(c)).toBe(true);
    expect(check({}, [c]).map((x) => x.number)).toEqual([c.number]);
    // A deadline order keeps it where it is: nothing moves, the registry resumes it at its own court.
    expect(check({ mode: 'DEADLINE_ORDER', receivingCourt: null }, [c])).toEqual([]);
  });

  it('refuses a case closed otherwise, naming its closure', () => {
    const err = caught(() => check({}, [kase('(2025)川0104执2号', { closure: 'FULLY_EXECUTED' })]));
    expect(err.rule).toBe('CASE_CLOSED');
    expect(err.message).toContain('FULLY_EXECUTED');
    expect(resumesOnDecision({ status: 'CLOSED', closure: 'TERMINATED' })).toBe(false);
    expect(resumesOnDecision({ status: 'EXECUTING', closure: null })).toBe(false);
  });

  it('refuses a 终本 case already resumed, pointing to the case that resumed it', () => {
    const err = caught(() => check({}, [kase('(2025)川0104执3号', { movedTo: '(2026)川0104执恢1号' })]));
    expect(err.rule).toBe('CASE_ALREADY_MOVED');
    expect(err.message).toContain('already resumed as (2026)川0104执恢1号');
  });

  it('still refuses a 终本 review case', () => {
    expect(caught(() => check({}, [kase('(2025)川0104执异4号', { typeCode: '执异' })])).rule).toBe('NOT_AN_IMPLEMENTATION_CASE');
  });
});

describe('nextCaseNumber', () => {
  it('follows the highest sequence of the court, year and type, and starts at 1', () => {
    expect(nextCaseNumber(2026, '川0106', '执恢', null)).toEqual({ number: '(2026)川0106执恢1号', sequence: 1 });
    expect(nextCaseNumber(2026, '川0106', '执恢', 41)).toEqual({ number: '(2026)川0106执恢42号', sequence: 42 });
    expect(caught(() => nextCaseNumber(2026, '川0106', '执', 999_999)).rule).toBe('CASE_NUMBER_SEQUENCE');
  });
});
