import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../../lib/dataFiles';
import { startGraph, type RunningGraph } from '../../scripts/graph';
import { copyTestProvince, postGraphQL, testToday } from '../support/graph';
import { freePort, killGroup, spawnTsx, waitUntilServing, type Child } from '../support/processes';

/**
 * Issue 16 item 2 (and item 4's write guarantees): two case-registry processes on ONE database — here one SQLite file —
 * each behind a gateway of its own. Idempotency, case numbers and all-or-nothing are the database's to guarantee, so
 * they hold across processes as they do within one: ten identical decisions spread over both write one, and decisions
 * made at once on both never share a new case number.
 */

const today = testToday();
const year = Number(today.slice(0, 4));
const cleanups: (() => Promise<void> | void)[] = [];
let dir: string;
let registry: Database.Database;
let personnel: Database.Database;
const gateways: RunningGraph[] = [];
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
    DATA_DIR: dir,
    PORT: String(port),
    HOST: '127.0.0.1',
    AS_OF_DATE: today,
    GATEWAY_JWKS_FILE: path.join(dir, 'keys', 'gateway-jwks.json'),
    LOG_LEVEL: 'warn',
  });
  cleanups.push(() => killGroup(child));
  await waitUntilServing(child, `http://127.0.0.1:${port}/health/live`);
  return { child, url: `http://127.0.0.1:${port}/graphql` };
}

beforeAll(async () => {
  dir = copyTestProvince();
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const replicas = await Promise.all([startRegistryProcess(), startRegistryProcess()]);
  for (const r of replicas) {
    const graph = await startGraph(
      { PORT: 0, HOST: '127.0.0.1', dataDir: dir, AS_OF_DATE: today, LOG_LEVEL: 'silent', CASE_REGISTRY_URL: r.url },
      {},
    );
    gateways.push(graph);
    cleanups.push(() => graph.close());
  }
  registry = new Database(databaseFile(dir, 'case-registry'), { readonly: true });
  personnel = new Database(databaseFile(dir, 'personnel'), { readonly: true });
  cleanups.push(() => {
    registry.close();
    personnel.close();
  });
}, 120_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function basicCourts(prefecture: string): string[] {
  return (
    registry.prepare(`select code from courts where level = 'BASIC' and prefecture = ? and special = 0 order by code`).all(prefecture) as {
      code: string;
    }[]
  ).map((r) => r.code);
}

/** Open 执 cases of the courts, filed before today, not moved yet, not used by another test here. */
function openCases(courts: string[], n: number): string[] {
  const rows = registry
    .prepare(
      `select c.number from cases c where c.executing_court in (select value from json_each(?)) and c.status = 'EXECUTING'
         and c.type_code = '执' and c.filed_at < ? and c.category not like 'CRIMINAL%'
         and not exists (select 1 from cases x where x.transferred_from = c.number or x.continues = c.number) order by c.number`,
    )
    .all(JSON.stringify(courts), today) as { number: string }[];
  const free = rows.map((r) => r.number).filter((x) => !used.has(x));
  expect(free.length).toBeGreaterThanOrEqual(n);
  for (const x of free.slice(0, n)) used.add(x);
  return free.slice(0, n);
}

const supervisorOf = (court: string) =>
  (personnel.prepare('select id from officers where court_code = ? order by id limit 1').get(court) as { id: string }).id;

function directed(caseNumber: string, receivingCourt: string) {
  return {
    mode: 'DIRECTED',
    caseNumbers: [caseNumber],
    receivingCourt,
    decidingCourt: '川01',
    supervisor: supervisorOf('川01'),
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

const count = (sqlText: string, ...params: unknown[]) => (registry.prepare(sqlText).get(...params) as { n: number }).n;

describe('issue 16 item 2: two registry processes on one database', () => {
  it('makes ten concurrent identical decisions, five sent to each process, one decision', async () => {
    const courts = basicCourts('川01');
    const [number] = openCases([courts[3]!], 1);
    const input = directed(number!, courts[4]!);
    const transfersBefore = count('select count(*) n from transfers');
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => decideOn(gateways[i % 2]!, input)));
    for (const r of replies) expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    expect(new Set(replies.map((r) => r.data!.decideTransfer.transfer.id)).size).toBe(1);
    expect(replies.filter((r) => !r.data!.decideTransfer.replayed)).toHaveLength(1);
    expect(count('select count(*) n from transfers')).toBe(transfersBefore + 1);
    expect(count('select count(*) n from cases where transferred_from = ?', number)).toBe(1);
    expect(count('select count(*) n from idempotency_keys where key = ?', input.idempotencyKey)).toBe(1);
    const outcomes = registry.prepare('select outcome from audit_log where idempotency_key = ? order by id').all(input.idempotencyKey) as {
      outcome: string;
    }[];
    expect(outcomes.map((o) => o.outcome)).toEqual(['ACCEPTED', ...Array(9).fill('REPLAYED')]);
  }, 60_000);

  it('gives decisions made at once on both processes, into one court, different and consecutive case numbers', async () => {
    const courts = basicCourts('川01');
    const receiving = courts[5]!;
    const sending = openCases(
      courts.filter((c) => c !== receiving),
      8,
    );
    const last = () =>
      (
        registry
          .prepare(`select coalesce(max(sequence), 0) n from cases where court_code = ? and year = ? and type_code = '执'`)
          .get(receiving, year) as { n: number }
      ).n;
    const before = last();
    // Four rounds of two decisions sent at the same moment, one to each process.
    const opened: string[] = [];
    for (let round = 0; round < 4; round++) {
      const pair = [directed(sending[2 * round]!, receiving), directed(sending[2 * round + 1]!, receiving)];
      const replies = await Promise.all(pair.map((input, i) => decideOn(gateways[i]!, input)));
      for (const r of replies) {
        expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
        opened.push(r.data!.decideTransfer.transfer.cases[0]!.to!.number);
      }
    }
    expect(new Set(opened).size).toBe(8);
    const sequences = (
      registry
        .prepare(`select sequence from cases where number in (select value from json_each(?)) order by sequence`)
        .all(JSON.stringify(opened)) as { sequence: number }[]
    ).map((r) => r.sequence);
    expect(sequences).toEqual(Array.from({ length: 8 }, (_, i) => before + 1 + i));
    expect(last()).toBe(before + 8);
    // The counter the numbers came from is the database's, and stands where the cases do.
    const counter = registry
      .prepare(`select last_sequence from case_number_counters where court_code = ? and year = ? and type_code = '执'`)
      .get(receiving, year) as { last_sequence: number };
    expect(counter.last_sequence).toBe(before + 8);
  }, 60_000);

  it('continues after cases written behind the counter (an import), never reusing their numbers', async () => {
    const courts = basicCourts('川01');
    const receiving = courts[5]!;
    const [a, b] = openCases(
      courts.filter((c) => c !== receiving),
      2,
    );
    const first = await decideOn(gateways[0]!, directed(a!, receiving));
    expect(first.errors).toBeUndefined();
    const seqOf = (n: string) => (registry.prepare('select sequence from cases where number = ?').get(n) as { sequence: number }).sequence;
    const firstSeq = seqOf(first.data!.decideTransfer.transfer.cases[0]!.to!.number);
    // An import writes a case numbered three ahead of the counter, as `npm run import` would (the counter untouched).
    const writer = new Database(databaseFile(dir, 'case-registry'));
    const template = writer.prepare('select * from cases where number = ?').get(a) as Record<string, unknown>;
    const imported = `(${year})${receiving}执${firstSeq + 3}号`;
    writer
      .prepare(
        `insert into cases (number, year, court_code, type_code, sequence, executing_court, status, filed_at, obligation, category, amount_due,
           amount_recovered, lineage_root) values (?, ?, ?, '执', ?, ?, 'FILED', ?, ?, ?, ?, 0, ?)`,
      )
      .run(
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
    writer.close();
    const second = await decideOn(gateways[1]!, directed(b!, receiving));
    expect(second.errors, JSON.stringify(second.errors)).toBeUndefined();
    expect(seqOf(second.data!.decideTransfer.transfer.cases[0]!.to!.number)).toBe(firstSeq + 4);
  }, 60_000);
});
