import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type RunningGraph } from '../../scripts/graph';
import { DIALECTS, postGraphQL, testToday } from '../support/graph';
import { copyTestStore, placeholders, type Records, type TestStore } from '../support/stores';
import { freePort, killGroup, spawnTsx, waitUntilServing, type Child } from '../support/processes';

/**
 * Issue 16 item 2 (and item 4's write guarantees): two case-registry processes on ONE database — one SQLite file, or one
 * PostgreSQL database — each behind a gateway of its own. Idempotency, case numbers and all-or-nothing are the database's to guarantee, so
 * they hold across processes as they do within one: ten identical decisions spread over both write one, and decisions
 * made at once on both never share a new case number.
 */

const today = testToday();
const year = Number(today.slice(0, 4));
const cleanups: (() => Promise<void> | void)[] = [];
let store: TestStore;
let registry: Records;
let personnel: Records;
let gateways: RunningGraph[] = [];
const used = new Set<string>();

const DECIDE = `mutation ($input: DecideTransferInput!) {
  decideTransfer(input: $input) { replayed transfer { id cases { from { number } to { number } } } } }`;

type Reply = {
  data?: {
    decideTransfer: { replayed: boolean; transfer: { id: string; cases: { from: { number: string }; to: { number: string } | null }[] } };
  };
  errors?: { message: string; extensions?: Record<string, string> }[];
};

async function startRegistryProcess(): Promise<{ child: Child; url: string }> {
  const port = await freePort();
  const child = spawnTsx(['scripts/runSubgraph.ts', 'case-registry'], {
    DATA_DIR: store.dir,
    PORT: String(port),
    HOST: '127.0.0.1',
    AS_OF_DATE: today,
    GATEWAY_JWKS_FILE: path.join(store.dir, 'keys', 'gateway-jwks.json'),
    LOG_LEVEL: 'warn',
    ...store.env,
  });
  cleanups.push(() => killGroup(child));
  await waitUntilServing(child, `http://127.0.0.1:${port}/health/live`);
  return { child, url: `http://127.0.0.1:${port}/graphql` };
}

async function setUp(dialect: (typeof DIALECTS)[number]) {
  store = await copyTestStore(dialect);
  cleanups.push(() => store.drop());
  gateways = [];
  const replicas = await Promise.all([startRegistryProcess(), startRegistryProcess()]);
  for (const r of replicas) {
    const graph = await startGraph(
      { PORT: 0, HOST: '127.0.0.1', dataDir: store.dir, AS_OF_DATE: today, LOG_LEVEL: 'silent', CASE_REGISTRY_URL: r.url },
      { databases: store.databases },
    );
    gateways.push(graph);
    cleanups.push(() => graph.close());
  }
  registry = store.records('case-registry');
  personnel = store.records('personnel');
}

async function tearDown() {
  for (const c of cleanups.splice(0).reverse()) await c();
}

async function basicCourts(prefecture: string): Promise<string[]> {
  return (
    await registry.all<{ code: string }>(
      `select code from courts where level = 'BASIC' and prefecture = ? and special = 0 order by code`,
      prefecture,
    )
  ).map((r) => r.code);
}

/** Open 执 cases of the courts, filed before today, not moved yet, not used by another test here. */
async function openCases(courts: string[], n: number): Promise<string[]> {
  const rows = await registry.all<{ number: string }>(
    `select c.number from cases c where c.executing_court in (${placeholders(courts.length)}) and c.status = 'EXECUTING'
       and c.type_code = '执' and c.filed_at < ? and c.category not like 'CRIMINAL%'
       and not exists (select 1 from cases x where x.transferred_from = c.number or x.continues = c.number) order by c.number`,
    ...courts,
    today,
  );
  const free = rows.map((r) => r.number).filter((x) => !used.has(x));
  expect(free.length).toBeGreaterThanOrEqual(n);
  for (const x of free.slice(0, n)) used.add(x);
  return free.slice(0, n);
}

const supervisorOf = async (court: string) =>
  (await personnel.get<{ id: string }>('select id from officers where court_code = ? order by id limit 1', court))!.id;

async function directed(caseNumber: string, receivingCourt: string) {
  return {
    mode: 'DIRECTED',
    caseNumbers: [caseNumber],
    receivingCourt,
    decidingCourt: '川01',
    supervisor: await supervisorOf('川01'),
    reasons: ['LONG_UNEXECUTED'],
    note: '两个进程',
    idempotencyKey: `replicas-${randomUUID()}`,
  };
}

async function decideOn(gateway: RunningGraph, input: Record<string, unknown>): Promise<Reply> {
  const { status, body } = await postGraphQL(gateway.gateway.url, DECIDE, { input }, { as: '川01' });
  expect(status).toBe(200);
  return body as Reply;
}

const count = async (sqlText: string, ...params: unknown[]) => (await registry.get<{ n: number }>(sqlText, ...params))!.n;

describe.each(DIALECTS)('issue 16 item 2: two registry processes on one database, on %s', (dialect) => {
  beforeAll(() => setUp(dialect), 180_000);
  afterAll(tearDown);

  it('makes ten concurrent identical decisions, five sent to each process, one decision', async () => {
    const courts = await basicCourts('川01');
    const [number] = await openCases([courts[3]!], 1);
    const input = await directed(number!, courts[4]!);
    const transfersBefore = await count('select count(*) n from transfers');
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => decideOn(gateways[i % 2]!, input)));
    for (const r of replies) expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    expect(new Set(replies.map((r) => r.data!.decideTransfer.transfer.id)).size).toBe(1);
    expect(replies.filter((r) => !r.data!.decideTransfer.replayed)).toHaveLength(1);
    expect(await count('select count(*) n from transfers')).toBe(transfersBefore + 1);
    expect(await count('select count(*) n from cases where transferred_from = ?', number)).toBe(1);
    expect(await count('select count(*) n from idempotency_keys where key = ?', input.idempotencyKey)).toBe(1);
    const outcomes = await registry.all<{ outcome: string }>(
      'select outcome from audit_log where idempotency_key = ? order by id',
      input.idempotencyKey,
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['ACCEPTED', ...Array(9).fill('REPLAYED')]);
  }, 60_000);

  it('gives decisions made at once on both processes, into one court, different and consecutive case numbers', async () => {
    const courts = await basicCourts('川01');
    const receiving = courts[5]!;
    const sending = await openCases(
      courts.filter((c) => c !== receiving),
      8,
    );
    const last = () =>
      count(`select coalesce(max(sequence), 0) n from cases where court_code = ? and year = ? and type_code = '执'`, receiving, year);
    const before = await last();
    // Four rounds of two decisions sent at the same moment, one to each process.
    const opened: string[] = [];
    for (let round = 0; round < 4; round++) {
      const pair = [await directed(sending[2 * round]!, receiving), await directed(sending[2 * round + 1]!, receiving)];
      const replies = await Promise.all(pair.map((input, i) => decideOn(gateways[i]!, input)));
      for (const r of replies) {
        expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
        opened.push(r.data!.decideTransfer.transfer.cases[0]!.to!.number);
      }
    }
    expect(new Set(opened).size).toBe(8);
    const sequences = (
      await registry.all<{ sequence: number }>(
        `select sequence from cases where number in (${placeholders(opened.length)}) order by sequence`,
        ...opened,
      )
    ).map((r) => r.sequence);
    expect(sequences).toEqual(Array.from({ length: 8 }, (_, i) => before + 1 + i));
    expect(await last()).toBe(before + 8);
    // The counter the numbers came from is the database's, and stands where the cases do.
    const counter = await registry.get<{ last_sequence: number }>(
      `select last_sequence from case_number_counters where court_code = ? and year = ? and type_code = '执'`,
      receiving,
      year,
    );
    expect(Number(counter!.last_sequence)).toBe(before + 8);
  }, 60_000);

  it('continues after cases written behind the counter (an import), never reusing their numbers', async () => {
    const courts = await basicCourts('川01');
    const receiving = courts[5]!;
    const [a, b] = await openCases(
      courts.filter((c) => c !== receiving),
      2,
    );
    const first = await decideOn(gateways[0]!, await directed(a!, receiving));
    expect(first.errors).toBeUndefined();
    const seqOf = async (n: string) =>
      Number((await registry.get<{ sequence: number }>('select sequence from cases where number = ?', n))!.sequence);
    const firstSeq = await seqOf(first.data!.decideTransfer.transfer.cases[0]!.to!.number);
    // An import writes a case numbered three ahead of the counter, as `npm run import` would (the counter untouched).
    const template = (await registry.get('select * from cases where number = ?', a))!;
    const imported = `(${year})${receiving}执${firstSeq + 3}号`;
    await registry.run(
      `insert into cases (number, year, court_code, type_code, sequence, executing_court, status, filed_at, obligation, category, amount_due,
         amount_recovered, lineage_root) values (?, ?, ?, '执', ?, ?, 'FILED', ?, ?, ?, ?, 0, ?)`,
      imported,
      year,
      receiving,
      firstSeq + 3,
      receiving,
      today,
      template.obligation,
      template.category,
      template.amount_due,
      imported,
    );
    const second = await decideOn(gateways[1]!, await directed(b!, receiving));
    expect(second.errors, JSON.stringify(second.errors)).toBeUndefined();
    expect(await seqOf(second.data!.decideTransfer.transfer.cases[0]!.to!.number)).toBe(firstSeq + 4);
  }, 60_000);
});
