import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../domain/dates';
import { measureStatus } from '../../domain/measures';
import { fenToYuan } from '../../domain/money';
import { RULES_CONFIG } from '../../domain/rules/config';
import { databaseFile } from '../../lib/dataFiles';
import type { RunningGraph } from '../../scripts/graph';
import { copyTestProvince, openRaw, postGraphQL, startTestGraph, testToday } from '../support/graph';

/** Issue #3 items 5-6: transfer records, compliance reports and statistics, checked against the records. */
let graph: RunningGraph;
beforeAll(async () => {
  // Compliance reports walk every transfer's cases and their lineage measures: far over the default cost limit.
  graph = await startTestGraph({}, { MAX_COST: 1_000_000 });
});
afterAll(() => graph.close());

const registry = openRaw('case-registry');
const property = openRaw('property-control');
const personnel = openRaw('personnel');
afterAll(() => [registry, property, personnel].forEach((db) => db.close()));

async function query<T>(q: string, variables?: Record<string, unknown>): Promise<T> {
  const { body } = await postGraphQL<T>(graph.gateway.url, q, variables);
  expect(body.errors).toBeUndefined();
  return body.data!;
}

interface Page {
  transfers: {
    nodes: { id: string; decidedAt: string; supervisor: { id: string } | null }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

describe('transfer decisions', () => {
  it('pages through every decision newest first, without gaps or repeats', async () => {
    const total = (registry.prepare('select count(*) n from transfers').get() as { n: number }).n;
    expect(total).toBeGreaterThan(20);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page++) {
      const data: Page = await query<Page>(
        `query ($after: String) { transfers(first: 7, after: $after) { nodes { id decidedAt } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      seen.push(...data.transfers.nodes.map((n) => n.id));
      if (!data.transfers.pageInfo.hasNextPage) break;
      after = data.transfers.pageInfo.endCursor;
    }
    const expected = (registry.prepare('select id from transfers order by decided_at desc, id desc').all() as { id: string }[]).map(
      (r) => r.id,
    );
    expect(seen).toEqual(expected);
  });

  it('links a moved case to its continuation by lineage, and the measures follow the lineage', async () => {
    // A moved case whose lineage carries control measures, so continuity has something to show.
    const moved = registry.prepare('select from_case, to_case from transfer_cases where to_case is not null order by from_case').all() as {
      from_case: string;
      to_case: string;
    }[];
    const countMeasures = property.prepare('select count(*) n from measures where case_number in (?, ?)');
    const row = moved.find((m) => (countMeasures.get(m.from_case, m.to_case) as { n: number }).n > 0)!;
    expect(row).toBeDefined();
    const data = await query<{
      case: {
        number: string;
        status: string;
        closure: string;
        transferredTo: { number: string; transferredFrom: { number: string }; lineageNumbers: string[]; measures: { id: string }[] };
      };
    }>(
      `query ($n: String!) { case(number: $n) { number status closure transferredTo { number transferredFrom { number } lineageNumbers measures { id } } } }`,
      { n: row.from_case },
    );
    expect(data.case).toMatchObject({
      status: 'CLOSED',
      closure: 'TERMINATED',
      transferredTo: { number: row.to_case, transferredFrom: { number: row.from_case } },
    });
    expect(data.case.transferredTo.lineageNumbers).toContain(row.from_case);
    const measures = (
      property.prepare('select id from measures where case_number in (?, ?) order by id').all(row.from_case, row.to_case) as {
        id: string;
      }[]
    ).map((m) => m.id);
    expect(measures.length).toBeGreaterThan(0);
    expect(data.case.transferredTo.measures.map((m) => m.id).sort()).toEqual(measures);
  });

  it('lists decisions whose supervision has no owner', async () => {
    const expected = (
      registry.prepare('select id from transfers where supervisor_id is null order by decided_at desc, id desc').all() as { id: string }[]
    ).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(0);
    const data = await query<Page>(
      `{ transfers(unsupervised: true, first: 100) { nodes { id supervisor { id } } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(data.transfers.nodes.map((n) => n.id)).toEqual(expected.slice(0, 100));
    expect(data.transfers.nodes.every((n) => n.supervisor === null)).toBe(true);
  });

  it('refuses a cursor it did not issue, and a reversed date range', async () => {
    const bad = await postGraphQL(graph.gateway.url, `{ transfers(after: "nonsense") { nodes { id } } }`);
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after', rule: 'CURSOR_FORMAT' });
    const reversed = await postGraphQL(graph.gateway.url, `{ transferStatistics(from: "2026-01-01", to: "2025-01-01") { id } }`);
    expect(reversed.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to', rule: 'DATE_RANGE' });
  });
});

describe('transferStatistics', () => {
  type ModeFigures = {
    mode: string;
    decisions: number;
    casesTransferred: number;
    casesWithSubstantiveProgress: number;
    casesWithMoneyRecovered: number;
    casesWithPropertyDisposed: number;
    casesSettled: number;
    casesClosedFullyExecuted: number;
    moneyRecoveredAfterTransfer: string;
  };
  const FIGURES =
    'mode decisions casesTransferred casesWithSubstantiveProgress casesWithMoneyRecovered casesWithPropertyDisposed casesSettled casesClosedFullyExecuted moneyRecoveredAfterTransfer';

  it('equals a brute-force count per mode over the registry and property-control records', async () => {
    const from = '2019-01-01';
    const to = testToday();
    const data = await query<{ transferStatistics: { id: string; cases: { id: string }[]; byMode: ModeFigures[] } }>(
      `query ($from: Date!, $to: Date!) { transferStatistics(from: $from, to: $to) { id cases { id } byMode { ${FIGURES} } } }`,
      { from, to },
    );
    // The carrying-on case is the newest case of the decided case's lineage.
    const rows = registry
      .prepare(
        `select t.id, t.mode, t.decided_at, tc.from_case, tc.recovered_before, f.lineage_root
         from transfer_cases tc join transfers t on t.id = tc.transfer_id join cases f on f.number = tc.from_case
         where t.decided_at between ? and ?`,
      )
      .all(from, to) as {
      id: string;
      mode: string;
      decided_at: string;
      from_case: string;
      recovered_before: number;
      lineage_root: string;
    }[];
    const lineage = registry.prepare(
      'select number, amount_recovered, closure, closed_at, settled_at from cases where lineage_root = ? order by filed_at, number',
    );
    const disposals = property.prepare(
      `select min(d.occurred_at) at from measures m join disposal_steps d on d.property_id = m.property_id
       where m.case_number in (select value from json_each(?)) and d.outcome = 'DONE' and d.step != 'REFERENCE_PRICE' and d.occurred_at >= ?`,
    );
    const judged = rows.map((r) => {
      const cases = lineage.all(r.lineage_root) as {
        number: string;
        amount_recovered: number;
        closure: string | null;
        closed_at: string | null;
        settled_at: string | null;
      }[];
      const head = cases[cases.length - 1]!;
      const recovered = Math.max(0, head.amount_recovered - r.recovered_before);
      const disposedAt = (disposals.get(JSON.stringify(cases.map((c) => c.number)), r.decided_at) as { at: string | null }).at;
      return {
        ...r,
        recovered,
        money: recovered > 0,
        disposed: disposedAt !== null,
        settled: head.settled_at !== null && head.settled_at >= r.decided_at,
        closed: head.closure === 'FULLY_EXECUTED' && head.closed_at !== null && head.closed_at >= r.decided_at,
      };
    });
    expect(data.transferStatistics.id).toBe(`${from}..${to}`);
    expect(data.transferStatistics.cases).toHaveLength(rows.length);
    const count = (list: typeof judged, test: (j: (typeof judged)[number]) => boolean) => list.filter(test).length;
    for (const s of data.transferStatistics.byMode) {
      const ofMode = judged.filter((r) => r.mode === s.mode);
      expect(s).toEqual({
        mode: s.mode,
        decisions: new Set(ofMode.map((r) => r.id)).size,
        casesTransferred: ofMode.length,
        casesWithSubstantiveProgress: count(ofMode, (j) => j.money || j.disposed || j.settled || j.closed),
        casesWithMoneyRecovered: count(ofMode, (j) => j.money),
        casesWithPropertyDisposed: count(ofMode, (j) => j.disposed),
        casesSettled: count(ofMode, (j) => j.settled),
        casesClosedFullyExecuted: count(ofMode, (j) => j.closed),
        moneyRecoveredAfterTransfer: fenToYuan(ofMode.reduce((n, r) => n + r.recovered, 0)),
      });
    }
    expect(data.transferStatistics.byMode.map((s) => s.mode)).toEqual([
      'DEADLINE_ORDER',
      'DIRECTED',
      'ELEVATED',
      'CENTRALIZED',
      'COLLABORATIVE',
    ]);
    expect(data.transferStatistics.byMode.every((s) => s.casesTransferred > 0)).toBe(true);
    // Every kind of progress occurs in the generated province, so each term of the definition is exercised.
    for (const kind of ['money', 'disposed', 'settled', 'closed'] as const) expect(count(judged, (j) => j[kind])).toBeGreaterThan(0);
  });

  it("shows each transferred case's progress kinds", async () => {
    const data = await query<{
      transferStatistics: {
        cases: {
          id: string;
          carriedOn: { number: string };
          propertyDisposedAt: string | null;
          progress: string[];
          substantiveProgress: boolean;
        }[];
      };
    }>(
      `{ transferStatistics(from: "2019-01-01", to: "${testToday()}") { cases { id carriedOn { number } propertyDisposedAt progress substantiveProgress } } }`,
    );
    const cases = data.transferStatistics.cases;
    expect(cases.some((c) => c.progress.includes('PROPERTY_DISPOSED') && c.propertyDisposedAt !== null)).toBe(true);
    for (const c of cases) expect(c.substantiveProgress).toBe(c.progress.length > 0);
  });
});

describe('compliance reports', () => {
  it("reports each court's leader share of received transfers against the 50% rule", async () => {
    const data = await query<{
      courts: {
        code: string;
        transferHandling: {
          transferredCases: number;
          handledByLeaders: number;
          share: number | null;
          meetsRule: boolean;
          casesNotHandledByLeaders: { number: string }[];
        };
      }[];
    }>(`{ courts { code transferHandling { transferredCases handledByLeaders share meetsRule casesNotHandledByLeaders { number } } } }`);
    const leader = new Set(
      (
        personnel
          .prepare(
            `select id from officers where post in ('PRESIDENT','VICE_PRESIDENT','BUREAU_CHIEF','DEPUTY_BUREAU_CHIEF','TRIBUNAL_CHIEF','DEPUTY_TRIBUNAL_CHIEF')`,
          )
          .all() as { id: string }[]
      ).map((r) => r.id),
    );
    let failing = 0;
    for (const c of data.courts) {
      const received = registry
        .prepare('select number, handler_id from cases where court_code = ? and transferred_from is not null')
        .all(c.code) as { number: string; handler_id: string | null }[];
      const byLeaders = received.filter((r) => r.handler_id !== null && leader.has(r.handler_id)).length;
      expect(c.transferHandling.transferredCases).toBe(received.length);
      expect(c.transferHandling.handledByLeaders).toBe(byLeaders);
      expect(c.transferHandling.meetsRule).toBe(
        received.length === 0 || byLeaders / received.length >= RULES_CONFIG.leaderHandling.minShare,
      );
      expect(c.transferHandling.casesNotHandledByLeaders.length).toBe(received.length - byLeaders);
      if (!c.transferHandling.meetsRule) failing++;
    }
    expect(data.courts.filter((c) => c.transferHandling.transferredCases > 0).length).toBeGreaterThan(5);
    expect(failing).toBeGreaterThan(0);
  });

  it('lists properties overdue for disposal without a recorded reason, longest idle first, across pages', async () => {
    const cutoff = addMonths(testToday(), -RULES_CONFIG.disposalDeadlineMonths);
    const isHeld = (id: string) =>
      (
        property.prepare('select released_at, waiting, expires_at from measures where property_id = ?').all(id) as {
          released_at: string | null;
          waiting: number;
          expires_at: string | null;
        }[]
      ).some((m) =>
        ['IN_EFFECT', 'WAITING'].includes(
          measureStatus({ releasedAt: m.released_at, waiting: m.waiting === 1, expiresAt: m.expires_at }, testToday()),
        ),
      );
    const expected = (
      property
        .prepare(
          `select id from properties where undisposed_since <= ? and disposal_hold_reason is null and prefecture = '川01' order by undisposed_since, id`,
        )
        .all(cutoff) as { id: string }[]
    )
      .map((r) => r.id)
      .filter(isHeld);
    expect(expected.length).toBeGreaterThan(10);
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 100; i++) {
      const data: {
        overdueDisposals: {
          nodes: { id: string; disposalHoldReason: string | null }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      } = await query(
        `query ($after: String) { overdueDisposals(prefecture: "成都市", first: 50, after: $after) { nodes { id disposalHoldReason } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      seen.push(...data.overdueDisposals.nodes.map((n) => n.id));
      expect(data.overdueDisposals.nodes.every((n) => n.disposalHoldReason === null)).toBe(true);
      if (!data.overdueDisposals.pageInfo.hasNextPage) break;
      after = data.overdueDisposals.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    const held = property
      .prepare(`select count(*) n from properties where undisposed_since <= ? and disposal_hold_reason is not null`)
      .get(cutoff) as { n: number };
    expect(held.n).toBeGreaterThan(0);
  });

  it('flags the measures on transferred cases that lapse within the window unless renewed', async () => {
    const today = testToday();
    const limit = addDays(today, RULES_CONFIG.expiryWindowDays);
    // On a copy of the province, one transferred case's lineage gets a seal in effect that lapses inside the window, so
    // the check below is never vacuous whatever the generator drew (the copy's own graph answers).
    const dir = copyTestProvince();
    const copy = new Database(databaseFile(dir, 'property-control'));
    const registryCopy = new Database(databaseFile(dir, 'case-registry'), { readonly: true });
    const moved = registryCopy
      .prepare(
        `select f.number, f.court_code court, p.person_id owner, p.name from transfer_cases tc join cases f on f.number = tc.from_case
           join case_parties p on p.case_number = f.number and p.role = 'DEBTOR' and p.position = 0 order by f.number limit 1`,
      )
      .get() as { number: string; court: string; owner: string | null; name: string };
    registryCopy.close();
    const expires = addDays(today, 12);
    const imposed = addMonths(expires, -36);
    copy
      .prepare(
        `insert into properties (id, kind, description, owner_id, owner_name, division_code, prefecture, out_of_province, estimated_value,
           disposal_stage, undisposed_since, disposal_hold_reason) values ('PLAPSE1', 'REAL_ESTATE', 'renewal test property', ?, ?, null, null, 0, 100000000, 'NONE', ?, null)`,
      )
      .run(moved.owner, moved.name, imposed);
    copy
      .prepare(
        `insert into measures (id, property_id, kind, court_code, case_number, imposed_at, period_starts_at, expires_at, waiting, queue_position,
           renewals, released_at) values ('MLAPSE1', 'PLAPSE1', 'SEAL', ?, ?, ?, ?, ?, 0, 1, 0, null)`,
      )
      .run(moved.court, moved.number, imposed, imposed, expires);
    const copyGraph = await startTestGraph({}, { MAX_COST: 1_000_000, dataDir: dir });
    try {
      const property = copy;
      const { body } = await postGraphQL<{
        transfers: {
          nodes: {
            cases: {
              from: { number: string; lineageNumbers: string[]; measuresToRenew: { id: string; expiresAt: string; status: string }[] };
            }[];
          }[];
        };
      }>(
        copyGraph.gateway.url,
        `{ transfers(first: 100) { nodes { cases { from { number lineageNumbers measuresToRenew { id expiresAt status } } } } } }`,
      );
      expect(body.errors).toBeUndefined();
      const data = body.data!;
      let flagged = 0;
      for (const t of data.transfers.nodes) {
        for (const c of t.cases) {
          const placeholders = c.from.lineageNumbers.map(() => '?').join(',');
          const expected = (
            property
              .prepare(
                `select id from measures where case_number in (${placeholders}) and released_at is null and waiting = 0 and expires_at between ? and ? order by id`,
              )
              .all(...c.from.lineageNumbers, today, limit) as { id: string }[]
          ).map((r) => r.id);
          expect(c.from.measuresToRenew.map((m) => m.id).sort()).toEqual(expected);
          for (const m of c.from.measuresToRenew) expect(m.status).toBe('IN_EFFECT');
          flagged += expected.length;
        }
      }
      expect(data.transfers.nodes.length).toBe(
        Math.min(100, (registry.prepare('select count(*) n from transfers').get() as { n: number }).n),
      );
      // The seal built above is among them, so the check is not vacuous.
      expect(flagged).toBeGreaterThan(0);
      expect(data.transfers.nodes.some((t) => t.cases.some((c) => c.from.measuresToRenew.some((m) => m.id === 'MLAPSE1')))).toBe(true);
    } finally {
      await copyGraph.close();
      copy.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('review regressions', () => {
  it('keeps the decision on both ends of a moved case when both are asked for in one request', async () => {
    const data = await query<{
      transfers: {
        nodes: { id: string; cases: { from: { transfers: { id: string }[] }; to: { transfers: { id: string }[] } | null }[] }[];
      };
    }>(`{ transfers(first: 100) { nodes { id cases { from { transfers { id } } to { transfers { id } } } } } }`);
    let moved = 0;
    for (const t of data.transfers.nodes) {
      for (const c of t.cases) {
        expect(c.from.transfers.map((x) => x.id)).toContain(t.id);
        if (c.to) {
          moved++;
          expect(c.to.transfers.map((x) => x.id)).toContain(t.id);
        }
      }
    }
    expect(moved).toBeGreaterThan(0);
  });

  it('counts each transferred case in the statistics of exactly one prefecture: the one it was sent from', async () => {
    const period = { from: '2019-01-01', to: testToday() };
    const total = await query<{ transferStatistics: { byMode: { casesTransferred: number }[] } }>(
      `query ($from: Date!, $to: Date!) { transferStatistics(from: $from, to: $to) { byMode { casesTransferred } } }`,
      period,
    );
    const prefectures = (
      registry.prepare(`select distinct prefecture p from courts where prefecture is not null`).all() as { p: string }[]
    ).map((r) => r.p);
    let sum = 0;
    for (const prefecture of prefectures) {
      const per = await query<{ transferStatistics: { byMode: { casesTransferred: number }[] } }>(
        `query ($from: Date!, $to: Date!, $p: String) { transferStatistics(from: $from, to: $to, prefecture: $p) { byMode { casesTransferred } } }`,
        { ...period, p: prefecture },
      );
      sum += per.transferStatistics.byMode.reduce((n, s) => n + s.casesTransferred, 0);
    }
    const all = total.transferStatistics.byMode.reduce((n, s) => n + s.casesTransferred, 0);
    const fromSpecialOrHigh = (
      registry
        .prepare(
          `select count(*) n from transfer_cases tc join cases c on c.number = tc.from_case join courts k on k.code = c.court_code where k.prefecture is null`,
        )
        .get() as { n: number }
    ).n;
    expect(sum).toBe(all - fromSpecialOrHigh);
  });
});
