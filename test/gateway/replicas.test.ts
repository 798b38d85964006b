import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type RunningGraph } from '../../scripts/graph';
import { SUBGRAPHS, type SubgraphName } from '../../subgraphs/catalogue';
import { databasesFor, DIALECTS, postGraphQL, startGraphOn, startTestGraph, testToday } from '../support/graph';
import { ROOT } from '../support/processes';
import { metric, startSubgraphProcess, type SubgraphProcess } from '../support/replicas';
import { copyTestStore, type Records, type TestStore } from '../support/stores';

/**
 * Issue 16 item 4, the gateway's side: two processes of every subgraph behind one gateway (`<NAME>_URL` as a
 * comma-separated list; ADR 24), on one copy of the test province. Each system's two processes share its SQLite file in
 * WAL mode, a real multi-process store: what holds here holds because the database enforces it, not one process's
 * memory. The same tests run with every system on PostgreSQL (issue 16 item 5): each system's two processes on one
 * database of the tests' server (a fresh copy for this file, test/support/stores.ts), taking its settings through
 * `startSubgraphProcess`'s `env`; the checks against the records read them through the same dialect-neutral reader.
 */

const cleanups: (() => Promise<void> | void)[] = [];
async function tearDown() {
  for (const c of cleanups.splice(0).reverse()) await c();
}

/** The README's debtor walk, as the README prints it (comments and all): the test follows the document. */
const README_WALK = (() => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /```graphql\n(query DebtorWalk[\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no ```graphql block with query DebtorWalk');
  return block[1]!;
})();
/** The Quick start's other two reads. */
const COURTS = `{ courts(prefecture: "成都市", level: BASIC) { code name openCaseCount enforcementStaffCount } }`;
const SEARCH = `{ debtorSearch(name: "建设", first: 3) { name confidence candidate identifier debtor { id } } }`;
const DECIDE = `mutation ($input: DecideTransferInput!) { decideTransfer(input: $input) { replayed transfer { id cases { to { number } } } } }`;

type Reply = { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };

let store: TestStore;
let registry: Records;
let personnel: Records;
/** Two processes of each subgraph. */
const replicas = {} as Record<SubgraphName, [SubgraphProcess, SubgraphProcess]>;
/** The gateway over the replicas, hosting no subgraph itself. */
let gateway: RunningGraph;
/** The embedded default on the shared test province (identical to the copy before anything is written): one process. */
let single: RunningGraph;

async function setUp(dialect: (typeof DIALECTS)[number]) {
  store = await copyTestStore(dialect);
  cleanups.push(() => store.drop());
  registry = store.records('case-registry');
  personnel = store.records('personnel');
  const started = await Promise.allSettled(
    SUBGRAPHS.flatMap(({ name }) => [startSubgraphProcess(name, store.dir, store.env), startSubgraphProcess(name, store.dir, store.env)]),
  );
  for (const s of started) if (s.status === 'fulfilled') cleanups.push(s.value.kill);
  for (const s of started) if (s.status === 'rejected') throw s.reason;
  const processes = started.map((s) => (s as PromiseFulfilledResult<SubgraphProcess>).value);
  for (const { name } of SUBGRAPHS) {
    const two = processes.filter((p) => p.name === name);
    replicas[name] = [two[0]!, two[1]!];
  }
  const urls = Object.fromEntries(SUBGRAPHS.map((s) => [s.urlSetting, replicas[s.name].map((p) => p.url).join(',')]));
  gateway = await startGraph({ PORT: 0, HOST: '127.0.0.1', dataDir: store.dir, AS_OF_DATE: testToday(), LOG_LEVEL: 'silent', ...urls });
  cleanups.push(() => gateway.close());
  single = await startTestGraph({ databases: databasesFor(dialect) });
  cleanups.push(() => single.close());
}

async function post(graph: RunningGraph, query: string, variables?: Record<string, unknown>, as = '川'): Promise<Reply> {
  const { status, body } = await postGraphQL(graph.gateway.url, query, variables, { as });
  expect(status, JSON.stringify(body)).toBe(200);
  return body as Reply;
}

async function metricsOf(graph: RunningGraph): Promise<string> {
  const res = await fetch(`${graph.gateway.monitoringUrl}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

/** Requests the gateway has sent to each replica of a subgraph so far, in the order of its URL list. */
async function sentTo(name: SubgraphName): Promise<number[]> {
  const text = await metricsOf(gateway);
  return replicas[name].map((p) => metric(text, 'subgraph_replica_requests_total', { subgraph: name, replica: p.url }) ?? 0);
}

/** Identified debtors with cases in the most courts: every part of the walk has something to show. */
async function busyDebtors(n: number): Promise<string[]> {
  return (
    await registry.all<{ id: string }>(
      `select p.person_id id from case_parties p join cases c on c.number = p.case_number
       where p.role = 'DEBTOR' and p.person_id is not null
       group by p.person_id order by count(distinct c.court_code) desc, p.person_id limit ?`,
      n,
    )
  ).map((r) => r.id);
}

describe.each(DIALECTS)('replicas, stores on %s', (dialect) => {
  beforeAll(() => setUp(dialect), 240_000);
  afterAll(tearDown);

  describe('two processes of each subgraph answer as one process does', () => {
    it('the README walk, the court list and the name search: the same answers, every replica called', async () => {
      const debtors = await busyDebtors(6);
      expect(debtors).toHaveLength(6);
      const operations: [string, Record<string, unknown> | undefined][] = [
        [COURTS, undefined],
        [SEARCH, undefined],
        ...debtors.map((id): [string, Record<string, unknown>] => [README_WALK, { id }]),
      ];
      for (const [query, variables] of operations) {
        const expected = await post(single, query, variables);
        expect(expected.errors, JSON.stringify(expected.errors)).toBeUndefined();
        // Twice through the replicas: consecutive calls of one subgraph go to alternate replicas.
        for (let i = 0; i < 2; i++) {
          const answer = await post(gateway, query, variables);
          expect(answer).toEqual(expected);
        }
      }
      const walked = (await post(gateway, README_WALK, { id: debtors[0] })).data.debtor;
      expect(walked.cases.length).toBeGreaterThan(1);
      expect(walked.transferAssessment.rules.length).toBeGreaterThan(0);
      for (const { name } of SUBGRAPHS) {
        const sent = await sentTo(name);
        for (const n of sent) expect(n, `${name}: ${JSON.stringify(sent)}`).toBeGreaterThan(0);
      }
    });

    it('readiness names each replica', async () => {
      const res = await fetch(`${gateway.gateway.monitoringUrl}/health/ready`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        status: 'ready',
        supergraph: 'loaded',
        failing: [],
        subgraphs: Object.fromEntries(SUBGRAPHS.map((s) => [s.name, 'ready'])),
        failingReplicas: [],
        replicas: Object.fromEntries(SUBGRAPHS.map((s) => [s.name, Object.fromEntries(replicas[s.name].map((p) => [p.url, 'ready']))])),
      });
    });
  });

  // ---- decisions on two registry replicas ---------------------------------------------------------------------------

  const today = testToday();
  const year = Number(today.slice(0, 4));
  /** Cases a test of this file has decided on. */
  const used = new Set<string>();

  async function basicCourts(prefecture: string): Promise<string[]> {
    return (
      await registry.all<{ code: string }>(`select code from courts where level = 'BASIC' and prefecture = ? order by code`, prefecture)
    ).map((r) => r.code);
  }

  /** An open, never-moved first-execution case of `court` that a transfer may move (as decide-transfer.test.ts picks them). */
  async function movableCase(court: string): Promise<string> {
    const rows = await registry.all<{ number: string }>(
      `select c.number from cases c
     where c.status = 'EXECUTING' and c.filed_at < ? and c.executing_court = ? and c.type_code = '执'
       and c.category != 'CRIMINAL_RESTITUTION'
       and not exists (select 1 from cases n where n.transferred_from = c.number)
     order by c.number`,
      today,
      court,
    );
    const number = rows.map((r) => r.number).find((n) => !used.has(n));
    expect(number, `a movable case at ${court}`).toBeDefined();
    used.add(number!);
    return number!;
  }

  async function supervisorOf(court: string): Promise<string> {
    return (await personnel.get<{ id: string }>('select id from officers where court_code = ? order by id limit 1', court))!.id;
  }

  async function directed(caseNumber: string, receivingCourt: string, label: string) {
    return {
      mode: 'DIRECTED',
      caseNumbers: [caseNumber],
      receivingCourt,
      decidingCourt: '川01',
      supervisor: await supervisorOf('川01'),
      reasons: ['LONG_UNEXECUTED'],
      note: '副本测试',
      idempotencyKey: `${label}-${randomUUID()}`,
    };
  }

  const count = async (table: string) => (await registry.get<{ n: number }>(`select count(*) n from ${table}`))!.n;
  const auditOf = async (key: string) =>
    (await registry.all<{ outcome: string }>('select outcome from audit_log where idempotency_key = ? order by id', key)).map(
      (r) => r.outcome,
    );

  describe('decisions through two registry replicas on one store', () => {
    it('ten concurrent identical decideTransfer calls, spread over both replicas, write exactly one decision', async () => {
      const courts = await basicCourts('川01');
      const input = await directed(await movableCase(courts[3]!), courts[9]!, 'replicas-same');
      const before = { cases: await count('cases'), transfers: await count('transfers'), sent: await sentTo('case-registry') };
      const replies = await Promise.all(Array.from({ length: 10 }, () => post(gateway, DECIDE, { input }, '川01')));
      for (const r of replies) expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
      const sent = (await sentTo('case-registry')).map((n, i) => n - before.sent[i]!);
      // Every call went to the registry once (the selection is the registry's alone), and each replica took some.
      expect(sent[0]! + sent[1]!, JSON.stringify(sent)).toBe(10);
      for (const n of sent) expect(n, JSON.stringify(sent)).toBeGreaterThan(0);

      expect(new Set(replies.map((r) => r.data.decideTransfer.transfer.id)).size).toBe(1);
      expect(replies.filter((r) => !r.data.decideTransfer.replayed)).toHaveLength(1);
      expect(await count('transfers')).toBe(before.transfers + 1);
      expect(await count('cases')).toBe(before.cases + 1);
      expect(await registry.get('select count(*) n from cases where transferred_from = ?', input.caseNumbers[0])).toEqual({ n: 1 });
      const audit = await auditOf(input.idempotencyKey);
      expect(audit.filter((o) => o === 'ACCEPTED')).toHaveLength(1);
      expect(audit.filter((o) => o === 'REPLAYED')).toHaveLength(9);
      expect(audit).toHaveLength(10);
    });

    it('different decisions at once on the two replicas never give two new cases the same number', async () => {
      const courts = await basicCourts('川01');
      const receiving = courts[10]!;
      const next = async () =>
        Number(
          (await registry.get<{ n: number }>(
            `select coalesce(max(sequence), 0) n from cases where court_code = ? and year = ? and type_code = '执'`,
            receiving,
            year,
          ))!.n,
        ) + 1;
      const first = await next();
      const before = await sentTo('case-registry');
      // Three rounds of two decisions sent together, each pair moving two cases of other courts to the same court: each
      // pair's two calls go to different replicas (the fewest in flight), and each needs that court's next number.
      const numbers: string[] = [];
      for (let round = 0; round < 3; round++) {
        const inputs: Awaited<ReturnType<typeof directed>>[] = [];
        for (const k of [0, 1])
          inputs.push(await directed(await movableCase(courts[4 + 2 * round + k]!), receiving, `replicas-different-${round}-${k}`));
        const replies = await Promise.all(inputs.map((input) => post(gateway, DECIDE, { input }, '川01')));
        for (const r of replies) {
          expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
          expect(r.data.decideTransfer.replayed).toBe(false);
          numbers.push(r.data.decideTransfer.transfer.cases[0].to.number);
        }
      }
      const sent = (await sentTo('case-registry')).map((n, i) => n - before[i]!);
      expect(sent, JSON.stringify(sent)).toEqual([3, 3]);
      expect(new Set(numbers).size).toBe(6);
      expect(numbers.sort()).toEqual(Array.from({ length: 6 }, (_, i) => `(${year})${receiving}执${first + i}号`).sort());
      for (const n of numbers) expect(await registry.get('select count(*) n from cases where number = ?', n)).toEqual({ n: 1 });
    });
  });

  // ---- a replica lost midway ------------------------------------------------------------------------------------------

  describe('one replica killed midway', () => {
    it('every query is still answered, as one process answers it; readiness names the dead replica', async () => {
      const debtors = await busyDebtors(4);
      // The decisions above changed the copy: the answers to expect are one process's on the copy as it is now.
      const one = await startGraphOn(store.dir, { databases: store.databases });
      cleanups.push(() => one.close());
      const expected = new Map<string, Reply>();
      for (const id of debtors) expected.set(id, await post(one, README_WALK, { id }));
      const [, lostRegistry] = replicas['case-registry'];
      const [lostProperty] = replicas['property-control'];
      const total = 32;
      let done = 0;
      let killed: Promise<void> | null = null;
      const answers: { id: string; reply: Reply }[] = [];
      // Three clients walking the debtors in turn; after the eighth answer one registry and one property-control replica
      // are SIGKILLed, with calls in flight on them or on their pooled connections.
      await Promise.all(
        Array.from({ length: 3 }, async (_, client) => {
          for (let i = client; i < total; i += 3) {
            const id = debtors[i % debtors.length]!;
            answers.push({ id, reply: await post(gateway, README_WALK, { id }) });
            if (++done === 8) killed = Promise.all([lostRegistry.kill(), lostProperty.kill()]).then(() => undefined);
          }
        }),
      );
      await killed;
      expect(answers).toHaveLength(total);
      for (const { id, reply } of answers) expect(reply).toEqual(expected.get(id));

      // Calls after the kill met a refused connection there and went to the live replica.
      const text = await metricsOf(gateway);
      expect(
        metric(text, 'subgraph_fetch_failures_total', { subgraph: 'case-registry', replica: lostRegistry.url, reason: 'retried' }),
      ).toBeGreaterThan(0);
      const res = await fetch(`${gateway.gateway.monitoringUrl}/health/ready`);
      const ready = (await res.json()) as Record<string, any>;
      expect(ready).toMatchObject({
        status: 'degraded',
        failing: [],
        subgraphs: Object.fromEntries(SUBGRAPHS.map((s) => [s.name, 'ready'])),
      });
      expect(ready.failingReplicas.sort()).toEqual([lostRegistry.url, lostProperty.url].sort());
      expect(ready.replicas['case-registry'][lostRegistry.url]).toBe('unavailable');
      expect(ready.replicas['case-registry'][replicas['case-registry'][0].url]).toBe('ready');
    });

    /** A gateway of its own on the registry replicas `urls` (its first call goes to the first), the rest as above. */
    async function gatewayOver(urls: string[]): Promise<RunningGraph> {
      const others = Object.fromEntries(
        SUBGRAPHS.filter((s) => s.name !== 'case-registry').map((s) => [s.urlSetting, replicas[s.name].map((p) => p.url).join(',')]),
      );
      const g = await startGraph({
        PORT: 0,
        HOST: '127.0.0.1',
        dataDir: store.dir,
        AS_OF_DATE: testToday(),
        LOG_LEVEL: 'silent',
        ...others,
        CASE_REGISTRY_URL: urls.join(','),
      });
      cleanups.push(() => g.close());
      return g;
    }

    const retriedAt = (text: string, url: string) =>
      metric(text, 'subgraph_fetch_failures_total', { subgraph: 'case-registry', replica: url, reason: 'retried' }) ?? 0;

    it('a mutation whose replica refuses the connection goes to the other replica, and is written once', async () => {
      const [live, dead] = replicas['case-registry'];
      const g = await gatewayOver([dead.url, live.url]);
      const courts = await basicCourts('川01');
      const input = await directed(await movableCase(courts[11]!), courts[16]!, 'replicas-refused');
      const reply = await post(g, DECIDE, { input }, '川01');
      expect(reply.errors, JSON.stringify(reply.errors)).toBeUndefined();
      expect(reply.data.decideTransfer.replayed).toBe(false);
      expect(await auditOf(input.idempotencyKey)).toEqual(['ACCEPTED']);
      const text = await metricsOf(g);
      expect(retriedAt(text, dead.url)).toBe(1);
      expect(metric(text, 'subgraph_replica_requests_total', { subgraph: 'case-registry', replica: live.url })).toBe(1);
    });

    it('a mutation whose connection is reset after it was sent is not sent to another replica', async () => {
      const [live] = replicas['case-registry'];
      let received = 0;
      const resets = createServer((req) => {
        received++;
        req.socket.destroy();
      });
      await new Promise<void>((resolve) => resets.listen(0, '127.0.0.1', resolve));
      cleanups.push(() => new Promise<void>((resolve) => resets.close(() => resolve())));
      const resetUrl = `http://127.0.0.1:${(resets.address() as AddressInfo).port}/graphql`;
      const g = await gatewayOver([resetUrl, live.url]);
      const courts = await basicCourts('川01');
      const input = await directed(await movableCase(courts[12]!), courts[16]!, 'replicas-reset');
      const reply = await post(g, DECIDE, { input }, '川01');
      expect(reply.errors?.[0]?.extensions).toMatchObject({ code: 'SOURCE_UNAVAILABLE', serviceName: 'case-registry' });
      expect(received).toBe(1);
      // The live replica never saw it: nothing written, not even an audit record.
      expect(await auditOf(input.idempotencyKey)).toEqual([]);
      let text = await metricsOf(g);
      expect(retriedAt(text, resetUrl)).toBe(0);
      expect(metric(text, 'subgraph_replica_requests_total', { subgraph: 'case-registry', replica: live.url }) ?? 0).toBe(0);
      // Two reads: the second one's turn is the resetting replica's, and a read meeting the reset goes on to the live one.
      for (let i = 0; i < 2; i++) {
        const read = await post(g, `{ court(code: "川01") { name openCaseCount } }`);
        expect(read.errors, JSON.stringify(read.errors)).toBeUndefined();
        expect(read.data.court.name).toBeTruthy();
      }
      expect(received).toBe(2);
      text = await metricsOf(g);
      expect(retriedAt(text, resetUrl)).toBe(1);
    });
  });
});
