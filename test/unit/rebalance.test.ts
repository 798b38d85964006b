import { describe, expect, it } from 'vitest';
import type { CourtFact } from '../../domain/rules/facts';
import { lowestCommonSuperior, planRebalance, type RebalanceCase } from '../../domain/rules/rebalance';

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
  partyDivision: string | null = null,
): RebalanceCase => ({
  number,
  filedAt,
  partyDivisions: [partyDivision],
  properties: propertyDivision ? [{ divisionCode: propertyDivision, value: 100 }] : [],
});

describe('planRebalance', () => {
  it('only uses courts that stay at or under the median after the move', () => {
    const plan = planRebalance(
      courts[0]!,
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

  it('prefers the court where the main property lies, then where the parties are', () => {
    const roomy = [
      court('川0104', 30, 10),
      court('川0105', 2, 10),
      court('川0106', 2, 10),
      court('川0107', 2, 10),
      court('川0108', 20, 10),
      court('川0109', 20, 10),
    ];
    const plan = planRebalance(roomy[0]!, [kase('P', '2024-01-01', '510106'), kase('Q', '2024-01-02', null, '510107')], roomy, 2);
    expect(plan.moves.map((m) => [m.caseNumber, m.to])).toEqual([
      ['P', '川0106'],
      ['Q', '川0107'],
    ]);
    expect(plan.moves[0]!.why).toContain('main property lies in its area');
  });

  it('never sends a case out of its prefecture where neither its property nor a party lies', () => {
    const plan = planRebalance(courts[0]!, [kase('A', '2024-01-01')], [courts[0]!, court('川0301', 0, 10), court('川0105', 9, 10)], 5);
    expect(plan.moves.map((m) => m.to)).toEqual(['川0105']);
  });

  it('stops once the sender is down to the median, and at maxCases', () => {
    const from = court('川0104', 12, 10);
    const many = Array.from({ length: 10 }, (_, i) => kase(`K${i}`, `2024-01-${String(i + 1).padStart(2, '0')}`));
    const wide = [from, court('川0105', 0, 10), court('川0106', 10, 10), court('川0107', 10, 10)];
    expect(planRebalance(from, many, wide, 10).moves).toHaveLength(2);
    expect(planRebalance(from, many, wide, 1).moves).toHaveLength(1);
  });

  it('proposes nothing for a court not above the median', () => {
    const plan = planRebalance(courts[1]!, [kase('A', '2024-01-01')], courts, 5);
    expect(plan.overloaded).toBe(false);
    expect(plan.moves).toEqual([]);
  });

  it('names the lowest court above both as the deciding court', () => {
    expect(lowestCommonSuperior('川0104', '川0107')).toBe('川01');
    expect(lowestCommonSuperior('川0104', '川0301')).toBe('川');
    expect(lowestCommonSuperior('川7101', '川7102')).toBe('川71');
  });
});
