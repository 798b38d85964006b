import { describe, it, expect } from 'vitest';
import { ValidationError } from '../../domain/errors';
import {
  creditCodeCheckChar,
  orgCodeCheckChar,
  isValidDebtorId,
  parseCreditCode,
  parseDebtorId,
  parseResidentId,
  residentIdCheckChar,
} from '../../domain/identifiers';
import { caught } from '../support/caught';

// Independent reference implementations written from the standards' text (DESIGN.md §3), so the
// expectations below never come from the module under test.

/** GB 32100-2015: 31-character set without I, O, S, V, Z; check = 31 − (Σ mod 31), 31 → 0. */
const GB32100_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const GB32100_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function refCreditCheck(first17: string): string {
  const sum = [...first17].reduce((acc, ch, i) => acc + GB32100_CHARS.indexOf(ch) * GB32100_WEIGHTS[i]!, 0);
  const c = 31 - (sum % 31);
  return GB32100_CHARS.charAt(c === 31 ? 0 : c);
}

/** GB 11643-1999 / ISO 7064 MOD 11-2. Weights are 2^(17−i) mod 11; Σ mod 11 → 1 0 X 9 8 7 6 5 4 3 2. */
function refIdCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  return ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][sum % 11]!;
}

/** GB 11714-1997: digits 0-9, letters A-Z = 10-35; weights 3,7,9,10,5,8,4,2; C9 = 11 − (Σ mod 11), 10 → X, 11 → 0. */
function refOrgCheck(first8: string): string {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first8].reduce((acc, ch, i) => acc + parseInt(ch, 36) * w[i]!, 0);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}
/** A credit code from its first 16 characters: the organisation code's check at 17, the mod-31 check at 18. */
function refCreditCode(first16: string): string {
  const first17 = first16 + refOrgCheck(first16.slice(8, 16));
  return first17 + refCreditCheck(first17);
}

const TODAY = new Date(Date.UTC(2026, 5, 30));

/** A deterministic generator so property-style checks are reproducible. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('reference implementations (self-check against hand computation)', () => {
  it('the MOD 11-2 weights derived as 2^(17-i) mod 11 are the published ones', () => {
    const weights = Array.from({ length: 17 }, (_, i) => 2 ** (17 - i) % 11);
    expect(weights).toEqual([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]);
  });

  it('11010519491231002X: Σ = 167, 167 mod 11 = 2 → X', () => {
    // 1·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0·8+0·4+2·2 = 167
    const digits = '11010519491231002'.split('').map(Number);
    const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const sum = digits.reduce((a, d, i) => a + d * w[i]!, 0);
    expect(sum).toBe(167);
    expect(sum % 11).toBe(2);
    expect(refIdCheck('11010519491231002')).toBe('X');
  });

  it('91350100M000100Y43: Σ = 1640, 1640 mod 31 = 28, 31 − 28 = 3 → "3"', () => {
    // 9·1+1·3+3·9+5·27+0·19+1·26+0·16+0·17+M(21)·20+0·29+0·25+0·13+1·8+0·24+0·10+Y(30)·30+4·28 = 1640
    const values = [...'91350100M000100Y4'].map((c) => GB32100_CHARS.indexOf(c));
    expect(values[8]).toBe(21);
    expect(values[15]).toBe(30);
    const sum = values.reduce((a, v, i) => a + v * GB32100_WEIGHTS[i]!, 0);
    expect(sum).toBe(1640);
    expect(sum % 31).toBe(28);
    expect(refCreditCheck('91350100M000100Y4')).toBe('3');
  });
});

describe('creditCodeCheckChar', () => {
  it('computes the published example 91350100M000100Y43', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
  });

  it('agrees with the independent GB 32100-2015 implementation on 500 generated inputs', () => {
    const rnd = lcg(32100);
    for (let n = 0; n < 500; n++) {
      let s = '';
      for (let i = 0; i < 17; i++) s += GB32100_CHARS[Math.floor(rnd() * 31)];
      expect(creditCodeCheckChar(s), s).toBe(refCreditCheck(s));
    }
  });

  it('maps a sum divisible by 31 to check character 0 (not 31)', () => {
    // All zeros: Σ = 0, 31 − 0 = 31 → 0.
    expect(creditCodeCheckChar('00000000000000000')).toBe('0');
    // Y (30) in position 1 gives Σ = 30 → 31 − 30 = 1.
    expect(creditCodeCheckChar('Y0000000000000000')).toBe('1');
    // 1 in position 1 gives Σ = 1 → 30 → Y.
    expect(creditCodeCheckChar('10000000000000000')).toBe('Y');
  });

  it('rejects a character outside the set with a RangeError naming it', () => {
    expect(() => creditCodeCheckChar('91350100I000100Y4')).toThrow(RangeError);
    expect(() => creditCodeCheckChar('91350100I000100Y4')).toThrow(/I/);
  });
});

describe('residentIdCheckChar', () => {
  it('computes X for the standard sample 11010519491231002X', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
  });

  it('agrees with the independent MOD 11-2 implementation on 500 generated inputs', () => {
    const rnd = lcg(11643);
    const seen = new Set<string>();
    for (let n = 0; n < 500; n++) {
      let s = '';
      for (let i = 0; i < 17; i++) s += String(Math.floor(rnd() * 10));
      const expected = refIdCheck(s);
      seen.add(expected);
      expect(residentIdCheckChar(s), s).toBe(expected);
    }
    // The sample covers every one of the 11 check characters.
    expect([...seen].sort().join('')).toBe('0123456789X');
  });
});

describe('parseResidentId', () => {
  it('accepts the standard sample 11010519491231002X and extracts its facts', () => {
    expect(parseResidentId('11010519491231002X', 'debtorId', TODAY)).toEqual({
      id: '11010519491231002X',
      kind: 'NATURAL_PERSON',
      divisionCode: '110105',
      birthDate: '1949-12-31',
      sex: 'FEMALE',
    });
  });

  it('accepts a Sichuan (成都市青羊区) number built with the reference algorithm; odd sequence → MALE', () => {
    const first17 = '51010519900307123';
    const id = first17 + refIdCheck(first17);
    const parsed = parseResidentId(id, 'id', TODAY);
    expect(parsed.id).toBe(id);
    expect(parsed.divisionCode).toBe('510105');
    expect(parsed.birthDate).toBe('1990-03-07');
    expect(parsed.sex).toBe('MALE');
  });

  it('accepts 29 February in a leap year (2000, divisible by 400)', () => {
    const first17 = '51342520000229004';
    const id = first17 + refIdCheck(first17);
    const parsed = parseResidentId(id, 'id', TODAY);
    expect(parsed.birthDate).toBe('2000-02-29');
    expect(parsed.sex).toBe('FEMALE');
  });

  it('accepts lower-case x and normalises it to X', () => {
    expect(parseResidentId('11010519491231002x', 'id', TODAY).id).toBe('11010519491231002X');
  });

  it('trims surrounding whitespace, including the ideographic space', () => {
    expect(parseResidentId('  11010519491231002X\t', 'id', TODAY).id).toBe('11010519491231002X');
    expect(parseResidentId('\u300011010519491231002X\u3000', 'id', TODAY).id).toBe('11010519491231002X');
  });

  it('rejects a wrong check character, naming the expected one, the field and RESIDENT_ID_CHECKSUM', () => {
    const err = caught(() => parseResidentId('110105194912310021', 'applicantId', TODAY));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.field).toBe('applicantId');
    expect(err.rule).toBe('RESIDENT_ID_CHECKSUM');
    expect(err.message).toContain('expected X');
    expect(err.message).toContain('got 1');
    expect(err.message.startsWith('applicantId: ')).toBe(true);
  });

  it('every check character but the right one is rejected', () => {
    const first17 = '51010519900307123';
    const right = refIdCheck(first17);
    for (const c of '0123456789X') {
      if (c === right) continue;
      const err = caught(() => parseResidentId(first17 + c, 'id', TODAY));
      expect(err.rule).toBe('RESIDENT_ID_CHECKSUM');
      expect(err.message).toContain(`expected ${right}`);
    }
  });

  it('defaults the field name to "id"', () => {
    expect(caught(() => parseResidentId('110105194912310021', undefined, TODAY)).field).toBe('id');
  });

  it.each([
    ['17 characters', '11010519491231002', 17],
    ['19 characters', '11010519491231002X1', 19],
    ['empty', '', 0],
  ])('rejects %s with RESIDENT_ID_LENGTH', (_label, raw, len) => {
    const err = caught(() => parseResidentId(raw, 'id', TODAY));
    expect(err.rule).toBe('RESIDENT_ID_LENGTH');
    expect(err.message).toContain(`got ${len}`);
    expect(err.message).not.toContain('first-generation');
  });

  it('rejects a 15-digit first-generation number and asks for the 18-digit form', () => {
    const err = caught(() => parseResidentId('110105491231002', 'debtorId', TODAY));
    expect(err.rule).toBe('RESIDENT_ID_LENGTH');
    expect(err.field).toBe('debtorId');
    expect(err.message).toContain('got 15');
    expect(err.message).toContain('18-digit form');
  });

  it.each([
    ['a letter among the digits', '1101051949123100AX'],
    ['X not in last place', '1101051949123100X2'],
    ['a full-width digit', '１1010519491231002X'],
    ['an inner space', '110105 949123102X0'],
  ])('rejects %s with RESIDENT_ID_CHARSET', (_label, raw) => {
    expect(caught(() => parseResidentId(raw, 'id', TODAY)).rule).toBe('RESIDENT_ID_CHARSET');
  });

  it.each([['99'], ['00'], ['10'], ['24'], ['80']])('rejects unknown province code %s with RESIDENT_ID_ADDRESS', (prov) => {
    const first17 = `${prov}010519491231002`;
    const err = caught(() => parseResidentId(first17 + refIdCheck(first17), 'id', TODAY));
    expect(err.rule).toBe('RESIDENT_ID_ADDRESS');
    expect(err.message).toContain(`"${prov}"`);
  });

  it.each([['51'], ['11'], ['65'], ['71'], ['81'], ['82']])('accepts province code %s', (prov) => {
    const first17 = `${prov}010519800101001`;
    expect(parseResidentId(first17 + refIdCheck(first17), 'id', TODAY).divisionCode).toBe(`${prov}0105`);
  });

  it.each([
    ['30 February', '19900230'],
    ['29 February in a common year', '19890229'],
    ['29 February 1900 (not a leap year)', '19000229'],
    ['month 13', '19901301'],
    ['month 00', '19900001'],
    ['day 00', '19900100'],
    ['31 April', '19900431'],
    ['before 1900', '18991231'],
    ['the day after "today"', '20260701'],
    ['a future year', '20300101'],
  ])('rejects %s with RESIDENT_ID_BIRTH_DATE', (_label, yyyymmdd) => {
    const first17 = `510105${yyyymmdd}123`;
    const err = caught(() => parseResidentId(first17 + refIdCheck(first17), 'id', TODAY));
    expect(err.rule).toBe('RESIDENT_ID_BIRTH_DATE');
    expect(err.message).toContain(`"${yyyymmdd}"`);
  });

  it('accepts a birth date equal to "today"', () => {
    const first17 = '51010520260630123';
    expect(parseResidentId(first17 + refIdCheck(first17), 'id', TODAY).birthDate).toBe('2026-06-30');
  });

  it('checks the birth date before the check character', () => {
    // Wrong check character and impossible date: the date is the rule reported.
    const first17 = '51010519900230123';
    const wrong = refIdCheck(first17) === '0' ? '1' : '0';
    expect(caught(() => parseResidentId(first17 + wrong, 'id', TODAY)).rule).toBe('RESIDENT_ID_BIRTH_DATE');
  });
});

describe('parseCreditCode', () => {
  it('accepts the commonly cited example 91350100M000100Y43', () => {
    expect(parseCreditCode('91350100M000100Y43', 'creditCode')).toEqual({
      id: '91350100M000100Y43',
      kind: 'LEGAL_PERSON',
      divisionCode: '350100',
    });
  });

  it('accepts a Sichuan (成都市) enterprise code built with the reference algorithm', () => {
    const code = refCreditCode('91510100MA61R8XK');
    const parsed = parseCreditCode(code);
    expect(parsed.id).toBe(code);
    expect(parsed.divisionCode).toBe('510100');
    expect(parsed.kind).toBe('LEGAL_PERSON');
  });

  it('accepts a code whose check character is a letter', () => {
    // Find a generated code whose reference check character is a letter, so the letter path is exercised.
    const rnd = lcg(7);
    let code = '';
    while (!/[A-Y]$/.test(code)) {
      let body = '';
      for (let i = 0; i < 8; i++) body += GB32100_CHARS[Math.floor(rnd() * 31)];
      code = refCreditCode(`92510105${body}`);
    }
    expect(parseCreditCode(code).id).toBe(code);
  });

  it('upper-cases and trims input', () => {
    expect(parseCreditCode('  91350100m000100y43 ').id).toBe('91350100M000100Y43');
  });

  it('rejects a wrong check character, naming the expected one, the field and CREDIT_CODE_CHECKSUM', () => {
    const err = caught(() => parseCreditCode('91350100M000100Y44', 'debtor.creditCode'));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.field).toBe('debtor.creditCode');
    expect(err.rule).toBe('CREDIT_CODE_CHECKSUM');
    expect(err.message).toContain('expected 3');
    expect(err.message).toContain('got 4');
  });

  it('rejects a transposition of two characters of the division code (checksum)', () => {
    const err = caught(() => parseCreditCode('91350010M000100Y43'));
    expect(err.rule).toBe('CREDIT_CODE_CHECKSUM');
    expect(err.message).toContain(`expected ${refCreditCheck('91350010M000100Y4')}`);
  });

  it('rejects a transposition of two characters of the organisation code with CREDIT_CODE_ORG_CHECK', () => {
    // M000100Y4 → M000010Y4: the GB 11714 check over the first eight is then 1, not 4.
    expect(refOrgCheck('M000010Y')).toBe('1');
    const err = caught(() => parseCreditCode('91350100M000010Y43', 'creditCode'));
    expect(err.rule).toBe('CREDIT_CODE_ORG_CHECK');
    expect(err.field).toBe('creditCode');
    expect(err.message).toContain('expected 1');
  });

  it.each(['I', 'O', 'S', 'V', 'Z'])('rejects the excluded letter %s with CREDIT_CODE_CHARSET', (letter) => {
    const raw = `91350100${letter}000100Y43`;
    const err = caught(() => parseCreditCode(raw, 'creditCode'));
    expect(err.rule).toBe('CREDIT_CODE_CHARSET');
    expect(err.field).toBe('creditCode');
    expect(err.message).toContain(`character 9 "${letter}"`);
  });

  it('rejects an excluded letter given in lower case (after upper-casing) with CREDIT_CODE_CHARSET', () => {
    expect(caught(() => parseCreditCode('91350100o000100Y43')).rule).toBe('CREDIT_CODE_CHARSET');
  });

  it('rejects punctuation and hyphens with CREDIT_CODE_CHARSET', () => {
    expect(caught(() => parseCreditCode('91350100-000100Y43')).rule).toBe('CREDIT_CODE_CHARSET');
  });

  it.each([
    ['17 characters', '91350100M000100Y4', 17],
    ['19 characters', '91350100M000100Y433', 19],
    ['15-character registration number', '350100400001234', 15],
  ])('rejects %s with CREDIT_CODE_LENGTH', (_label, raw, len) => {
    const err = caught(() => parseCreditCode(raw));
    expect(err.rule).toBe('CREDIT_CODE_LENGTH');
    expect(err.message).toContain(`got ${len}`);
  });

  it('rejects letters in the division code (characters 3-8) with CREDIT_CODE_DIVISION', () => {
    const first17 = '91A50100M000100Y4';
    const err = caught(() => parseCreditCode(first17 + refCreditCheck(first17)));
    expect(err.rule).toBe('CREDIT_CODE_DIVISION');
  });
});

describe('parseDebtorId', () => {
  it('dispatches a resident ID number to NATURAL_PERSON', () => {
    const p = parseDebtorId('11010519491231002x', 'debtorId', TODAY);
    expect(p.kind).toBe('NATURAL_PERSON');
    expect(p.id).toBe('11010519491231002X');
    expect(p.sex).toBe('FEMALE');
  });

  it('dispatches a credit code to LEGAL_PERSON', () => {
    const p = parseDebtorId(' 91350100M000100Y43 ', 'debtorId', TODAY);
    expect(p.kind).toBe('LEGAL_PERSON');
    expect(p.divisionCode).toBe('350100');
    expect(p.birthDate).toBeUndefined();
  });

  it('reports a resident-ID checksum failure as such (not as a credit-code failure)', () => {
    const err = caught(() => parseDebtorId('110105194912310021', 'debtorId', TODAY));
    expect(err.rule).toBe('RESIDENT_ID_CHECKSUM');
    expect(err.field).toBe('debtorId');
    expect(err.message).toContain('expected X');
  });

  it('reports an impossible birth date in an ID-shaped input as RESIDENT_ID_BIRTH_DATE', () => {
    expect(caught(() => parseDebtorId('110105194902301234', 'debtorId', TODAY)).rule).toBe('RESIDENT_ID_BIRTH_DATE');
  });

  it('reports a credit-code checksum failure with the field', () => {
    const err = caught(() => parseDebtorId('91350100M000100Y44', 'debtorId', TODAY));
    expect(err.rule).toBe('CREDIT_CODE_CHECKSUM');
    expect(err.field).toBe('debtorId');
  });

  it('reports an excluded letter in a credit code as CREDIT_CODE_CHARSET', () => {
    expect(caught(() => parseDebtorId('91350100Z000100Y43', 'id', TODAY)).rule).toBe('CREDIT_CODE_CHARSET');
  });

  it.each([
    ['15-digit old ID', '110105491231002', 15],
    ['17 characters', '11010519491231002', 17],
    ['19 characters', '91350100M000100Y431', 19],
  ])('rejects %s with IDENTIFIER_LENGTH', (_label, raw, len) => {
    const err = caught(() => parseDebtorId(raw, 'debtorId', TODAY));
    expect(err.rule).toBe('IDENTIFIER_LENGTH');
    expect(err.field).toBe('debtorId');
    expect(err.message).toContain(`got ${len} characters`);
    expect(err.message).toContain('18-character');
  });
});

describe('isValidDebtorId', () => {
  it.each([
    ['11010519491231002X', true],
    ['11010519491231002x', true],
    ['91350100M000100Y43', true],
    [' 91350100m000100y43 ', true],
    ['110105194912310021', false],
    ['91350100M000100Y44', false],
    ['91350100I000100Y43', false],
    ['110105491231002', false],
    ['', false],
  ])('%j → %s', (raw, valid) => {
    expect(isValidDebtorId(raw, TODAY)).toBe(valid);
  });

  it('honours the `today` argument for birth dates', () => {
    const first17 = '51010520260630123';
    const id = first17 + refIdCheck(first17);
    expect(isValidDebtorId(id, TODAY)).toBe(true);
    // A day earlier the birth date lies in the future; the string is then checked as a credit code instead.
    const dayBefore = new Date(Date.UTC(2026, 5, 29));
    expect(isValidDebtorId(id, dayBefore)).toBe(refCreditCheck(first17) === id[17]);
  });
});

describe('GB 32100 structure: the embedded organisation code and the registering authority (issue 14 item 14)', () => {
  it('the GB 11714 reference check: M000100Y → 4 (Σ = 139, 139 mod 11 = 7, 11 − 7 = 4)', () => {
    // M = 22, Y = 34: 22·3 + 1·5 + 34·2 = 139
    expect(refOrgCheck('M000100Y')).toBe('4');
    expect(orgCodeCheckChar('M000100Y')).toBe('4');
  });

  it('maps C9 = 10 to X and C9 = 11 to 0 at the boundary', () => {
    // MA000004: Σ = 22·3 + 10·7 + 4·2 = 144, 144 mod 11 = 1 → 10 → X; MA000009: Σ = 154, mod 11 = 0 → 11 → 0.
    expect(refOrgCheck('MA000004')).toBe('X');
    expect(orgCodeCheckChar('MA000004')).toBe('X');
    expect(refOrgCheck('MA000009')).toBe('0');
    expect(orgCodeCheckChar('MA000009')).toBe('0');
    expect(parseCreditCode(refCreditCode('91510104MA000004')).id.slice(16, 17)).toBe('X');
    expect(parseCreditCode(refCreditCode('91510104MA000009')).id.slice(16, 17)).toBe('0');
  });

  it('refuses a code whose organisation-code check is wrong though its mod-31 check is right, with CREDIT_CODE_ORG_CHECK', () => {
    const good = refCreditCode('91510104MA000004');
    const first17 = `${good.slice(0, 16)}1`;
    const err = caught(() => parseCreditCode(first17 + refCreditCheck(first17), 'debtors[0].identifier'));
    expect(err.rule).toBe('CREDIT_CODE_ORG_CHECK');
    expect(err.field).toBe('debtors[0].identifier');
    expect(err.message).toContain('expected X');
  });

  it.each(['1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'N', 'Y'])('accepts the registration authority %s', (authority) => {
    const code = refCreditCode(`${authority}1510104MA000004`);
    expect(parseCreditCode(code).id).toBe(code);
  });

  it.each(['0', 'B', 'C', 'G', 'M', 'X'])('refuses %s at position 1 with CREDIT_CODE_AUTHORITY', (authority) => {
    const code = refCreditCode(`${authority}1510104MA000004`);
    const err = caught(() => parseCreditCode(code, 'creditCode'));
    expect(err.rule).toBe('CREDIT_CODE_AUTHORITY');
    expect(err.field).toBe('creditCode');
  });

  it.each(['92', '93', '12', '19', '35', '59', 'A9', 'N3', 'Y1'])('accepts the organisation category of %s', (head) => {
    const code = refCreditCode(`${head}510104MA000004`);
    expect(parseCreditCode(code).id).toBe(code);
  });

  it.each(['94', '99', '14', '22', '36', '54', '83', 'A2', 'N4', 'Y2'])('refuses %s at positions 1-2 with CREDIT_CODE_CATEGORY', (head) => {
    const code = refCreditCode(`${head}510104MA000004`);
    const err = caught(() => parseCreditCode(code, 'creditCode'));
    expect(err.rule).toBe('CREDIT_CODE_CATEGORY');
    expect(err.field).toBe('creditCode');
    expect(err.message).toContain(`character 2 "${head[1]}"`);
  });

  it('refuses a division code not led by a province code with CREDIT_CODE_DIVISION', () => {
    const err = caught(() => parseCreditCode(refCreditCode('91010519MA000004')));
    expect(err.rule).toBe('CREDIT_CODE_DIVISION');
  });
});

describe('parseDebtorId: the resident-ID / credit-code fallback (issue 14 item 14)', () => {
  it('refuses 11010519491331002X (month 13) with the resident-ID rule, though its mod-31 check happens to match', () => {
    expect(refCreditCheck('11010519491331002')).toBe('X');
    const err = caught(() => parseDebtorId('11010519491331002X', 'id', TODAY));
    expect(err.rule).toBe('RESIDENT_ID_BIRTH_DATE');
    expect(isValidDebtorId('11010519491331002X', TODAY)).toBe(false);
  });

  it('still accepts an all-digit credit code shaped like an ID number (事业单位, old all-digit organisation code)', () => {
    const code = refCreditCode('1251000045071605');
    expect(code).toBe('125100004507160576');
    expect(parseDebtorId(code, 'id', TODAY)).toEqual({ id: code, kind: 'LEGAL_PERSON', divisionCode: '510000' });
  });
});
