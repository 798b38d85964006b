import { describe, expect, it } from 'vitest';
import { isExternalCaseNumber, parseExternalCaseNumber } from '../../domain/caseNumber';
import { PROVINCE_ABBREVIATIONS, parseExternalCourtCode } from '../../domain/courtCode';
import { ValidationError } from '../../domain/errors';
import type { DebtorFacts } from '../../domain/rules/facts';
import { spread, type RuleContext } from '../../domain/rules/rules';
import { checkDecisionInput } from '../../domain/transfers';
import { TODAY, caseIn, province } from '../support/ruleFacts';

/** Issue 15 fact 5: other provinces' case numbers for external cases, their evidence, and their refusal in a decision. */
const now = new Date(`${TODAY}T00:00:00Z`);
const ruleOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof ValidationError ? `${err.field}:${err.rule}` : String(err);
  }
  return 'accepted';
};

describe('external court codes and case numbers', () => {
  it('knows the 31 provincial abbreviations, 川 among them', () => {
    expect(Object.keys(PROVINCE_ABBREVIATIONS)).toHaveLength(31);
    expect(PROVINCE_ABBREVIATIONS.内).toBe('内蒙古自治区');
    expect(PROVINCE_ABBREVIATIONS.黔).toBe('贵州省');
  });

  it('parses a court code of every other province at each level', () => {
    expect(parseExternalCourtCode('鲁')).toEqual({ code: '鲁', province: '鲁', level: 'HIGH' });
    expect(parseExternalCourtCode('鲁14')).toEqual({ code: '鲁14', province: '鲁', level: 'INTERMEDIATE' });
    expect(parseExternalCourtCode('粤0304')).toEqual({ code: '粤0304', province: '粤', level: 'BASIC' });
    expect(ruleOf(() => parseExternalCourtCode('川01'))).toBe('courtCode:EXTERNAL_COURT_PROVINCE');
    expect(ruleOf(() => parseExternalCourtCode('港01'))).toBe('courtCode:EXTERNAL_COURT_PROVINCE');
    expect(ruleOf(() => parseExternalCourtCode('鲁1'))).toBe('courtCode:COURT_CODE_FORMAT');
    expect(ruleOf(() => parseExternalCourtCode('鲁00'))).toBe('courtCode:COURT_CODE_FORMAT');
    expect(ruleOf(() => parseExternalCourtCode('鲁1400'))).toBe('courtCode:COURT_CODE_FORMAT');
  });

  it('parses an external case number as strictly as a Sichuan one, in canonical form', () => {
    expect(parseExternalCaseNumber('（2023）鲁14执123号', 'n', now)).toEqual({
      number: '(2023)鲁14执123号',
      year: 2023,
      courtCode: '鲁14',
      typeCode: '执',
      sequence: 123,
      province: '鲁',
    });
    expect(parseExternalCaseNumber('(2024)粤0304执恢8号', 'n', now)).toMatchObject({ typeCode: '执恢', province: '粤' });
    expect(ruleOf(() => parseExternalCaseNumber('(2023)川0104执1号', 'n', now))).toBe('n:EXTERNAL_COURT_PROVINCE');
    expect(ruleOf(() => parseExternalCaseNumber('(2023)鲁14民1号', 'n', now))).toBe('n:CASE_TYPE_CODE');
    expect(ruleOf(() => parseExternalCaseNumber('(2023)鲁14执0123号', 'n', now))).toBe('n:CASE_NUMBER_SEQUENCE');
    expect(ruleOf(() => parseExternalCaseNumber('(2027)鲁14执1号', 'n', now))).toBe('n:CASE_NUMBER_YEAR');
    expect(ruleOf(() => parseExternalCaseNumber('鲁14执1号', 'n', now))).toBe('n:CASE_NUMBER_FORMAT');
  });

  it('tells an external number from a Sichuan one', () => {
    expect(isExternalCaseNumber('(2023)鲁14执123号')).toBe(true);
    expect(isExternalCaseNumber('（2023）渝执1号')).toBe(true);
    expect(isExternalCaseNumber('(2023)川0104执123号')).toBe(false);
    // 青 is 青海's abbreviation, 青羊 a district of 成都: the old form names courts so.
    expect(isExternalCaseNumber('(2015)青羊执字第123号')).toBe(false);
    expect(isExternalCaseNumber('(2023)青执1号')).toBe(true);
  });
});

describe('external cases as SPREAD evidence', () => {
  const ctx = (): RuleContext => ({ today: TODAY, province: province() });
  const debtor = (externalCases: DebtorFacts['externalCases']): DebtorFacts => ({
    id: 'D',
    divisionCode: '510104',
    unclosedCases: [caseIn('川0105')],
    properties: [],
    externalCases,
  });

  it("names the open ones and leaves met as the province's own cases decide it", () => {
    const none = spread(debtor([]), ctx());
    const some = spread(
      debtor([
        { number: '(2023)鲁14执123号', province: '鲁', open: true },
        { number: '(2024)粤0304执8号', province: '粤', open: true },
        { number: '(2021)渝01执7号', province: '渝', open: false },
      ]),
      ctx(),
    );
    expect(some.met).toBe(none.met);
    expect(none.met).toBe(false);
    expect(none.observed).not.toContain('outside Sichuan');
    expect(some.observed).toContain('2 open related cases outside Sichuan (粤, 鲁)');
    expect(some.evidence.detail).toContain('outside Sichuan: (2023)鲁14执123号, (2024)粤0304执8号');
    expect(some.evidence.detail).not.toContain('渝01');
  });
});

describe('a decision naming an external case', () => {
  it('is refused before any record is read, naming the case number', () => {
    const input = {
      mode: 'ELEVATED' as const,
      caseNumbers: ['(2024)川0105执1号', '(2023)鲁14执123号'],
      receivingCourt: '川',
      decidingCourt: '川',
      supervisor: 'OF000001',
      reasons: ['SPREAD'],
      note: '',
      deadline: null,
      idempotencyKey: 'k',
    };
    expect(ruleOf(() => checkDecisionInput(input, TODAY, 'input'))).toBe('input.caseNumbers[1]:EXTERNAL_CASE_STAYS');
  });
});
