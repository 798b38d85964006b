import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGraph } from '../../scripts/graph';
import { SUBGRAPHS } from '../../subgraphs/catalogue';
import { copyTestProvince, startGraphOn, testToday, tokenFor } from '../support/graph';
import { freePort, killGroup, ROOT, spawnTsx, waitUntilServing, type Child } from '../support/processes';
import { DEBTOR_WALK } from '../support/operations';

/**
 * Issue 17 item 7: the supergraph on a second Federation 2 engine. Hive Gateway (`npm run start:hive`, gateway/hive/)
 * runs as its own process in front of the same subgraph processes as the product's Apollo gateway, on a private copy of
 * the test province (a decision writes). Each operation goes to both; their `data` must be equal byte for byte. The
 * Hive process records every outbound connection it attempts (test/support/recordOutbound.mjs): only the subgraphs'
 * loopback addresses may appear.
 */
let dir: string;
let graph: RunningGraph;
let hive: Child;
let hiveUrl: string;
let outboundLog: string;

beforeAll(async () => {
  dir = copyTestProvince();
  graph = await startGraphOn(dir);
  const port = await freePort();
  outboundLog = path.join(mkdtempSync(path.join(os.tmpdir(), 'court-graph-hive-')), 'outbound.jsonl');
  const urls = Object.fromEntries(SUBGRAPHS.map((s) => [s.urlSetting, graph.subgraphUrls[s.name]!]));
  hive = spawnTsx(['scripts/hiveGateway.ts'], {
    ...urls,
    DATA_DIR: dir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    OUTBOUND_LOG: outboundLog,
    NODE_OPTIONS: `--import ${path.join(ROOT, 'test', 'support', 'recordOutbound.mjs')}`,
  });
  await waitUntilServing(hive, `http://127.0.0.1:${port}/healthcheck`, 90_000);
  hiveUrl = `http://127.0.0.1:${port}/graphql`;
}, 180_000);

afterAll(async () => {
  await killGroup(hive);
  await graph?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (outboundLog) rmSync(path.dirname(outboundLog), { recursive: true, force: true });
});

interface Answer {
  status: number;
  text: string;
  json: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(url: string, query: string, variables: Record<string, unknown> = {}, as = '川'): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(as)}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as Answer['json'] };
}

/** The operation on the product's gateway, then on Hive Gateway: both succeed and their `data` is the same bytes. */
async function sameData(query: string, variables: Record<string, unknown> = {}, as = '川'): Promise<unknown> {
  const apollo = await post(graph.gateway.url, query, variables, as);
  const hiveAnswer = await post(hiveUrl, query, variables, as);
  expect(apollo.status).toBe(200);
  expect(apollo.json.errors).toBeUndefined();
  expect(hiveAnswer.status, hiveAnswer.text.slice(0, 500)).toBe(200);
  expect(hiveAnswer.json.errors, hiveAnswer.text.slice(0, 500)).toBeUndefined();
  expect(JSON.stringify(hiveAnswer.json.data)).toBe(JSON.stringify(apollo.json.data));
  return apollo.json.data;
}

function widelySeizedDebtor(): string {
  const property = new Database(path.join(dir, 'property-control.db'), { readonly: true });
  try {
    const { id } = property
      .prepare(
        `select p.owner_id id from properties p join measures m on m.property_id = p.id where p.owner_id is not null group by p.owner_id order by count(distinct m.court_code) desc, p.owner_id limit 1`,
      )
      .get() as { id: string };
    return id;
  } finally {
    property.close();
  }
}

describe('the same data from Hive Gateway and the product gateway', () => {
  it('answers the debtor walk (registry, roster, property-control by lineage) identically', async () => {
    const data = (await sameData(DEBTOR_WALK, { id: widelySeizedDebtor() })) as { debtor: { cases: unknown[]; properties: unknown[] } };
    expect(data.debtor.cases.length).toBeGreaterThan(1);
    expect(data.debtor.properties.length).toBeGreaterThan(0);
  });

  it('answers the cross-court figures of the README walk identically', async () => {
    await sameData(
      `query ($id: ID!) { debtor(id: $id) { id crossCourt { unclosedCaseCount courtCount prefectureCount outstandingAmount idlePropertyCount sharedSeizureCount expiringMeasureCount } } }`,
      { id: widelySeizedDebtor() },
    );
  });

  it.each([
    [
      'transfer candidates',
      `{ transferCandidates(first: 20) { assessedOn configVersion nodes { urgency rulesMet recommendedMode explanation debtor { id name }
          summary { unclosedCaseCount courtCount outstandingAmount idlePropertyCount } receivingCourts { court { name } score } }
          pageInfo { hasNextPage endCursor } } }`,
    ],
    [
      'transfers with the measures to renew',
      `{ transfers(first: 20) { nodes { id mode decidedAt decidingCourt { name } measuresToRenew { id expiresAt case { number } court { name } } }
          pageInfo { hasNextPage endCursor } } }`,
    ],
    [
      'transfer statistics by mode',
      `{ transferStatistics(from: "2025-01-01", to: "2026-12-31") { byMode { mode decisions casesTransferred casesWithSubstantiveProgress
          casesWithPropertyDisposed casesSettled moneyRecoveredAfterTransfer } } }`,
    ],
    [
      'overdue disposals',
      `{ overdueDisposals(prefecture: "成都市", first: 20) { nodes { id kind description undisposedSince owner { name } } pageInfo { endCursor } } }`,
    ],
  ])('answers the report of %s identically', async (_what, query) => {
    await sameData(query);
  });

  it('records a decision through Hive Gateway, and both gateways then answer its replay identically', async () => {
    const registry = new Database(path.join(dir, 'case-registry.db'), { readonly: true });
    const personnel = new Database(path.join(dir, 'personnel.db'), { readonly: true });
    let input: Record<string, unknown>;
    try {
      const courts = (
        registry.prepare(`select code from courts where level = 'BASIC' and prefecture = '川01' order by code`).all() as { code: string }[]
      ).map((r) => r.code);
      const movable = registry
        .prepare(
          `select c.number from cases c where c.status = 'EXECUTING' and c.filed_at < ? and c.executing_court = ? and c.type_code = '执'
             and c.category != 'CRIMINAL_RESTITUTION' and not exists (select 1 from cases n where n.transferred_from = c.number)
           order by c.number limit 1`,
        )
        .get(testToday(), courts[0]) as { number: string };
      const supervisor = personnel.prepare(`select id from officers where court_code = '川01' order by id limit 1`).get() as { id: string };
      input = {
        mode: 'DIRECTED',
        caseNumbers: [movable.number],
        receivingCourt: courts[1],
        decidingCourt: '川01',
        supervisor: supervisor.id,
        reasons: ['LONG_UNEXECUTED'],
        note: '经 Hive Gateway 决定',
        idempotencyKey: `hive-${randomUUID()}`,
      };
    } finally {
      registry.close();
      personnel.close();
    }
    const DECIDE = `mutation ($input: DecideTransferInput!) { decideTransfer(input: $input) { replayed transfer { id mode deadline
        decidingCourt { code } receivingCourt { code } supervisor { id }
        cases { from { number status closure } to { number executingCourt { code } lineageNumbers } }
        supervision { owner { id } history { kind note } closed } } } }`;
    const first = await post(hiveUrl, DECIDE, { input }, '川01');
    expect(first.json.errors, first.text.slice(0, 500)).toBeUndefined();
    const decided = (first.json.data as { decideTransfer: { replayed: boolean; transfer: { cases: { to: { number: string } }[] } } })
      .decideTransfer;
    expect(decided.replayed).toBe(false);
    expect(decided.transfer.cases[0]!.to.number).toMatch(/执\d+号$/);
    const replay = (await sameData(DECIDE, { input }, '川01')) as { decideTransfer: { replayed: boolean } };
    expect(replay.decideTransfer.replayed).toBe(true);
    // The replay answers what the first call wrote: Hive Gateway's decision is the one recorded.
    expect({ ...replay.decideTransfer, replayed: false }).toEqual(decided);
  });
});

describe("the README's walk and the assessments on both engines (ADR 21)", () => {
  // Each requirement crosses into another subgraph only through flat fields on the entity itself
  // (Debtor.caseLineageMeasures, Debtor.propertyMeasureCarriers, Court.receivedTransferLeaders): a requirement that
  // reaches a third subgraph below the entity loses its answer on Hive Gateway 2.15 (test/gateway/hive-requires.test.ts).
  it("answers the README's debtor walk, transfer assessment included, identically", async () => {
    const walk = readFileSync(path.join(ROOT, 'examples', 'explorer', 'debtor-walk.graphql'), 'utf8');
    const data = (await sameData(walk, { id: widelySeizedDebtor() })) as {
      debtor: { transferAssessment: { rules: { met: boolean }[]; receivingCourts: unknown[] } };
    };
    expect(data.debtor.transferAssessment.rules.length).toBeGreaterThan(0);
    expect(data.debtor.transferAssessment.rules.some((r) => r.met)).toBe(true);
  });

  it("answers the README's walk as a basic court identically", async () => {
    const walk = readFileSync(path.join(ROOT, 'examples', 'explorer', 'debtor-walk.graphql'), 'utf8');
    await sameData(walk, { id: widelySeizedDebtor() }, '川0105');
  });

  it("answers the courts' leader shares of transferred cases identically", async () => {
    const data = (await sameData(
      `{ courts(prefecture: "川01", level: BASIC) { code name transferHandling { transferredCases handledByLeaders share minimumShare meetsRule
          casesNotHandledByLeaders { number } } } }`,
      {},
      '川01',
    )) as { courts: { transferHandling: { transferredCases: number } | null }[] };
    expect(data.courts.some((c) => (c.transferHandling?.transferredCases ?? 0) > 0)).toBe(true);
  });
});

describe('the rebalancing proposal on both engines (ADR 21)', () => {
  const PLAN = `query ($c: String!, $n: Int) { rebalancePlan(fromCourt: $c, maxCases: $n) { id openCases { number }
    proposal { provincialMedian loadBefore loadAfter overloaded explanation
      moves { case { number category } to { code level prefecture } score why factors { name weight value } }
      decisions { mode decidingCourt { code } receivingCourt { code } caseNumbers reasons note } } } }`;

  it("answers the most loaded basic courts' proposals identically, moves included", async () => {
    const courts = (
      (await post(graph.gateway.url, '{ courts(level: BASIC) { code openCaseCount enforcementStaffCount } }')).json.data as {
        courts: { code: string; openCaseCount: number; enforcementStaffCount: number }[];
      }
    ).courts.sort(
      (a, b) => b.openCaseCount / Math.max(1, b.enforcementStaffCount) - a.openCaseCount / Math.max(1, a.enforcementStaffCount),
    );
    let moves = 0;
    // The registry's open cases, property-control's lineage measures and the roster's staffing, on both engines.
    for (const court of courts.slice(0, 3)) {
      const data = (await sameData(PLAN, { c: court.code, n: 5 })) as { rebalancePlan: { proposal: { moves: unknown[] } } };
      moves += data.rebalancePlan.proposal.moves.length;
    }
    expect(moves).toBeGreaterThan(0);
  });
});

describe("the product's edge, as Hive Gateway plugins", () => {
  it('refuses a request without a valid bearer token before any subgraph is called', async () => {
    const res = await fetch(hiveUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as Answer['json']).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['a Date literal naming no real day', '{ transfers(from: "2025-02-30") { nodes { id } } }', {}],
    ['a Date variable that is a number', 'query ($d: Date) { transfers(from: $d) { nodes { id } } }', { d: 20250101 }],
    ['a required variable left out', 'query ($d: Date!) { transferStatistics(from: $d, to: "2026-01-01") { from } }', {}],
  ])('refuses %s before planning, with the same field and rule as the product gateway', async (_, query, variables) => {
    const [apollo, hiveAnswer] = [await post(graph.gateway.url, query, variables), await post(hiveUrl, query, variables)];
    expect(apollo.status).toBe(400);
    expect(hiveAnswer.status).toBe(400);
    expect(hiveAnswer.json.errors?.[0]?.extensions).toEqual(apollo.json.errors?.[0]?.extensions);
    expect(hiveAnswer.json.errors?.[0]?.extensions?.field).toBeTruthy();
  });

  it('applies the operation limits with the same rule as the product gateway', async () => {
    const deep = '{ courts { parent { parent { parent { parent { parent { parent { code } } } } } } } }';
    const [apollo, hiveAnswer] = [await post(graph.gateway.url, deep), await post(hiveUrl, deep)];
    expect(hiveAnswer.status).toBe(400);
    expect(hiveAnswer.json.errors?.[0]?.extensions).toEqual(apollo.json.errors?.[0]?.extensions);
    expect(hiveAnswer.json.errors?.[0]?.extensions?.rule).toBe('MAX_DEPTH');
  });

  it('reaches the subgraphs only with the tokens it signs: a subgraph refuses the client token itself', async () => {
    const direct = await fetch(graph.subgraphUrls['case-registry']!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('川')}` },
      body: '{"query":"{ __typename }"}',
    });
    expect(direct.status).toBe(401);
    // ...while the same client token through Hive Gateway reads the registry, the roster and property-control.
    await sameData('{ courts(prefecture: "川01", level: BASIC) { code name openCaseCount enforcementStaffCount } }');
  });

  it('answers a basic court within its own scope, as the product gateway does', async () => {
    await sameData(DEBTOR_WALK, { id: widelySeizedDebtor() }, '川0105');
  });

  it('connects to nothing but the subgraphs on loopback (no CDN, registry or usage reporting)', () => {
    const hosts = new Set(
      readFileSync(outboundLog, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { host: string }).host),
    );
    expect(hosts.size).toBeGreaterThan(0);
    expect([...hosts].filter((h) => h !== '127.0.0.1' && h !== 'localhost' && h !== '::1')).toEqual([]);
  });
});
