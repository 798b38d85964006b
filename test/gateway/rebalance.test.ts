import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../../lib/dataFiles';
import { candidatesPerCourt } from '../../subgraphs/case-registry/resolvers/RebalancePlan';
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

/** An officer of the court, who supervises the decisions it makes. */
function officerOf(court: string): string {
  const personnel = openRaw('personnel');
  try {
    return (
      personnel.prepare('select id from officers where court_code = ? and active = 1 order by id limit 1').get(court) as { id: string }
    ).id;
  } finally {
    personnel.close();
  }
}

/**
 * The most loaded basic court whose plan finds room. With real-size rosters (issue 15 item 9) a small province leaves
 * some overloaded courts no receiving court that stays within the median after even one more case, so the tests that
 * need moves take the busiest court that has one to make; every court tried must still be overloaded.
 */
async function busiestWithMoves(url: string, courts: Court[], n: number): Promise<{ from: Court; plan: Plan['rebalancePlan'] }> {
  const m = median(courts);
  const overloaded = courts
    .filter((c) => c.level === 'BASIC' && perOfficer(c) > m)
    .sort((a, b) => perOfficer(b) - perOfficer(a) || (a.code < b.code ? -1 : 1));
  for (const from of overloaded) {
    const { rebalancePlan: plan } = await query<Plan>(url, PLAN, { c: from.code, n });
    expect(plan.proposal.overloaded).toBe(true);
    if (plan.proposal.moves.length > 0) return { from, plan };
  }
  throw new Error(`none of the ${overloaded.length} overloaded basic courts has a move to make`);
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
    const { from, plan } = await busiestWithMoves(graph.gateway.url, courts, 8);
    const m = median(courts);
    expect(perOfficer(from)).toBeGreaterThan(m);
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
    const { from, plan } = await busiestWithMoves(graph.gateway.url, courts, 6);
    const decisions = plan.proposal.decisions.map((d) => ({
      mode: d.mode,
      decidingCourt: d.decidingCourt.code,
      receivingCourt: d.receivingCourt.code,
      caseNumbers: d.caseNumbers,
      reasons: d.reasons,
      note: d.note,
      supervisor: officerOf(d.decidingCourt.code),
    }));
    expect(decisions.length).toBeGreaterThan(0);
    // One decideTransfers batch per deciding court (川01 for a move inside 成都, the high court across), each made by it.
    type Applied = {
      decideTransfers: {
        transfers: { cases: { from: { number: string; status: string }; to: { number: string; executingCourt: { code: string } } }[] }[];
      };
    };
    const batches: Applied['decideTransfers']['transfers'] = [];
    for (const [i, deciding] of [...new Set(decisions.map((d) => d.decidingCourt))].sort().entries()) {
      const { body } = await postGraphQL<Applied>(
        graph.gateway.url,
        `mutation ($i: DecideTransfersInput!) { decideTransfers(input: $i) { transfers { cases { from { number status } to { number executingCourt { code } } } } } }`,
        { i: { decisions: decisions.filter((d) => d.decidingCourt === deciding), idempotencyKey: `rebalance-apply-000${i + 1}` } },
        { as: deciding },
      );
      expect(body.errors).toBeUndefined();
      batches.push(...body.data!.decideTransfers.transfers);
    }
    const applied = { decideTransfers: { transfers: batches } };
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

/**
 * Issue #14 item 13: one province-wide plan over four overloaded 川01 courts. Separate plans would each fill the same
 * courts with room; the one plan counts every move to a receiving court, so once all its decisions are applied every
 * receiving court is at or below the median the plan was made against.
 */
interface ProvincePlan {
  rebalancePlan: {
    fromCourts: { code: string }[];
    openCases: { number: string; type: string; category: string; court: { code: string } }[];
    proposal: Omit<Plan['rebalancePlan']['proposal'], 'moves'> & {
      moves: {
        case: { number: string; type: string; category: string };
        from: { code: string };
        to: { code: string; level: string };
        why: string;
        factors: { name: string; weight: number; value: number; detail: string }[];
      }[];
      courts: { court: { code: string }; role: string; openCasesBefore: number; openCasesAfter: number; loadAfter: number }[];
    };
  };
}

describe('a province-wide rebalancing over four overloaded courts (issue 14 item 13)', () => {
  let dir: string;
  let graph: RunningGraph;
  let before: Court[];
  let planMedian: number;
  const four: string[] = [];
  const kept: string[] = [];

  const PROVINCE_PLAN = `query ($cs: [String!], $n: Int) { rebalancePlan(fromCourts: $cs, maxCases: $n) {
    fromCourts { code }
    openCases { number type category court: executingCourt { code } }
    proposal { provincialMedian loadBefore loadAfter overloaded explanation
      moves { case { number type category } from { code } to { code level } why factors { name weight value detail } }
      decisions { mode decidingCourt { code } receivingCourt { code } caseNumbers reasons note }
      courts { court { code } role openCasesBefore openCasesAfter loadBefore loadAfter explanation } } } }`;

  beforeAll(async () => {
    dir = copyTestProvince();
    const probe = await startGraphOn(dir);
    const courts = (await query<{ courts: Court[] }>(probe.gateway.url, COURTS)).courts;
    await probe.close();
    const m = median(courts);
    // Four 川01 basic courts below twice the median, the four with most staff, pushed to about 2.5 × the median.
    const chengdu = courts
      .filter((c) => c.level === 'BASIC' && c.prefecture === '川01' && c.enforcementStaffCount > 0 && perOfficer(c) < 2 * m)
      .sort((a, b) => b.enforcementStaffCount - a.enforcementStaffCount || (a.code < b.code ? -1 : 1))
      .slice(0, 4);
    expect(chengdu).toHaveLength(4);
    const db = new Database(databaseFile(dir, 'case-registry'));
    const insertCase = db.prepare(
      `insert into cases (number, year, court_code, type_code, sequence, executing_court, status, filed_at, obligation, category,
        amount_due, amount_recovered, lineage_root) values (?, 2019, ?, ?, ?, ?, 'EXECUTING', ?, 'MONEY', ?, 1000000, 0, ?)`,
    );
    const insertParty = db.prepare(
      `insert into case_parties (case_number, role, position, person_id, name, name_key, kind, division_code)
        values (?, ?, 0, null, ?, ?, 'LEGAL_PERSON', ?)`,
    );
    db.transaction(() => {
      for (const c of chengdu) {
        four.push(c.code);
        const add = Math.ceil(2.5 * m * c.enforcementStaffCount) - c.openCaseCount;
        for (let i = 0; i < add; i++) {
          // Every tenth a review-type case, every tenth (offset) a criminal restitution case: they add load but never move.
          const type = i % 10 === 3 ? '执异' : '执';
          const category = i % 10 === 7 ? 'CRIMINAL_RESTITUTION' : 'CIVIL';
          const number = `(2019)${c.code}${type}${90000 + i}号`;
          insertCase.run(
            number,
            c.code,
            type,
            90000 + i,
            c.code,
            `2019-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`,
            category,
            number,
          );
          // The applicant is a Chengdu lender seated in 川0104's area; the debtor lives in the sending court's area.
          insertParty.run(number, 'APPLICANT', '成都某银行', '成都某银行', '510104');
          insertParty.run(number, 'DEBTOR', `调案测试公司${c.code}${i}`, `调案测试公司${c.code}${i}`, `51${c.code.slice(1)}`);
          if (type !== '执' || category !== 'CIVIL') kept.push(number);
        }
      }
    })();
    db.close();
    graph = await startGraphOn(dir);
    before = (await query<{ courts: Court[] }>(graph.gateway.url, COURTS)).courts;
    planMedian = median(before);
  });
  afterAll(async () => {
    await graph.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('plans all four together and, applied whole, leaves every receiving court at or below the median', async () => {
    for (const code of four) expect(perOfficer(before.find((c) => c.code === code)!)).toBeGreaterThan(planMedian);
    const { rebalancePlan: plan } = await query<ProvincePlan>(graph.gateway.url, PROVINCE_PLAN, { cs: four, n: 200 });
    const p = plan.proposal;
    expect(plan.fromCourts.map((c) => c.code)).toEqual(four);
    expect(p.provincialMedian).toBeCloseTo(planMedian, 3);
    expect(p.overloaded).toBe(true);
    expect(p.moves.length).toBeGreaterThan(0);
    // Only implementation cases are offered and moved; none of the review-type or criminal cases inserted.
    expect(
      plan.openCases.every((c) => ['FIRST_EXECUTION', 'RESUMED_EXECUTION'].includes(c.type) && c.category !== 'CRIMINAL_RESTITUTION'),
    ).toBe(true);
    // Each of the four courts offers at most max(200, 10 × 200 ÷ 4) = 500 of its oldest cases, not 10 × 200.
    const offered = new Map<string, number>();
    for (const c of plan.openCases) offered.set(c.court.code, (offered.get(c.court.code) ?? 0) + 1);
    expect(Math.max(...offered.values())).toBeLessThanOrEqual(candidatesPerCourt(four.length, 200));
    expect(candidatesPerCourt(four.length, 200)).toBe(500);
    expect(candidatesPerCourt(30, 200)).toBe(200);
    expect(candidatesPerCourt(1, 20)).toBe(200);
    const movedNumbers = new Set(p.moves.map((m) => m.case.number));
    expect(kept.filter((n) => movedNumbers.has(n))).toEqual([]);
    for (const mv of p.moves) {
      expect(four).toContain(mv.from.code);
      expect(four).not.toContain(mv.to.code);
      expect(mv.to.level).toBe('BASIC');
      // The Chengdu lender's seat is no "party court": the parties factor only counts a debtor living there.
      const parties = mv.factors.find((f) => f.name === 'parties')!;
      expect(parties.detail).toContain('debtor');
      expect(mv.factors.find((f) => f.name === 'staff')!.detail).toContain('capacity');
    }
    expect(new Set(p.moves.map((m) => m.from.code)).size).toBeGreaterThan(1);
    expect(p.courts.filter((c) => c.role === 'SENDING').map((c) => c.court.code)).toEqual(four);

    const personnel = new Database(databaseFile(dir, 'personnel'), { readonly: true });
    const officerOf = personnel.prepare(`select id from officers where court_code = ? and active = 1 order by id limit 1`);
    const decisions = p.decisions.map((d) => ({
      mode: d.mode,
      decidingCourt: d.decidingCourt.code,
      receivingCourt: d.receivingCourt.code,
      caseNumbers: d.caseNumbers,
      reasons: d.reasons,
      note: d.note,
      supervisor: (officerOf.get(d.decidingCourt.code) as { id: string }).id,
    }));
    personnel.close();
    // The lowest court above the sending and the receiving court decides: 川01 inside Chengdu, the high court across.
    for (const d of decisions) expect(d.decidingCourt).toBe(d.receivingCourt.startsWith('川01') ? '川01' : '川');
    // Applied whole: one decideTransfers batch per deciding court, each made by that court.
    const appliedNumbers: string[] = [];
    for (const [i, deciding] of [...new Set(decisions.map((d) => d.decidingCourt))].sort().entries()) {
      const { body } = await postGraphQL<{ decideTransfers: { transfers: { cases: { from: { number: string } }[] }[] } }>(
        graph.gateway.url,
        `mutation ($i: DecideTransfersInput!) { decideTransfers(input: $i) { transfers { cases { from { number } } } } }`,
        { i: { decisions: decisions.filter((d) => d.decidingCourt === deciding), idempotencyKey: `rebalance-province-000${i + 1}` } },
        { as: deciding },
      );
      expect(body.errors).toBeUndefined();
      appliedNumbers.push(...body.data!.decideTransfers.transfers.flatMap((t) => t.cases.map((c) => c.from.number)));
    }
    expect(appliedNumbers.sort()).toEqual([...movedNumbers].sort());

    const after = (await query<{ courts: Court[] }>(graph.gateway.url, COURTS)).courts;
    const receivers = [...new Set(p.moves.map((m) => m.to.code))];
    for (const code of receivers) {
      const c = after.find((x) => x.code === code)!;
      expect(perOfficer(c)).toBeLessThanOrEqual(planMedian + 1e-9);
      expect(c.openCaseCount).toBe(p.courts.find((x) => x.court.code === code)!.openCasesAfter);
    }
    for (const code of four) {
      const was = before.find((c) => c.code === code)!;
      const moved = p.moves.filter((m) => m.from.code === code).length;
      expect(after.find((c) => c.code === code)!.openCaseCount).toBe(was.openCaseCount - moved);
    }
  });
});
