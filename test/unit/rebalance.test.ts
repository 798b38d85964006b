import { describe, expect, it } from 'vitest';
import type { CourtFact } from '../../domain/rules/facts';
import { isMovableCase, planRebalance, type RebalanceCase } from '../../domain/rules/rebalance';
import { lowestCommonSuperior } from '../../domain/transfers';

const court = (code: string, open: number, staff: number): CourtFact => ({
  code,
  level: code.length === 5 ? 'BASIC' : 'INTERMEDIATE',
  prefecture: code.slice(0, 3),
  divisionCode: `51${code.slice(1)}`.padEnd(6, '0'),
  openCaseCount: open,
  enforcementStaffCount: staff,
});

// Loads per officer: 川0104 3.0 (overloaded), 川0105 1.0, 川0106 1.0, 川0107 0.5, 川0301 1.0 — median 1.0.
const courts = [court('川0104', 30, 10), court('川0105', 10, 10), court('川0106', 10, 10), court('川0107', 5, 10), court('川0301', 10, 10)];
const kase = (
  number: string,
  filedAt: string,
  propertyDivision: string | null = null,
  debtorDivision: string | null = null,
  court = '川0104',
  typeCode = '执',
  category = 'CIVIL',
): RebalanceCase => ({
  number,
  court,
  filedAt,
  typeCode,
  category,
  debtorDivisions: [debtorDivision],
  properties: propertyDivision ? [{ divisionCode: propertyDivision, value: 100 }] : [],
});

describe('planRebalance', () => {
  it('only uses courts that stay at or under the median after the move', () => {
    const plan = planRebalance(
      [courts[0]!],
      [
        kase('A', '2024-01-01'),
        kase('B', '2024-02-01'),
        kase('C', '2024-03-01'),
        kase('D', '2024-04-01'),
        kase('E', '2024-05-01'),
        kase('F', '2024-06-01'),
        kase('G', '2024-07-01'),
      ],
      courts,
      10,
    );
    expect(plan.provincialMedian).toBe(1);
    // 川0105/川0106 are at the median already: one more case would pass it. Only 川0107 has room (5 cases).
    expect(plan.moves.map((m) => m.to)).toEqual(['川0107', '川0107', '川0107', '川0107', '川0107']);
    expect(plan.moves.map((m) => m.caseNumber)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(plan.explanation).toContain('found no court with room');
  });

  it('prefers the court where the main property lies, then where the debtor is domiciled', () => {
    const roomy = [
      court('川0104', 30, 10),
      court('川0105', 2, 10),
      court('川0106', 2, 10),
      court('川0107', 2, 10),
      court('川0108', 20, 10),
      court('川0109', 20, 10),
    ];
    const plan = planRebalance([roomy[0]!], [kase('P', '2024-01-01', '510106'), kase('Q', '2024-01-02', null, '510107')], roomy, 2);
    expect(plan.moves.map((m) => [m.caseNumber, m.to])).toEqual([
      ['P', '川0106'],
      ['Q', '川0107'],
    ]);
    expect(plan.moves[0]!.why).toContain('main property lies in its area');
  });

  it('never sends a case out of its prefecture where neither its property nor a party lies', () => {
    const plan = planRebalance([courts[0]!], [kase('A', '2024-01-01')], [courts[0]!, court('川0301', 0, 10), court('川0105', 9, 10)], 5);
    expect(plan.moves.map((m) => m.to)).toEqual(['川0105']);
  });

  it('stops once the sender is down to the median, and at maxCases', () => {
    const from = court('川0104', 12, 10);
    const many = Array.from({ length: 10 }, (_, i) => kase(`K${i}`, `2024-01-${String(i + 1).padStart(2, '0')}`));
    const wide = [from, court('川0105', 0, 10), court('川0106', 10, 10), court('川0107', 10, 10)];
    expect(planRebalance([from], many, wide, 10).moves).toHaveLength(2);
    expect(planRebalance([from], many, wide, 1).moves).toHaveLength(1);
  });

  it('proposes nothing for a court not above the median', () => {
    const plan = planRebalance([courts[1]!], [kase('A', '2024-01-01')], courts, 5);
    expect(plan.overloaded).toBe(false);
    expect(plan.moves).toEqual([]);
  });

  it('names the lowest court above both as the deciding court', () => {
    expect(lowestCommonSuperior(['川0104', '川0107'])).toBe('川01');
    expect(lowestCommonSuperior(['川0104', '川0302'])).toBe('川');
    expect(lowestCommonSuperior(['川7101', '川7102'])).toBe('川71');
  });
});

/** Issue #14 item 13: one plan over several overloaded courts, never filling the same small court past the median. */
describe('planRebalance over several overloaded courts (issue 14 item 13)', () => {
  // 川01: four overloaded courts (3.0, 2.8, 2.6, 2.4 per officer), one small court with room (0.2), five at the
  // median (1.0). Loads sorted: 0.2, 1, 1, 1, 1, 1, 2.4, 2.6, 2.8, 3.0 — median 1.0.
  const four = [court('川0104', 30, 10), court('川0105', 28, 10), court('川0106', 26, 10), court('川0107', 24, 10)];
  const province = [...four, court('川0108', 2, 10), ...['川0112', '川0113', '川0114', '川0115', '川0116'].map((c) => court(c, 10, 10))];
  const casesOf = (from: CourtFact) =>
    Array.from({ length: 12 }, (_, i) =>
      kase(`${from.code}-${String(i).padStart(2, '0')}`, `2024-01-${String(i + 1).padStart(2, '0')}`, null, null, from.code),
    );
  const all = four.flatMap(casesOf);

  it('never pushes a receiving court above the median after all its moves, where four separate plans would', () => {
    const separate = four.map((f) => planRebalance([f], casesOf(f), province, 50));
    const separatelyTo0108 = separate.flatMap((p) => p.moves).filter((m) => m.to === '川0108').length;
    // The bug: each single-court plan fills 川0108 on its own; applied together it would end far above the median.
    expect((2 + separatelyTo0108) / 10).toBeGreaterThan(1);

    const plan = planRebalance(four, all, province, 50);
    expect(plan.provincialMedian).toBe(1);
    expect(plan.overloaded).toBe(true);
    const received = new Map<string, number>();
    for (const m of plan.moves) received.set(m.to, (received.get(m.to) ?? 0) + 1);
    expect([...received]).toEqual([['川0108', 8]]);
    for (const c of province) {
      const after = c.openCaseCount + (received.get(c.code) ?? 0) - plan.moves.filter((m) => m.from === c.code).length;
      if (received.has(c.code)) expect(after / c.enforcementStaffCount).toBeLessThanOrEqual(plan.provincialMedian);
    }
    const receiving = plan.courts.filter((c) => c.role === 'RECEIVING');
    expect(receiving).toMatchObject([{ code: '川0108', openCasesBefore: 2, openCasesAfter: 10, loadAfter: 1 }]);
    expect(plan.courts.filter((c) => c.role === 'SENDING').map((c) => c.code)).toEqual(['川0104', '川0105', '川0106', '川0107']);
    expect(plan.explanation).toContain('ends at or below the median');
  });

  it('water-fills: the most loaded court gives first, and the result does not depend on input order', () => {
    const plan = planRebalance(four, all, province, 50);
    // 3.0 → 2.8 (two cases), then 川0104 and 川0105 alternate at 2.8, 2.7, …: the room (8 cases) goes to the two heaviest.
    expect(plan.moves.map((m) => m.from)).toEqual(['川0104', '川0104', '川0104', '川0105', '川0104', '川0105', '川0104', '川0105']);
    expect(plan.courts.find((c) => c.code === '川0104')!.loadAfter).toBe(2.5);
    expect(plan.courts.find((c) => c.code === '川0105')!.loadAfter).toBe(2.5);
    expect(plan.courts.find((c) => c.code === '川0107')!.openCasesAfter).toBe(24);
    // Each court's oldest cases first.
    expect(plan.moves.filter((m) => m.from === '川0104').map((m) => m.caseNumber)).toEqual([
      '川0104-00',
      '川0104-01',
      '川0104-02',
      '川0104-03',
      '川0104-04',
    ]);
    const shuffled = planRebalance([...four].reverse(), [...all].reverse(), [...province].reverse(), 50);
    expect(shuffled.moves).toEqual(plan.moves);
    expect(shuffled.decisions).toEqual(plan.decisions);
  });

  it('groups the moves into one decision per receiving court, decided by the lowest court above both', () => {
    const plan = planRebalance(four, all, province, 50);
    expect(plan.decisions).toHaveLength(1);
    expect(plan.decisions[0]).toMatchObject({ mode: 'DIRECTED', decidingCourt: '川01', receivingCourt: '川0108', reasons: ['CAPACITY'] });
    expect(plan.decisions[0]!.caseNumbers).toEqual(plan.moves.map((m) => m.caseNumber));
    expect(plan.decisions[0]!.note).toContain('川0108 ends at 1.00 after the whole plan');
  });

  it('counts maxCases over the whole plan', () => {
    expect(planRebalance(four, all, province, 3).moves).toHaveLength(3);
  });

  it('moves only implementation cases (执, 执恢): never review-type cases, preservation, nor criminal restitution', () => {
    const from = court('川0104', 30, 10);
    const room = [from, court('川0105', 2, 10), court('川0106', 10, 10), court('川0107', 10, 10)];
    const mixed = [
      kase('异', '2024-01-01', null, null, '川0104', '执异'),
      kase('复', '2024-01-02', null, null, '川0104', '执复'),
      kase('监', '2024-01-03', null, null, '川0104', '执监'),
      kase('协', '2024-01-04', null, null, '川0104', '执协'),
      kase('保', '2024-01-05', null, null, '川0104', '执保'),
      kase('刑', '2024-01-06', null, null, '川0104', '执', 'CRIMINAL_RESTITUTION'),
      kase('恢', '2024-01-07', null, null, '川0104', '执恢'),
      kase('执', '2024-01-08', null, null, '川0104', '执', 'NOTARIZED_DEBT'),
    ];
    const plan = planRebalance([from], mixed, room, 10);
    expect(plan.moves.map((m) => m.caseNumber)).toEqual(['恢', '执']);
    expect(plan.courts[0]!.explanation).toContain('6 case(s) stay: not implementation cases');
    expect(isMovableCase({ typeCode: '执恢', category: 'CIVIL' })).toBe(true);
    expect(isMovableCase({ typeCode: '执', category: 'CRIMINAL_RESTITUTION' })).toBe(false);
    expect(isMovableCase({ typeCode: '执监', category: 'CIVIL' })).toBe(false);
  });

  it("reads 'where the parties are' as the debtor's domicile: a prefecture-mate of the debtor is no party court", () => {
    const from = court('川0104', 30, 10);
    const room = [
      from,
      court('川0105', 2, 10),
      court('川0107', 2, 10),
      court('川0302', 1, 10),
      ...['川0106', '川0112', '川0113'].map((c) => court(c, 10, 10)),
    ];
    const plan = planRebalance([from], [kase('D', '2024-01-01', null, '510107'), kase('Z', '2024-01-02', null, '510302')], room, 2);
    expect(plan.moves.map((m) => [m.caseNumber, m.to])).toEqual([
      ['D', '川0107'],
      ['Z', '川0302'],
    ]);
    expect(plan.moves[0]!.factors.find((f) => f.name === 'parties')).toMatchObject({ value: 1 });
    expect(plan.moves[0]!.why).toContain('a debtor is domiciled there');
    // Without the debtor's domicile the case may not leave its prefecture; with it, it goes where the debtor lives.
    const alone = planRebalance(
      [from],
      [kase('Z', '2024-01-02', null, '510107')],
      [from, court('川0302', 1, 10), court('川0106', 10, 10)],
      1,
    );
    expect(alone.moves).toEqual([]);
    // Another court of the debtor's prefecture scores nothing for parties.
    const mate = planRebalance(
      [from],
      [kase('D', '2024-01-01', null, '510107')],
      [from, court('川0105', 2, 10), court('川0106', 10, 10)],
      1,
    );
    expect(mate.moves[0]!.factors.find((f) => f.name === 'parties')).toMatchObject({ value: 0 });
  });

  it('scores staff as spare capacity (staff × median − open cases), not headcount', () => {
    const from = court('川0104', 30, 10);
    // 川0105: 20 officers but full after one case (20/20); 川0106: 5 officers, 1 case. Median 1.0.
    const big = court('川0105', 19, 20);
    const small = court('川0106', 1, 5);
    const room = [from, big, small, court('川0107', 10, 10), court('川0108', 10, 10)];
    const plan = planRebalance([from], [kase('A', '2024-01-01')], room, 1);
    expect(plan.provincialMedian).toBe(1);
    expect(plan.moves[0]!.to).toBe('川0106');
    const staff = plan.moves[0]!.factors.find((f) => f.name === 'staff')!;
    // Room after the move: 5 × 1 − 2 = 3, against the largest room among the candidates (川0106's own 4).
    expect(staff.value).toBe(0.75);
    expect(staff.detail).toContain('room for 3 more case(s)');
    const onlyBig = planRebalance(
      [from],
      [kase('A', '2024-01-01')],
      [from, big, court('川0107', 10, 10), court('川0108', 10, 10), court('川0106', 10, 10)],
      1,
    );
    expect(onlyBig.moves[0]!.to).toBe('川0105');
    expect(onlyBig.moves[0]!.factors.find((f) => f.name === 'staff')!.value).toBe(0);
  });
});
