import { isImplementationCase } from '../../domain/caseKinds';
import { describe, it, expect } from 'vitest';
import { ValidationError } from '../../domain/errors';
import {
  CASE_TYPE_BY_ENUM,
  CASE_TYPE_CODES,
  CASE_TYPES,
  FIRST_CASE_YEAR,
  formatCaseNumber,
  isHistoricalCaseNumber,
  parseHistoricalCaseNumber,
  parseCaseNumber,
  type CaseTypeCode,
} from '../../domain/caseNumber';
import { caught } from '../support/caught';

const TODAY = new Date(Date.UTC(2026, 5, 30));

const parse = (raw: string, field = 'caseNumber') => parseCaseNumber(raw, field, TODAY);

describe('case type codes', () => {
  it('are exactly the seven enforcement type codes of DESIGN.md §3 and 执他', () => {
    expect([...CASE_TYPE_CODES].sort()).toEqual(['执', '执保', '执协', '执复', '执异', '执恢', '执监', '执他'].sort());
  });

  it('map to the GraphQL enum values and back', () => {
    expect(CASE_TYPES).toEqual({
      执: 'FIRST_EXECUTION',
      执恢: 'RESUMED_EXECUTION',
      执保: 'PRESERVATION',
      执异: 'OBJECTION',
      执复: 'RECONSIDERATION',
      执监: 'SUPERVISION',
      执协: 'COORDINATION',
      执他: 'OTHER_EXECUTION',
    });
    for (const code of CASE_TYPE_CODES) expect(CASE_TYPE_BY_ENUM[CASE_TYPES[code]]).toBe(code);
  });
});

describe('执他 (其他执行类案件) and implementation cases (issue 14 item 14)', () => {
  it('parses (2025)川0105执他3号 as OTHER_EXECUTION', () => {
    const c = parse('(2025)川0105执他3号');
    expect(c).toMatchObject({ typeCode: '执他', courtCode: '川0105', sequence: 3 });
    expect(CASE_TYPES[c.typeCode]).toBe('OTHER_EXECUTION');
  });

  it('counts only 执, 执恢 and 执保 as implementation cases; review types and 执他 are not', () => {
    const implementation = CASE_TYPE_CODES.filter(isImplementationCase);
    expect(implementation.sort()).toEqual(['执', '执恢', '执保'].sort());
    for (const code of ['执异', '执复', '执监', '执协', '执他'] as const) expect(isImplementationCase(code)).toBe(false);
  });
});

describe('parseCaseNumber: valid numbers', () => {
  it('parses (2024)川0105执1234号 into its parts', () => {
    expect(parse('(2024)川0105执1234号')).toEqual({
      number: '(2024)川0105执1234号',
      year: 2024,
      courtCode: '川0105',
      typeCode: '执',
      sequence: 1234,
    });
  });

  it('normalises full-width brackets （） to the half-width canonical form', () => {
    const c = parse('（2024）川0105执1234号');
    expect(c.number).toBe('(2024)川0105执1234号');
    expect(c.year).toBe(2024);
    expect(c.sequence).toBe(1234);
  });

  it('normalises mixed bracket widths', () => {
    expect(parse('（2023)川01执恢5号').number).toBe('(2023)川01执恢5号');
    expect(parse('(2023）川01执恢5号').number).toBe('(2023)川01执恢5号');
  });

  it('trims surrounding whitespace', () => {
    expect(parse('  (2024)川0105执1234号\n').number).toBe('(2024)川0105执1234号');
  });

  it.each(CASE_TYPE_CODES.map((c) => [c]))('accepts type code %s', (code) => {
    const c = parse(`(2025)川0105${code}77号`);
    expect(c.typeCode).toBe(code);
    expect(c.sequence).toBe(77);
    expect(c.courtCode).toBe('川0105');
    expect(c.number).toBe(`(2025)川0105${code}77号`);
  });

  it('reads 执恢 as one type code, not 执 followed by 恢', () => {
    const c = parse('(2024)川0105执恢12号');
    expect(c.typeCode).toBe('执恢');
    expect(CASE_TYPES[c.typeCode]).toBe('RESUMED_EXECUTION');
    expect(c.sequence).toBe(12);
  });

  it('reads plain 执 as first execution', () => {
    expect(CASE_TYPES[parse('(2024)川0105执12号').typeCode]).toBe('FIRST_EXECUTION');
  });

  it('accepts an intermediate court code 川01 (成都)', () => {
    const c = parse('(2024)川01执保3号');
    expect(c.courtCode).toBe('川01');
    expect(c.typeCode).toBe('执保');
  });

  it('accepts the high court code 川', () => {
    const c = parse('(2024)川执监1号');
    expect(c.courtCode).toBe('川');
    expect(c.typeCode).toBe('执监');
    expect(c.sequence).toBe(1);
  });

  it('accepts a special (railway transport) court code 川7101', () => {
    const c = parse('(2022)川7101执88号');
    expect(c.courtCode).toBe('川7101');
    expect(c.year).toBe(2022);
  });

  it('accepts the first case year and the current year', () => {
    expect(parse(`(${FIRST_CASE_YEAR})川34执1号`).year).toBe(1990);
    expect(parse('(2026)川34执1号').year).toBe(2026);
  });

  it('accepts sequence 999999 and sequence 1', () => {
    expect(parse('(2024)川15执999999号').sequence).toBe(999_999);
    expect(parse('(2024)川15执1号').sequence).toBe(1);
  });

  it('uses the default field name "number"', () => {
    expect(caught(() => parseCaseNumber('2024川0105执1234号', undefined, TODAY)).field).toBe('number');
  });
});

describe('parseCaseNumber: invalid numbers', () => {
  it('rejects a number without 号 (CASE_NUMBER_FORMAT, naming the field)', () => {
    const err = caught(() => parse('(2024)川0105执1234', 'filter.caseNumber'));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.rule).toBe('CASE_NUMBER_FORMAT');
    expect(err.field).toBe('filter.caseNumber');
    expect(err.message).toContain('号');
  });

  it('rejects a number without brackets (CASE_NUMBER_FORMAT)', () => {
    const err = caught(() => parse('2024川0105执1234号'));
    expect(err.rule).toBe('CASE_NUMBER_FORMAT');
    expect(err.message).toContain('brackets');
  });

  it('rejects a number with the closing bracket missing (CASE_NUMBER_FORMAT)', () => {
    expect(caught(() => parse('(2024川0105执1234号')).rule).toBe('CASE_NUMBER_FORMAT');
  });

  it('rejects square brackets 〔〕 (CASE_NUMBER_FORMAT)', () => {
    expect(caught(() => parse('〔2024〕川0105执1234号')).rule).toBe('CASE_NUMBER_FORMAT');
  });

  it('rejects a two-digit year (CASE_NUMBER_FORMAT)', () => {
    expect(caught(() => parse('(24)川0105执1234号')).rule).toBe('CASE_NUMBER_FORMAT');
  });

  it('rejects a missing sequence number (CASE_NUMBER_FORMAT)', () => {
    expect(caught(() => parse('(2024)川0105执号')).rule).toBe('CASE_NUMBER_FORMAT');
  });

  it('rejects the empty string (CASE_NUMBER_FORMAT)', () => {
    expect(caught(() => parse('')).rule).toBe('CASE_NUMBER_FORMAT');
  });

  it.each([['民初'], ['刑初'], ['执请'], ['执他他'], ['执恢恢'], ['恢']])('rejects unknown type code %s with CASE_TYPE_CODE', (code) => {
    const err = caught(() => parse(`(2024)川0105${code}1234号`));
    expect(err.rule).toBe('CASE_TYPE_CODE');
    expect(err.field).toBe('caseNumber');
    expect(err.message).toContain(`"${code}"`);
    expect(err.message).toContain('执恢');
  });

  it.each([
    ['川1', 'COURT_CODE_FORMAT'],
    ['川123', 'COURT_CODE_FORMAT'],
    ['川01051', 'COURT_CODE_FORMAT'],
    ['川00', 'COURT_CODE_FORMAT'],
    ['川0100', 'COURT_CODE_FORMAT'],
  ])('rejects court code %s with %s', (court, rule) => {
    const err = caught(() => parse(`(2024)${court}执1234号`));
    expect(err.rule).toBe(rule);
    expect(err.field).toBe('caseNumber');
    expect(err.message).toContain(`"${court}"`);
  });

  // Regression: a non-Sichuan court code falls through to the generic CASE_NUMBER_FORMAT because the
  // fallback pattern in parseCaseNumber only matches codes that start with 川, so COURT_CODE_PROVINCE
  // (which parseCourtCode has) is never reported. test/gateway/bad-input.test.ts expects it too.
  it('rejects a non-Sichuan court code 京0105 with COURT_CODE_PROVINCE', () => {
    const err = caught(() => parse('(2024)京0105执1234号'));
    expect(err.rule).toBe('COURT_CODE_PROVINCE');
  });

  it('rejects a year before 1990 (CASE_NUMBER_YEAR)', () => {
    const err = caught(() => parse('(1989)川0105执1号'));
    expect(err.rule).toBe('CASE_NUMBER_YEAR');
    expect(err.message).toContain('1989');
    expect(err.message).toContain('1990-2026');
  });

  it('rejects a year after the year of `today` (CASE_NUMBER_YEAR)', () => {
    const err = caught(() => parse('(2027)川0105执1号'));
    expect(err.rule).toBe('CASE_NUMBER_YEAR');
    expect(err.message).toContain('2027');
    // The same number is valid once `today` reaches that year.
    expect(parseCaseNumber('(2027)川0105执1号', 'n', new Date(Date.UTC(2027, 0, 1))).year).toBe(2027);
  });

  it('rejects a leading-zero sequence (CASE_NUMBER_SEQUENCE)', () => {
    expect(caught(() => parse('(2024)川0105执01234号')).rule).toBe('CASE_NUMBER_SEQUENCE');
    expect(caught(() => parse('(2024)川0105执0号')).rule).toBe('CASE_NUMBER_SEQUENCE');
  });

  it('rejects a sequence above 999999 (CASE_NUMBER_SEQUENCE)', () => {
    const err = caught(() => parse('(2024)川0105执1000000号'));
    expect(err.rule).toBe('CASE_NUMBER_SEQUENCE');
    expect(err.message).toContain('999999');
  });

  it('rejects a sequence beyond the safe-integer range (CASE_NUMBER_SEQUENCE)', () => {
    expect(caught(() => parse('(2024)川0105执123456789012345678901234567890号')).rule).toBe('CASE_NUMBER_SEQUENCE');
  });
});

describe('formatCaseNumber and round trips', () => {
  it('formats with half-width brackets', () => {
    expect(formatCaseNumber(2024, '川0105', '执', 1234)).toBe('(2024)川0105执1234号');
    expect(formatCaseNumber(2019, '川', '执监', 2)).toBe('(2019)川执监2号');
  });

  const samples: [number, string, CaseTypeCode, number][] = [
    [1990, '川', '执', 1],
    [2024, '川0105', '执', 1234],
    [2024, '川01', '执恢', 56],
    [2025, '川3401', '执保', 999_999],
    [2023, '川7101', '执异', 10],
    [2026, '川15', '执复', 7],
    [2021, '川0681', '执监', 300],
    [2020, '川3222', '执协', 42],
  ];

  it.each(samples)('parse(format(%i, %s, %s, %i)) gives the parts back', (year, court, type, seq) => {
    const text = formatCaseNumber(year, court, type, seq);
    const parsed = parse(text);
    expect(parsed).toEqual({ number: text, year, courtCode: court, typeCode: type, sequence: seq });
    expect(formatCaseNumber(parsed.year, parsed.courtCode, parsed.typeCode, parsed.sequence)).toBe(text);
  });

  it('parse is idempotent on its canonical output', () => {
    const once = parse('（2024）川0105执恢1234号');
    expect(parse(once.number)).toEqual(once);
  });
});

describe('pre-2016 case numbers (issue 14 item 14)', () => {
  it('parses (2015)青羊执字第123号 as far as the old form allows: no court code', () => {
    expect(parseHistoricalCaseNumber('(2015)青羊执字第123号', 'number', TODAY)).toEqual({
      number: '(2015)青羊执字第123号',
      year: 2015,
      courtName: '青羊',
      typeCode: '执',
      sequence: 123,
    });
  });

  it('normalises （）and 〔〕 brackets, keeps the zeros of the sequence, reads 执恢 as one type code', () => {
    expect(parseHistoricalCaseNumber('〔2014〕成执恢字第00045号', 'number', TODAY)).toMatchObject({
      number: '(2014)成执恢字第00045号',
      courtName: '成',
      typeCode: '执恢',
      sequence: 45,
    });
    expect(parseHistoricalCaseNumber('（2015）川执他字第1号', 'number', TODAY).number).toBe('(2015)川执他字第1号');
  });

  it('tells the old form by 字第…号, and the current parser still refuses it', () => {
    expect(isHistoricalCaseNumber('（2015）青羊执字第123号')).toBe(true);
    expect(isHistoricalCaseNumber('(2015)川0105执123号')).toBe(false);
    expect(caught(() => parse('(2015)青羊执字第123号'))).toBeInstanceOf(ValidationError);
  });

  it('takes 2015 and refuses 2016, the year the current form took over, with CASE_NUMBER_HISTORICAL_YEAR', () => {
    expect(parseHistoricalCaseNumber('(2015)青羊执字第1号', 'n', TODAY).year).toBe(2015);
    const err = caught(() => parseHistoricalCaseNumber('(2016)青羊执字第1号', 'n', TODAY));
    expect(err.rule).toBe('CASE_NUMBER_HISTORICAL_YEAR');
    expect(err.field).toBe('n');
    expect(caught(() => parseHistoricalCaseNumber('(1989)青羊执字第1号', 'n', TODAY)).rule).toBe('CASE_NUMBER_YEAR');
  });

  it.each([['(2015)青羊民初字第1号'], ['(2015)执字第1号'], ['(2015)青羊执字第0号'], ['(2015)青羊执字第1234567号']])('refuses %s', (raw) => {
    const err = caught(() => parseHistoricalCaseNumber(raw, 'n', TODAY));
    expect(['CASE_NUMBER_FORMAT', 'CASE_NUMBER_SEQUENCE']).toContain(err.rule);
  });
});
