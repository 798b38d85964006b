import { describe, it, expect } from 'vitest';
import { normaliseName } from '../../domain/names';
import { candidatesThatMayRank, scoreDebtorMatches } from '../../subgraphs/case-registry/search';
import type { CasePartyRecord, PersonRecord } from '../../subgraphs/case-registry/sources/records';

// GB 32100-2015 check character, so the identified persons below carry well-formed credit codes.
const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function creditCode(first17: string): string {
  const sum = [...first17].reduce((a, c, i) => a + CHARS.indexOf(c) * WEIGHTS[i]!, 0);
  return first17 + CHARS[(31 - (sum % 31)) % 31]!;
}

function person(id: string, name: string, divisionCode: string | null, kind: PersonRecord['kind'] = 'LEGAL_PERSON'): PersonRecord {
  return { id, kind, name, name_key: normaliseName(name), division_code: divisionCode, out_of_province: 0 };
}

function party(
  caseNumber: string,
  name: string,
  divisionCode: string | null,
  kind: CasePartyRecord['kind'] = 'LEGAL_PERSON',
  position = 0,
): CasePartyRecord {
  return {
    case_number: caseNumber,
    role: 'DEBTOR',
    position,
    person_id: null,
    name,
    name_key: normaliseName(name),
    kind,
    division_code: divisionCode,
  };
}

const noPersons: ReadonlyMap<string, readonly PersonRecord[]> = new Map();

const SHUFENG = '四川蜀丰建设（集团）有限公司';
const SHUFENG_KEY = '四川蜀丰建设(集团)';
const P_CHENGDU = person(creditCode('91510105MA6C7X2L8'), SHUFENG, '510105');
const P_YIBIN = person(creditCode('91511502MA62A0QH1'), '四川蜀丰建设(集团)股份有限公司', '511502');

describe('scoreDebtorMatches: identified persons', () => {
  it('test data: the shared key and the credit codes are what the tests assume', () => {
    expect(P_CHENGDU.name_key).toBe(SHUFENG_KEY);
    expect(P_YIBIN.name_key).toBe(SHUFENG_KEY);
    expect(P_CHENGDU.id).toHaveLength(18);
  });

  it('an exact name gives confidence 1, not a candidate, with IDENTIFIER and NAME_EXACT evidence', () => {
    const [m, ...rest] = scoreDebtorMatches(SHUFENG, [P_CHENGDU], [], noPersons, 10);
    expect(rest).toEqual([]);
    expect(m).toMatchObject({
      person: P_CHENGDU,
      name: SHUFENG,
      kind: 'LEGAL_PERSON',
      candidate: false,
      confidence: 1,
      caseNumbers: [],
      possibleDebtorIds: [],
    });
    expect(m!.evidence.map((e) => e.rule)).toEqual(['IDENTIFIER', 'NAME_EXACT']);
    expect(m!.evidence[0]!.detail).toContain('unified social credit code');
  });

  it('an exact name matches despite whitespace around the query', () => {
    expect(scoreDebtorMatches(`  ${SHUFENG} `, [P_CHENGDU], [], noPersons, 10)[0]!.confidence).toBe(1);
  });

  it('a natural person is identified by resident ID number', () => {
    const p = person('11010519491231002X', '张三', '110105', 'NATURAL_PERSON');
    const [m] = scoreDebtorMatches('张三', [p], [], noPersons, 10);
    expect(m!.confidence).toBe(1);
    expect(m!.kind).toBe('NATURAL_PERSON');
    expect(m!.evidence[0]!).toEqual({ rule: 'IDENTIFIER', detail: 'identified by validated resident ID number' });
  });

  it('a name equal only once normalised (other company form, bracket width) scores 0.95', () => {
    const [m] = scoreDebtorMatches('四川蜀丰建设(集团)有限责任公司', [P_CHENGDU], [], noPersons, 10);
    expect(m!.confidence).toBe(0.95);
    expect(m!.candidate).toBe(false);
    expect(m!.evidence.map((e) => e.rule)).toEqual(['IDENTIFIER', 'NAME_NORMALISED']);
    expect(m!.evidence[1]!.detail).toContain(SHUFENG_KEY);
  });

  it('a contained name scores 0.5 + 0.4 × (query length / name length)', () => {
    // "蜀丰" (2) in "四川蜀丰建设(集团)" (10): 0.5 + 0.4 × 0.2 = 0.58
    const [m] = scoreDebtorMatches('蜀丰', [P_CHENGDU], [], noPersons, 10);
    expect(m!.confidence).toBe(0.58);
    expect(m!.evidence.map((e) => e.rule)).toEqual(['IDENTIFIER', 'NAME_CONTAINS']);
  });

  it('confidences are rounded to two places', () => {
    // "蜀丰建设" (4) in "蜀丰建设集团" (6): 0.5 + 0.4 × 4/6 = 0.7666… → 0.77
    const p = person(creditCode('91510100MA61R8XK4'), '蜀丰建设集团有限公司', '510100');
    expect(scoreDebtorMatches('蜀丰建设', [p], [], noPersons, 10)[0]!.confidence).toBe(0.77);
  });
});

describe('scoreDebtorMatches: unidentified records', () => {
  it('come back as one candidate per name key, never with a person, with every case number once', () => {
    const records = [
      party('(2024)川0104执12号', '四川蜀丰建设(集团)有限责任公司', null),
      party('(2024)川0104执12号', '四川蜀丰建设(集团)有限责任公司', null, 'LEGAL_PERSON', 1),
      party('(2025)川0105执3号', SHUFENG, null),
    ];
    const result = scoreDebtorMatches(SHUFENG, [], records, noPersons, 10);
    expect(result).toHaveLength(1);
    const [m] = result;
    expect(m!.person).toBeNull();
    expect(m!.candidate).toBe(true);
    expect(m!.name).toBe('四川蜀丰建设(集团)有限责任公司');
    expect(m!.kind).toBe('LEGAL_PERSON');
    expect(m!.caseNumbers).toEqual(['(2024)川0104执12号', '(2025)川0105执3号']);
    expect(m!.possibleDebtorIds).toEqual([]);
    expect(m!.confidence).toBe(0.6);
    expect(m!.evidence.map((e) => e.rule)).toEqual(['NAME_NORMALISED']);
  });

  it('list the identified debtors of the same kind and key as possibleDebtorIds', () => {
    const natural = person('11010519491231002X', SHUFENG, '510105', 'NATURAL_PERSON');
    const sameKey = new Map([[SHUFENG_KEY, [P_CHENGDU, natural]]]);
    const [m] = scoreDebtorMatches(SHUFENG, [], [party('(2024)川1502执1号', SHUFENG, '511502')], sameKey, 10);
    expect(m!.possibleDebtorIds).toEqual([P_CHENGDU.id]);
    expect(m!.person).toBeNull();
    expect(m!.candidate).toBe(true);
  });

  it('same-region evidence raises confidence by 0.15 and names the region and the debtor', () => {
    const sameKey = new Map([[SHUFENG_KEY, [P_CHENGDU]]]);
    const elsewhere = scoreDebtorMatches(SHUFENG, [], [party('(2024)川1502执1号', SHUFENG, '511502')], sameKey, 10)[0]!;
    const sameRegion = scoreDebtorMatches(SHUFENG, [], [party('(2024)川0104执1号', SHUFENG, '510104')], sameKey, 10)[0]!;
    expect(elsewhere.confidence).toBe(0.6);
    expect(elsewhere.evidence.map((e) => e.rule)).toEqual(['NAME_NORMALISED']);
    expect(sameRegion.confidence).toBe(0.75);
    expect(sameRegion.confidence).toBeGreaterThan(elsewhere.confidence);
    const region = sameRegion.evidence.find((e) => e.rule === 'REGION')!;
    expect(region.detail).toContain('5101');
    expect(region.detail).toContain(P_CHENGDU.id);
    expect(sameRegion.possibleDebtorIds).toEqual([P_CHENGDU.id]);
  });

  it('records without a division code give no region evidence', () => {
    const sameKey = new Map([[SHUFENG_KEY, [P_CHENGDU]]]);
    const [m] = scoreDebtorMatches(SHUFENG, [], [party('(2024)川0104执1号', SHUFENG, null)], sameKey, 10);
    expect(m!.confidence).toBe(0.6);
    expect(m!.evidence.some((e) => e.rule === 'REGION')).toBe(false);
  });

  it('several identified debtors sharing the key make the link ambiguous (−0.1)', () => {
    const sameKey = new Map([[SHUFENG_KEY, [P_CHENGDU, P_YIBIN]]]);
    const plain = scoreDebtorMatches(SHUFENG, [], [party('(2024)川0301执1号', SHUFENG, '510302')], sameKey, 10)[0]!;
    expect(plain.confidence).toBe(0.5);
    expect(plain.possibleDebtorIds).toEqual([P_CHENGDU.id, P_YIBIN.id]);
    const withRegion = scoreDebtorMatches(SHUFENG, [], [party('(2024)川1502执1号', SHUFENG, '511502')], sameKey, 10)[0]!;
    expect(withRegion.confidence).toBe(0.65);
    expect(withRegion.evidence.find((e) => e.rule === 'REGION')!.detail).toContain(P_YIBIN.id);
    expect(withRegion.evidence.find((e) => e.rule === 'REGION')!.detail).not.toContain(P_CHENGDU.id);
  });

  it('a contained name scores 0.3 + 0.3 × (query length / name length) for a candidate', () => {
    // "蜀丰" (2) in "四川蜀丰建设(集团)" (10): 0.3 + 0.3 × 0.2 = 0.36
    const [m] = scoreDebtorMatches('蜀丰', [], [party('(2024)川0104执1号', SHUFENG, null)], noPersons, 10);
    expect(m!.confidence).toBe(0.36);
    expect(m!.evidence.map((e) => e.rule)).toEqual(['NAME_CONTAINS']);
  });

  it('groups by kind as well as key: a person and a company with one key stay apart', () => {
    const records = [
      party('(2024)川0104执1号', '张三', null, 'NATURAL_PERSON'),
      party('(2024)川0104执2号', '张三有限公司', null, 'LEGAL_PERSON'),
    ];
    const result = scoreDebtorMatches('张三', [], records, noPersons, 10);
    expect(result).toHaveLength(2);
    expect(result.map((m) => m.kind).sort()).toEqual(['LEGAL_PERSON', 'NATURAL_PERSON']);
    expect(result.every((m) => m.candidate && m.person === null && m.confidence === 0.6)).toBe(true);
    expect(result.map((m) => m.caseNumbers[0]).sort()).toEqual(['(2024)川0104执1号', '(2024)川0104执2号']);
  });

  it('never merges: the identified debtor and the candidate that may be it are both returned', () => {
    const sameKey = new Map([[SHUFENG_KEY, [P_CHENGDU]]]);
    const result = scoreDebtorMatches(SHUFENG, [P_CHENGDU], [party('(2024)川0104执1号', SHUFENG, '510104')], sameKey, 10);
    expect(result).toHaveLength(2);
    expect(result[0]).toMatchObject({ candidate: false, person: P_CHENGDU, confidence: 1 });
    expect(result[1]).toMatchObject({ candidate: true, person: null, confidence: 0.75, possibleDebtorIds: [P_CHENGDU.id] });
  });

  it('a candidate stays below an identified normalised match', () => {
    const sameKey = new Map([[SHUFENG_KEY, [P_YIBIN]]]);
    const result = scoreDebtorMatches(SHUFENG, [P_YIBIN], [party('(2024)川1502执1号', SHUFENG, '511502')], sameKey, 10);
    expect(result.map((m) => [m.candidate, m.confidence])).toEqual([
      [false, 0.95],
      [true, 0.75],
    ]);
  });
});

describe('scoreDebtorMatches: order and limit', () => {
  const QUERY = '蜀丰建设有限公司'; // key 蜀丰建设 (4)
  const exact = person(creditCode('91510100MA61R8XK4'), '蜀丰建设有限公司', '510100');
  const normalised = person(creditCode('91510105MA6C7X2L8'), '蜀丰建设股份有限公司', '510105');
  const contains = person(creditCode('91511502MA62A0QH1'), SHUFENG, '511502');
  const sameKey = new Map([['蜀丰建设', [exact, normalised]]]);
  const persons = [contains, normalised, exact];
  const records = [
    party('(2024)川0104执9号', '成都蜀丰建设工程有限公司', null), // key of 8 → 0.3 + 0.3 × 4/8 = 0.45
    party('(2024)川0104执1号', '蜀丰建设有限责任公司', '510104'), // 0.6 + 0.15 (region) − 0.1 (two possible) = 0.65
  ];

  it('sorts by confidence', () => {
    const result = scoreDebtorMatches(QUERY, persons, records, sameKey, 10);
    expect(result.map((m) => [m.name, m.candidate, m.confidence])).toEqual([
      ['蜀丰建设有限公司', false, 1],
      ['蜀丰建设股份有限公司', false, 0.95],
      [SHUFENG, false, 0.66], // key of 10 → 0.5 + 0.4 × 4/10
      ['蜀丰建设有限责任公司', true, 0.65],
      ['成都蜀丰建设工程有限公司', true, 0.45],
    ]);
    expect(result[3]!.possibleDebtorIds).toEqual([exact.id, normalised.id]);
    expect(result[3]!.evidence.map((e) => e.rule)).toEqual(['NAME_NORMALISED', 'REGION']);
    expect(result[4]!.possibleDebtorIds).toEqual([]);
  });

  it('cuts the sorted list to `first`', () => {
    const all = scoreDebtorMatches(QUERY, persons, records, sameKey, 10);
    const top2 = scoreDebtorMatches(QUERY, persons, records, sameKey, 2);
    expect(top2).toHaveLength(2);
    expect(top2).toEqual(all.slice(0, 2));
    expect(top2.map((m) => m.confidence)).toEqual([1, 0.95]);
    expect(scoreDebtorMatches(QUERY, persons, records, sameKey, 4).map((m) => m.candidate)).toEqual([false, false, false, true]);
    expect(scoreDebtorMatches(QUERY, persons, records, sameKey, 0)).toEqual([]);
  });

  it('the order does not depend on the input order', () => {
    const forward = scoreDebtorMatches(QUERY, persons, records, sameKey, 10);
    const reversed = scoreDebtorMatches(QUERY, [...persons].reverse(), [...records].reverse(), sameKey, 10);
    expect(reversed.map((m) => m.name)).toEqual(forward.map((m) => m.name));
  });

  it('breaks a confidence tie in favour of the identified debtor over the candidate', () => {
    // Query 蜀丰 (2). Identified key 成都蜀丰建设工程 (8): 0.5 + 0.4 × 2/8 = 0.6. Candidate key 蜀丰 = query: 0.6.
    const p = person(creditCode('91510100MA61R8XK4'), '成都蜀丰建设工程有限公司', '510100');
    expect(p.name_key).toHaveLength(8);
    const candidateFirst = scoreDebtorMatches('蜀丰', [p], [party('(2024)川0104执2号', '蜀丰有限公司', null)], noPersons, 10);
    expect(candidateFirst.map((m) => [m.candidate, m.confidence])).toEqual([
      [false, 0.6],
      [true, 0.6],
    ]);
  });

  it('breaks a remaining tie by name', () => {
    const a = person(creditCode('91510100MA61R8XK4'), '四川蜀丰建设(集团)有限责任公司', '510100');
    const b = person(creditCode('91510105MA6C7X2L8'), '四川蜀丰建设（集团）股份有限公司', '510105');
    const expected = [a.name, b.name].sort((x, y) => x.localeCompare(y));
    expect(scoreDebtorMatches(SHUFENG, [b, a], [], noPersons, 10).map((m) => m.name)).toEqual(expected);
    expect(scoreDebtorMatches(SHUFENG, [a, b], [], noPersons, 10).map((m) => m.name)).toEqual(expected);
  });
});

describe('candidatesThatMayRank: the resolver looks up same-key persons only for candidates that can rank', () => {
  // A small deterministic generator (LCG): names built around the query, so that keys contain it, equal it, or share
  // a key with an identified debtor, in two regions, with 1 to 30 persons against 1 to 60 records.
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const QUERY = '建设';
  const PARTS = ['四川', '成都', '蜀丰', '工程', '集团', '华西', '宜宾'];
  const nameOf = () => {
    const words = Array.from({ length: next(4) }, () => PARTS[next(PARTS.length)]!);
    words.splice(next(words.length + 1), 0, QUERY);
    return words.join('') + (next(2) ? '有限公司' : '');
  };
  const REGIONS = ['510105', '511502', null];

  it('the matches are the same as when every candidate is scored, and it drops candidates that cannot rank', () => {
    let dropped = 0;
    let keptWithFullPage = 0;
    for (let trial = 0; trial < 400; trial++) {
      const first = 1 + next(20);
      const persons = Array.from({ length: next(30) + 1 }, (_, i) => person(`P${trial}-${i}`, nameOf(), REGIONS[next(3)]!));
      const unidentified = Array.from({ length: next(60) }, (_, i) =>
        party(`C${trial}-${i}`, next(5) ? nameOf() : (persons[next(persons.length)]?.name ?? QUERY), REGIONS[next(3)]!),
      );
      const shown = persons.slice(0, first);
      const sameKey = new Map<string, PersonRecord[]>();
      for (const p of persons) sameKey.set(p.name_key, [...(sameKey.get(p.name_key) ?? []), p]);
      const kept = candidatesThatMayRank(QUERY, shown, unidentified, first);
      expect(scoreDebtorMatches(QUERY, shown, kept, sameKey, first)).toEqual(
        scoreDebtorMatches(QUERY, shown, unidentified, sameKey, first),
      );
      dropped += unidentified.length - kept.length;
      if (shown.length >= first && kept.length > 0) keptWithFullPage++;
    }
    // Not vacuous: candidates were dropped, and some were kept although `first` persons were found (they could rank).
    expect(dropped).toBeGreaterThan(0);
    expect(keptWithFullPage).toBeGreaterThan(0);
  });

  it('keeps every record when fewer than `first` persons were found', () => {
    const records = [party('C1', `${QUERY}工程有限公司`, null), party('C2', `四川${QUERY}`, null)];
    expect(candidatesThatMayRank(QUERY, [person('P1', `${QUERY}集团`, null)], records, 2)).toEqual(records);
  });
});
