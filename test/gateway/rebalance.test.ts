import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGraph } from '../../scripts/graph';
import { copyTestProvince, openRaw, postGraphQL, startGraphOn, startTestGraph } from '../support/graph';

/** Issue #4 item 5: load rebalancing (调案), proposed over live loads and applied as one decideTransfers batch. */

interface Court {
  code: string;
  level: string;
  prefecture: string | null;
  openCaseCount: number;
  enforcementStaffCount: number;
}
interface Plan {
  rebalancePlan: {
    openCases: { number: string; category: string }[];
    proposal: {
      provincialMedian: number;
      loadBefore: number;
      loadAfter: number;
      overloaded: boolean;
      explanation: string;
      moves: {
        case: { number: string; category: string };
        to: { code: string; level: string; prefecture: string | null };
        score: number;
        why: string;
        factors: { name: string; weight: number; value: number }[];
      }[];
      decisions: {
        mode: string;
        decidingCourt: { code: string };
        receivingCourt: { code: string };
        caseNumbers: string[];
        reasons: string[];
        note: string;
      }[];
    };
  };
}

const PLAN = `query ($c: String!, $t: String, $n: Int) { rebalancePlan(fromCourt: $c, caseType: $t, maxCases: $n) {
  openCases { number category }
  proposal { provincialMedian loadBefore loadAfter overloaded explanation
    moves { case { number category } to { code level prefecture } score why factors { name weight value } }
    decisions { mode decidingCourt { code } receivingCourt { code } caseNumbers reasons note } } } }`;
const COURTS = `{ courts { code level prefecture openCaseCount enforcementStaffCount } }`;

const perOfficer = (c: Court) => c.openCaseCount / Math.max(1, c.enforcementStaffCount);
function median(courts: Court[]): number {
  const loads = courts
    .filter((c) => c.openCaseCount > 0)
    .map(perOfficer)
    .sort((a, b) => a - b);
  const mid = loads.length >> 1;
  return loads.length % 2 ? loads[mid]! : (loads[mid - 1]! + loads[mid]!) / 2;
}

async function query<T>(url: string, q: string, variables?: Record<string, unknown>): Promise<T> {
  const { body } = await postGraphQL<T>(url, q, variables);
  expect(body.errors).toBeUndefined();
  return body.data!;
}

describe('rebalancePlan (read-only, shared province)', () => {
  let graph: RunningGraph;
  let courts: Court[];
  beforeAll(async () => {
    graph = await startTestGraph();
    courts = (await query<{ courts: Court[] }>(graph.gateway.url, COURTS)).courts;
  });
  afterAll(() => graph.close());

  const busiestBasic = () => courts.filter((c) => c.level === 'BASIC').sort((a, b) => perOfficer(b) - perOfficer(a))[0]!;

  it('moves the oldest open cases to same-level courts that stay within the median, each with its reasons', async () => {
    const from = busiestBasic();
    const m = median(courts);
    expect(perOfficer(from)).toBeGreaterThan(m);
    const { rebalancePlan: plan } = await query<Plan>(graph.gateway.url, PLAN, { c: from.code, n: 8 });
    const p = plan.proposal;
    expect(p.overloaded).toBe(true);
    expect(p.provincialMedian).toBeCloseTo(m, 3);
    expect(p.moves.length).toBeGreaterThan(0);
    expect(p.moves.length).toBeLessThanOrEqual(8);
    const open = new Set(plan.openCases.map((c) => c.number));
    const planned = new Map<string, number>();
    const registry = openRaw('case-registry');
    for (const move of p.moves) {
      expect(open.has(move.case.number)).toBe(true);
      expect(move.to.level).toBe('BASIC');
      expect(move.to.code).not.toBe(from.code);
      planned.set(move.to.code, (planned.get(move.to.code) ?? 0) + 1);
      const to = courts.find((c) => c.code === move.to.code)!;
      // Never above the provincial median, counting every case the plan sends there.
      expect((to.openCaseCount + planned.get(to.code)!) / to.enforcementStaffCount).toBeLessThanOrEqual(m + 1e-9);
      expect(move.why).toContain(move.to.code);
      expect(move.factors.map((f) => f.name)).toEqual(['mainProperty', 'parties', 'load', 'staff']);
      expect(move.score).toBeCloseTo(
        move.factors.reduce((n, f) => n + f.weight * f.value, 0),
        2,
      );
      // 两便: property or a party in the receiving court's area or prefecture, or a court of the sender's prefecture.
      const link = move.factors.find((f) => f.name === 'mainProperty')!.value + move.factors.find((f) => f.name === 'parties')!.value;
      expect(link > 0 || move.to.prefecture === from.prefecture).toBe(true);
    }
    registry.close();
    // The oldest open cases go first.
    expect(p.moves.map((mv) => mv.case.number)).toEqual(
      plan.openCases.map((c) => c.number).filter((n) => p.moves.some((mv) => mv.case.number === n)),
    );
    expect(p.loadAfter).toBeCloseTo((from.openCaseCount - p.moves.length) / from.enforcementStaffCount, 3);
    // Decisions group the moves by receiving court, each decided by a court above both.
    expect(p.decisions.flatMap((d) => d.caseNumbers).sort()).toEqual(p.moves.map((mv) => mv.case.number).sort());
    for (const d of p.decisions) {
      expect(d.mode).toBe('DIRECTED');
      expect(d.reasons).toEqual(['CAPACITY']);
      const sameCourt = d.receivingCourt.code.slice(0, 3) === from.code.slice(0, 3);
      expect(d.decidingCourt.code).toBe(sameCourt ? from.code.slice(0, 3) : '川');
    }
  });

  it('moves only cases of the category asked for', async () => {
    const from = busiestBasic();
    const { rebalancePlan: plan } = await query<Plan>(graph.gateway.url, PLAN, { c: from.code, t: 'CIVIL', n: 5 });
    expect(plan.openCases.length).toBeGreaterThan(0);
    expect(plan.openCases.every((c) => c.category === 'CIVIL')).toBe(true);
    expect(plan.proposal.moves.every((mv) => mv.case.category === 'CIVIL')).toBe(true);
  });

  it('proposes nothing for a court at or below the median', async () => {
    const m = median(courts);
    const light = courts.find((c) => c.level === 'BASIC' && c.openCaseCount > 0 && perOfficer(c) < m)!;
    const { rebalancePlan: plan } = await query<Plan>(graph.gateway.url, PLAN, { c: light.code, n: 5 });
    expect(plan.proposal.overloaded).toBe(false);
    expect(plan.proposal.moves).toEqual([]);
    expect(plan.proposal.explanation).toContain('not above the provincial median');
  });

  it('refuses bad arguments naming the field and rule', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ c: '川0104', t: 'NOTARISED' }, 'caseType', 'CASE_CATEGORY'],
      [{ c: '川0104', n: 0 }, 'maxCases', 'MAX_CASES_RANGE'],
      [{ c: '川0104', n: 201 }, 'maxCases', 'MAX_CASES_RANGE'],
      [{ c: '渝01' }, 'fromCourt', 'COURT_CODE_PROVINCE'],
    ];
    for (const [variables, field, rule] of cases) {
      const { body } = await postGraphQL(graph.gateway.url, PLAN, variables);
      expect(body.errors?.[0]?.extensions).toMatchObject({ field, rule });
    }
  });
});

describe('applying a rebalance plan (own copy of the province)', () => {
  let dir: string;
  let graph: RunningGraph;
  beforeAll(async () => {
    dir = copyTestProvince();
    graph = await startGraphOn(dir);
  });
  afterAll(async () => {
    await graph.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is one decideTransfers batch: the cases move, the sender drops, no receiver passes the median', async () => {
    const courts = (await query<{ courts: Court[] }>(graph.gateway.url, COURTS)).courts;
    const from = courts.filter((c) => c.level === 'BASIC').sort((a, b) => perOfficer(b) - perOfficer(a))[0]!;
    const { rebalancePlan: plan } = await query<Plan>(graph.gateway.url, PLAN, { c: from.code, n: 6 });
    const decisions = plan.proposal.decisions.map((d) => ({
      mode: d.mode,
      decidingCourt: d.decidingCourt.code,
      receivingCourt: d.receivingCourt.code,
      caseNumbers: d.caseNumbers,
      reasons: d.reasons,
      note: d.note,
      supervisor: 'OF000001',
    }));
    expect(decisions.length).toBeGreaterThan(0);
    const applied = await query<{
      decideTransfers: {
        transfers: { cases: { from: { number: string; status: string }; to: { number: string; executingCourt: { code: string } } }[] }[];
      };
    }>(
      graph.gateway.url,
      `mutation ($i: DecideTransfersInput!) { decideTransfers(input: $i) { transfers { cases { from { number status } to { number executingCourt { code } } } } } }`,
      { i: { decisions, idempotencyKey: 'rebalance-apply-0001' } },
    );
    const moved = applied.decideTransfers.transfers.flatMap((t) => t.cases);
    expect(moved.map((c) => c.from.number).sort()).toEqual(plan.proposal.moves.map((m) => m.case.number).sort());
    for (const c of moved) {
      expect(c.from.status).toBe('CLOSED');
      expect(c.to.executingCourt.code).toBe(plan.proposal.moves.find((m) => m.case.number === c.from.number)!.to.code);
    }
    const after = (await query<{ courts: Court[] }>(graph.gateway.url, COURTS)).courts;
    expect(after.find((c) => c.code === from.code)!.openCaseCount).toBe(from.openCaseCount - moved.length);
    const m = median(courts);
    for (const d of decisions) expect(perOfficer(after.find((c) => c.code === d.receivingCourt)!)).toBeLessThanOrEqual(m + 1e-9);
  });
});
