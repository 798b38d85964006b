import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type RunningGraph } from '../../scripts/graph';
import { DIALECTS, postGraphQL, testToday } from '../support/graph';
import { copyTestStore, placeholders, type Records, type TestStore } from '../support/stores';
import { freePort, killGroup, spawnTsx, waitUntilServing, type Child } from '../support/processes';

/**
 * Issue 16 item 2 (and item 4's write guarantees): two case-registry processes and two property-control processes on ONE
 * database each — one SQLite file, or one PostgreSQL database — each pair behind a gateway of its own. Idempotency, the
 * numbers a write gives out and all-or-nothing are the database's to guarantee, so they hold across processes as they do
 * within one: ten identical decisions spread over both write one; decisions made at once on both never share a new case
 * number or transfer id; supervision events and disposal steps written at once never share a sequence number.
 */

const today = testToday();
const year = Number(today.slice(0, 4));
const cleanups: (() => Promise<void> | void)[] = [];
let store: TestStore;
let registry: Records;
let personnel: Records;
let property: Records;
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

async function startSubgraphProcess(name: 'case-registry' | 'property-control'): Promise<{ child: Child; url: string }> {
  const port = await freePort();
  const child = spawnTsx(['scripts/runSubgraph.ts', name], {
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
  const replicas = await Promise.all([startSubgraphProcess('case-registry'), startSubgraphProcess('case-registry')]);
  const propertyReplicas = await Promise.all([startSubgraphProcess('property-control'), startSubgraphProcess('property-control')]);
  for (const [i, r] of replicas.entries()) {
    const graph = await startGraph(
      {
        PORT: 0,
        HOST: '127.0.0.1',
        dataDir: store.dir,
        AS_OF_DATE: today,
        LOG_LEVEL: 'silent',
        CASE_REGISTRY_URL: r.url,
        PROPERTY_CONTROL_URL: propertyReplicas[i]!.url,
      },
      { databases: store.databases },
    );
    gateways.push(graph);
    cleanups.push(() => graph.close());
  }
  registry = store.records('case-registry');
  personnel = store.records('personnel');
  property = store.records('property-control');
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

describe.each(DIALECTS)('issue 16 item 2: two registry and two property-control processes on one database each, on %s', (dialect) => {
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

  it('gives different decisions made at once on both processes different, consecutive transfer ids, each decision whole', async () => {
    const courts = await basicCourts('川01');
    const receiving = [courts[9]!, courts[10]!];
    const sending = await openCases(
      courts.filter((c) => !receiving.includes(c)),
      10,
    );
    const idNumber = (id: string) => Number(/^T(\d+)$/.exec(id)![1]);
    const greatest = async () =>
      Math.max(0, ...(await registry.all<{ id: string }>(`select id from transfers where id like 'T%'`)).map((r) => idNumber(r.id)));
    const before = await greatest();
    const transfersBefore = await count('select count(*) n from transfers');
    const ids: string[] = [];
    // Ten decisions sent at the same moment, five to each process, into two courts.
    const inputs = await Promise.all(sending.map((n, i) => directed(n, receiving[i % 2]!)));
    const replies = await Promise.all(inputs.map((input, i) => decideOn(gateways[i % 2]!, input)));
    for (const r of replies) {
      expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
      ids.push(r.data!.decideTransfer.transfer.id);
    }
    expect(new Set(ids).size).toBe(10);
    expect(ids.map(idNumber).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => before + 1 + i));
    expect(await count('select count(*) n from transfers')).toBe(transfersBefore + 10);
    // Each decision landed whole under its own id: its case and its first supervision event.
    for (const [i, id] of ids.entries()) {
      expect(await registry.all('select from_case from transfer_cases where transfer_id = ?', id)).toEqual([{ from_case: sending[i] }]);
      expect(await registry.all('select seq, kind from supervision_events where transfer_id = ?', id)).toEqual([
        { seq: 1, kind: 'DECIDED' },
      ]);
    }
  }, 60_000);

  it('gives supervision events written at once on both processes to one decision different, consecutive sequence numbers', async () => {
    const courts = await basicCourts('川01');
    const [number] = await openCases([courts[11]!], 1);
    const decided = await decideOn(gateways[0]!, await directed(number!, courts[12]!));
    expect(decided.errors).toBeUndefined();
    const transferId = decided.data!.decideTransfer.transfer.id;
    const author = await supervisorOf('川01');
    const NOTE = `mutation ($input: SupervisionNoteInput!) { addSupervisionNote(input: $input) { replayed } }`;
    const notes = Array.from({ length: 6 }, (_, i) => ({
      transferId,
      author,
      kind: 'NOTE',
      note: `第${i + 1}次督办（两个进程）`,
      idempotencyKey: `replicas-note-${randomUUID()}`,
    }));
    const replies = await Promise.all(notes.map((input, i) => postGraphQL(gateways[i % 2]!.gateway.url, NOTE, { input }, { as: '川01' })));
    for (const r of replies) {
      expect(r.status).toBe(200);
      expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
    }
    const events = await registry.all<{ seq: number; kind: string; note: string }>(
      'select seq, kind, note from supervision_events where transfer_id = ? order by seq',
      transferId,
    );
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(events[0]!.kind).toBe('DECIDED');
    expect(
      events
        .slice(1)
        .map((e) => e.note)
        .sort(),
    ).toEqual(notes.map((n) => n.note).sort());
  }, 60_000);

  it('records one of four first disposal steps sent at once on both processes for one property, refusing the rest in legal order', async () => {
    const target = (await property.get<{ property_id: string }>(
      `select m.property_id from measures m join properties p on p.id = m.property_id
       where m.released_at is null and m.waiting = 0 and m.expires_at >= ? and m.period_starts_at <= '2026-06-01'
         and p.disposal_stage = 'NONE' and p.kind != 'BANK_DEPOSIT'
         and not exists (select 1 from disposal_steps d where d.property_id = m.property_id)
       order by m.property_id limit 1`,
      today,
    ))!;
    expect(target).toBeDefined();
    const STEP = `mutation ($input: DisposalStepInput!) { recordDisposalStep(input: $input) { replayed property { disposalHistory { stage price } } } }`;
    const steps = ['1000000.00', '1000001.00', '1000002.00', '1000003.00'].map((price) => ({
      propertyId: target.property_id,
      stage: 'REFERENCE_PRICE',
      method: 'APPRAISAL',
      price,
      occurredAt: '2026-06-01',
      succeeded: true,
      idempotencyKey: `replicas-step-${randomUUID()}`,
    }));
    const replies = await Promise.all(steps.map((input, i) => postGraphQL(gateways[i % 2]!.gateway.url, STEP, { input }, { as: '川' })));
    for (const r of replies) expect(r.status).toBe(200);
    const landed = replies.flatMap((r, i) => (r.body.errors ? [] : [steps[i]!]));
    expect(landed, JSON.stringify(replies.map((r) => r.body.errors))).toHaveLength(1);
    for (const r of replies.filter((x) => x.body.errors))
      expect((r.body.errors![0] as { extensions?: { rule?: string } }).extensions?.rule).toBe('DISPOSAL_ORDER');
    const price = Math.round(Number(landed[0]!.price) * 100);
    expect(
      await property.all('select seq, step, price from disposal_steps where property_id = ? order by seq', target.property_id),
    ).toEqual([{ seq: 1, step: 'REFERENCE_PRICE', price }]);
    // Every attempt is audited once in property-control's own database: the one accepted, the rest refused.
    for (const s of steps)
      expect(
        (await property.all<{ outcome: string }>('select outcome from audit_log where idempotency_key = ?', s.idempotencyKey)).map(
          (r) => r.outcome,
        ),
      ).toEqual([s === landed[0] ? 'ACCEPTED' : 'REFUSED']);
  }, 60_000);
});
