import { describe, it, expect } from 'vitest';
import { ValidationError } from '../../domain/errors';
import { parseCourtCode } from '../../domain/courtCode';
import {
  basicCourtOfDivision,
  COURTS,
  COURTS_BY_CODE,
  HIGH_COURT_CODE,
  PREFECTURES,
  PREFECTURES_BY_CODE,
  findPrefecture,
  prefectureOfDivision,
} from '../../domain/sichuan';
import { caught } from '../support/caught';

describe('parseCourtCode: levels and parents', () => {
  it('川 is the high court with no parent', () => {
    expect(parseCourtCode('川')).toEqual({ code: '川', level: 'HIGH', parentCode: null });
  });

  it.each([['川01'], ['川15'], ['川34'], ['川71']])('%s is an intermediate court under the high court', (code) => {
    expect(parseCourtCode(code)).toEqual({ code, level: 'INTERMEDIATE', parentCode: '川' });
  });

  it.each([
    ['川0105', '川01'],
    ['川1502', '川15'],
    ['川3401', '川34'],
    ['川0681', '川06'],
    ['川7101', '川71'],
    ['川7102', '川71'],
  ])('%s is a basic court under %s', (code, parent) => {
    expect(parseCourtCode(code)).toEqual({ code, level: 'BASIC', parentCode: parent });
  });

  it('trims surrounding whitespace and returns the trimmed code', () => {
    expect(parseCourtCode('  川0105 ')).toEqual({ code: '川0105', level: 'BASIC', parentCode: '川01' });
  });
});

describe('parseCourtCode: invalid forms', () => {
  it.each([['京0105'], ['渝01'], ['0105'], [''], ['四川0105']])('%j must start with 川 (COURT_CODE_PROVINCE)', (raw) => {
    const err = caught(() => parseCourtCode(raw, 'executingCourt'));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.rule).toBe('COURT_CODE_PROVINCE');
    expect(err.field).toBe('executingCourt');
    expect(err.message).toContain(`"${raw}"`);
  });

  it.each([
    ['川1'],
    ['川123'],
    ['川01051'],
    ['川010501'],
    ['川ab'],
    ['川01a'],
    ['川０１'], // full-width digits are not accepted
    ['川 01'],
  ])('%s has the wrong shape (COURT_CODE_FORMAT)', (raw) => {
    const err = caught(() => parseCourtCode(raw, 'court'));
    expect(err.rule).toBe('COURT_CODE_FORMAT');
    expect(err.field).toBe('court');
    expect(err.message).toContain('川 + 2 digits');
  });

  it.each([['川00'], ['川0001'], ['川0000']])('%s: division 00 does not exist (COURT_CODE_FORMAT)', (raw) => {
    const err = caught(() => parseCourtCode(raw));
    expect(err.rule).toBe('COURT_CODE_FORMAT');
    expect(err.message).toContain('division 00');
  });

  it.each([['川0100'], ['川3400']])("%s: a basic court's last two digits are not 00 (COURT_CODE_FORMAT)", (raw) => {
    const err = caught(() => parseCourtCode(raw));
    expect(err.rule).toBe('COURT_CODE_FORMAT');
    expect(err.message).toContain('not 00');
  });

  it('uses the default field name "code"', () => {
    expect(caught(() => parseCourtCode('京01')).field).toBe('code');
  });
});

// DESIGN.md §3: Sichuan's 21 prefecture-level divisions and their intermediate-court codes.
const DESIGN_PREFECTURES: [string, string][] = [
  ['川01', '成都'],
  ['川03', '自贡'],
  ['川04', '攀枝花'],
  ['川05', '泸州'],
  ['川06', '德阳'],
  ['川07', '绵阳'],
  ['川08', '广元'],
  ['川09', '遂宁'],
  ['川10', '内江'],
  ['川11', '乐山'],
  ['川13', '南充'],
  ['川14', '眉山'],
  ['川15', '宜宾'],
  ['川16', '广安'],
  ['川17', '达州'],
  ['川18', '雅安'],
  ['川19', '巴中'],
  ['川20', '资阳'],
  ['川32', '阿坝'],
  ['川33', '甘孜'],
  ['川34', '凉山'],
];

describe('domain/sichuan: prefectures', () => {
  it('has exactly the 21 prefectures of DESIGN.md with their codes and names', () => {
    expect(PREFECTURES).toHaveLength(21);
    expect(PREFECTURES.map((p) => p.code)).toEqual(DESIGN_PREFECTURES.map(([code]) => code));
    for (const [code, short] of DESIGN_PREFECTURES) {
      const p = PREFECTURES_BY_CODE.get(code)!;
      expect(p.name.startsWith(short), `${code} ${p.name}`).toBe(true);
      expect(p.divisionCode).toBe(`51${code.slice(1)}00`);
      expect(p.courtName).toBe(`${p.name}中级人民法院`);
    }
  });

  it('each prefecture has its intermediate court in COURTS', () => {
    for (const p of PREFECTURES) {
      const court = COURTS_BY_CODE.get(p.code)!;
      expect(court.level).toBe('INTERMEDIATE');
      expect(court.name).toBe(p.courtName);
      expect(court.parent).toBe(HIGH_COURT_CODE);
      expect(court.prefecture).toBe(p.code);
      expect(court.special).toBe(false);
    }
  });
});

describe('domain/sichuan: courts', () => {
  it('has exactly one high court, 川 四川省高级人民法院', () => {
    const high = COURTS.filter((c) => c.level === 'HIGH');
    expect(high).toHaveLength(1);
    expect(high[0]).toMatchObject({ code: '川', name: '四川省高级人民法院', parent: null, prefecture: null, divisionCode: '510000' });
    expect(HIGH_COURT_CODE).toBe('川');
  });

  it('court codes are unique and COURTS_BY_CODE holds every court', () => {
    const codes = COURTS.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(COURTS_BY_CODE.size).toBe(codes.length);
  });

  it('court names are unique (districts carry their prefecture name, e.g. the two 市中区)', () => {
    const names = COURTS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(COURTS_BY_CODE.get('川1002')!.name).toBe('内江市市中区人民法院');
    expect(COURTS_BY_CODE.get('川1102')!.name).toBe('乐山市市中区人民法院');
  });

  it("every basic court's parent exists and its code is the parent's code plus two digits", () => {
    const basic = COURTS.filter((c) => c.level === 'BASIC');
    expect(basic.length).toBeGreaterThan(0);
    for (const c of basic) {
      const parent = COURTS_BY_CODE.get(c.parent!);
      expect(parent, c.code).toBeDefined();
      expect(parent!.level).toBe('INTERMEDIATE');
      expect(c.code).toMatch(/^川\d{4}$/);
      expect(c.code.slice(0, 3)).toBe(parent!.code);
    }
  });

  it('Sichuan has 183 county-level divisions, each with a basic court (plus three functional-area and two railway courts)', () => {
    const basic = COURTS.filter((c) => c.level === 'BASIC');
    expect(basic.filter((c) => !c.special)).toHaveLength(183 + 3);
    expect(
      basic
        .filter((c) => c.special)
        .map((c) => c.code)
        .sort(),
    ).toEqual(['川7101', '川7102']);
    expect(COURTS).toHaveLength(1 + 21 + 183 + 3 + 1 + 2);
  });

  it('every court code parses with parseCourtCode to the same level and parent', () => {
    for (const c of COURTS) {
      const parsed = parseCourtCode(c.code);
      expect(parsed.level, c.code).toBe(c.level);
      expect(parsed.parentCode, c.code).toBe(c.parent);
    }
  });

  it("non-special courts sit in their prefecture and carry its division code (a functional-area court the prefecture's)", () => {
    const functionalArea = new Set(['川0191', '川0192', '川0193']);
    for (const c of COURTS.filter((x) => !x.special && x.level !== 'HIGH')) {
      const own = c.level === 'INTERMEDIATE' || functionalArea.has(c.code) ? `51${c.code.slice(1, 3)}00` : `51${c.code.slice(1)}`;
      expect(c.divisionCode, c.code).toBe(own);
      expect(c.prefecture, c.code).toBe(c.code.slice(0, 3));
      expect(prefectureOfDivision(c.divisionCode)).toBe(c.prefecture);
    }
  });

  it('railway transport courts are special, with no prefecture', () => {
    expect(COURTS_BY_CODE.get('川71')).toMatchObject({ level: 'INTERMEDIATE', special: true, prefecture: null, parent: '川' });
    expect(COURTS_BY_CODE.get('川7101')).toMatchObject({
      level: 'BASIC',
      special: true,
      prefecture: null,
      parent: '川71',
      name: '成都铁路运输第一法院',
    });
  });

  it('known courts: 川0105 成都市青羊区人民法院, 川3401 西昌市人民法院', () => {
    expect(COURTS_BY_CODE.get('川0105')).toMatchObject({
      name: '成都市青羊区人民法院',
      level: 'BASIC',
      parent: '川01',
      divisionCode: '510105',
    });
    expect(COURTS_BY_CODE.get('川3401')).toMatchObject({ name: '西昌市人民法院', parent: '川34', divisionCode: '513401' });
  });
});

describe('domain/sichuan: findPrefecture and prefectureOfDivision', () => {
  it.each([['川01'], ['成都市'], ['成都'], [' 成都 ']])('findPrefecture(%j) is 成都市', (q) => {
    expect(findPrefecture(q)).toMatchObject({ code: '川01', name: '成都市', divisionCode: '510100' });
  });

  it('finds autonomous prefectures by their short name', () => {
    expect(findPrefecture('凉山')?.code).toBe('川34');
    expect(findPrefecture('凉山彝族自治州')?.code).toBe('川34');
    expect(findPrefecture('阿坝')?.code).toBe('川32');
    expect(findPrefecture('川15')?.name).toBe('宜宾市');
  });

  it.each([['川99'], ['川71'], ['川'], ['成'], ['北京'], ['']])('findPrefecture(%j) finds nothing', (q) => {
    expect(findPrefecture(q)).toBeUndefined();
  });

  it.each([
    ['510105', '川01'],
    ['510100', '川01'],
    ['513401', '川34'],
    ['511502', '川15'],
    ['517101', null],
    ['110105', null],
    ['500101', null],
  ])('prefectureOfDivision(%s) → %s', (div, pref) => {
    expect(prefectureOfDivision(div)).toBe(pref);
  });
});

describe('findPrefecture short forms (review)', () => {
  it.each([
    ['凉山州', '川34'],
    ['阿坝州', '川32'],
    ['甘孜州', '川33'],
    ['成都', '川01'],
  ])('%s → %s', (name, code) => {
    expect(findPrefecture(name)?.code).toBe(code);
  });

  it('does not match a one-character stem', () => {
    expect(findPrefecture('州')).toBeUndefined();
  });
});

describe('the province court list: functional-area courts (issue 14 item 14, docs/courts.md)', () => {
  it.each([
    ['川0191', '成都高新技术产业开发区人民法院'],
    ['川0192', '四川天府新区成都片区人民法院'],
    ['川0193', '四川自由贸易试验区人民法院'],
  ])('%s %s is a basic court under 成都市中级人民法院', (code, name) => {
    expect(parseCourtCode(code)).toEqual({ code, level: 'BASIC', parentCode: '川01' });
    expect(COURTS_BY_CODE.get(code)).toMatchObject({ name, level: 'BASIC', parent: '川01', prefecture: '川01', special: false });
  });

  it('are no division: 510191 names no basic court, while a county division still names its court', () => {
    expect(basicCourtOfDivision('510191')).toBeNull();
    expect(basicCourtOfDivision('510105')).toBe('川0105');
  });

  it('counts 211 courts: the high court, 21 intermediate, 186 basic and 3 railway transport courts', () => {
    expect(COURTS).toHaveLength(211);
    expect(COURTS.filter((c) => c.level === 'INTERMEDIATE' && !c.special)).toHaveLength(21);
    expect(COURTS.filter((c) => c.special).map((c) => c.code)).toEqual(['川71', '川7101', '川7102']);
  });
});
