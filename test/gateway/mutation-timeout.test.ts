import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type RunningGraph } from '../../scripts/graph';
import { copyTestProvince, postGraphQL, testToday } from '../support/graph';

/**
 * Issue 13, item 2 (gateway side): a mutation's time-out (SUBGRAPH_MUTATION_TIMEOUT_MS) is its own, longer than a
 * read's, and a mutation that times out answers OUTCOME_UNKNOWN, saying a retry with the same idempotencyKey is safe;
 * such time-outs never open the registry's circuit breaker for other viewers. A delaying proxy on loopback in front of
 * the real registry stalls the writes; the registry itself writes on a private copy of the test province.
 */

interface Stalling {
  url: string;
  /** How long to hold a request whose body matches, before passing it on (0: pass at once). */
  stallMs: { mutation: number; read: number };
  close: () => Promise<void>;
}

/** An HTTP proxy to `target` that holds each request for `stallMs` (by whether it is a mutation), then forwards it. */
async function stallingProxy(target: string): Promise<Stalling> {
  const stallMs = { mutation: 0, read: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const mutation = /^\s*mutation\b/.test((JSON.parse(body) as { query?: string }).query ?? '');
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)),
      ) as Record<string, string>;
      setTimeout(
        async () => {
          try {
            const answer = await fetch(target, { method: 'POST', headers, body });
            const text = await answer.text();
            if (!res.destroyed)
              res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(text);
          } catch {
            if (!res.destroyed) res.writeHead(502).end();
          }
        },
        mutation ? stallMs.mutation : stallMs.read,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stallMs,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Err = { message: string; extensions?: Record<string, unknown> };
interface Decided {
  decideTransfer: { replayed: boolean; transfer: { id: string; mode: string } } | null;
}

const DECIDE = `mutation ($input: DecideTransferInput!) { decideTransfer(input: $input) { replayed transfer { id mode } } }`;

let dir: string;
let hostGraph: RunningGraph;
let proxy: Stalling;
let graph: RunningGraph;
let registry: Database.Database;

const today = testToday();
const settings = { PORT: 0, HOST: '127.0.0.1', AS_OF_DATE: today, LOG_LEVEL: 'silent' as const };

beforeAll(async () => {
  dir = copyTestProvince();
  // The registry (and the rest) hosted on the copy; the gateway under test reaches the registry through the proxy.
  hostGraph = await startGraph({ ...settings, dataDir: dir });
  proxy = await stallingProxy(hostGraph.subgraphUrls['case-registry']);
  graph = await startGraph({
    ...settings,
    dataDir: dir,
    CASE_REGISTRY_URL: proxy.url,
    SUBGRAPH_TIMEOUT_MS: 500,
    SUBGRAPH_MUTATION_TIMEOUT_MS: 2500,
    BREAKER_FAILURES: 2,
  });
  registry = new Database(path.join(dir, 'case-registry.db'), { readonly: true, fileMustExist: true });
});

afterAll(async () => {
  registry?.close();
  await graph?.close();
  await proxy?.close();
  await hostGraph?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Open cases of basic courts of 川01 no test has decided on yet, for deadline orders by 川01. */
const openCases = (() => {
  let taken = 0;
  return () => {
    const rows = registry
      .prepare(
        `select c.number from cases c join courts k on k.code = c.executing_court
         where c.status = 'EXECUTING' and k.level = 'BASIC' and k.prefecture = '川01' and c.filed_at < ?
           and not exists (select 1 from transfer_cases t where t.from_case = c.number) order by c.number limit 1 offset ?`,
      )
      .all(today, taken++) as { number: string }[];
    expect(rows).toHaveLength(1);
    return rows[0]!.number;
  };
})();

function decision(caseNumber: string, idempotencyKey = `mt-${randomUUID()}`) {
  return {
    mode: 'DEADLINE_ORDER',
    caseNumbers: [caseNumber],
    decidingCourt: '川01',
    supervisor: officerOf('川01'),
    reasons: ['LONG_UNEXECUTED'],
    note: '写入超时测试',
    idempotencyKey,
  };
}

function officerOf(court: string): string {
  const personnel = new Database(path.join(dir, 'personnel.db'), { readonly: true, fileMustExist: true });
  try {
    return (personnel.prepare('select id from officers where court_code = ? order by id limit 1').get(court) as { id: string }).id;
  } finally {
    personnel.close();
  }
}

const decisionsOn = (caseNumber: string) =>
  (registry.prepare('select count(*) n from transfer_cases where from_case = ?').get(caseNumber) as { n: number }).n;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('issue 13 item 2: a mutation has its own, longer time-out', () => {
  it('a write held 1000 ms (past the 500 ms read time-out, within the 2500 ms mutation time-out) is answered', async () => {
    proxy.stallMs.mutation = 1000;
    const caseNumber = openCases();
    const r = await postGraphQL<Decided>(graph.gateway.url, DECIDE, { input: decision(caseNumber) }, { as: '川01' });
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.decideTransfer?.replayed).toBe(false);
    expect(decisionsOn(caseNumber)).toBe(1);
  });

  it('a read held as long times out (SOURCE_TIMEOUT at the read time-out)', async () => {
    proxy.stallMs.read = 1000;
    try {
      const r = await postGraphQL(graph.gateway.url, '{ court(code: "川0104") { name } }', undefined, { as: '川01' });
      expect((r.body.errors as Err[] | undefined)?.[0]?.extensions).toMatchObject({ code: 'SOURCE_TIMEOUT', serviceName: 'case-registry' });
    } finally {
      proxy.stallMs.read = 0;
      // The read's time-out counted against the breaker (BREAKER_FAILURES 2): a good read closes the count again.
      await postGraphQL(graph.gateway.url, '{ court(code: "川0104") { name } }', undefined, { as: '川01' });
    }
  });
});

describe('issue 13 item 2: a mutation that times out says its outcome is unknown and that a retry is safe', () => {
  it('answers OUTCOME_UNKNOWN naming the idempotency key; the retry with the same key writes nothing more', async () => {
    proxy.stallMs.mutation = 4000;
    const caseNumber = openCases();
    const input = decision(caseNumber);
    const first = await postGraphQL<Decided>(graph.gateway.url, DECIDE, { input }, { as: '川01' });
    expect(first.status).toBe(200);
    const err = (first.body.errors as Err[])[0]!;
    expect(err.extensions).toMatchObject({ code: 'OUTCOME_UNKNOWN', serviceName: 'case-registry' });
    expect(err.message).toContain('outcome is unknown');
    expect(err.message).toContain('same idempotencyKey is safe');
    expect(err.message).not.toMatch(/127\.0\.0\.1|http:\/\//);
    // The proxy passes the write on after its stall: the decision was in fact recorded.
    for (let i = 0; i < 60 && decisionsOn(caseNumber) === 0; i++) await sleep(100);
    expect(decisionsOn(caseNumber)).toBe(1);
    proxy.stallMs.mutation = 0;
    const retry = await postGraphQL<Decided>(graph.gateway.url, DECIDE, { input }, { as: '川01' });
    expect(retry.body.errors).toBeUndefined();
    expect(retry.body.data?.decideTransfer?.replayed).toBe(true);
    expect(decisionsOn(caseNumber)).toBe(1);
  });

  it('mutation time-outs do not open the breaker: after three in a row (BREAKER_FAILURES 2) another viewer reads', async () => {
    proxy.stallMs.mutation = 4000;
    try {
      const attempts = await Promise.all(
        [0, 1, 2].map(() => postGraphQL(graph.gateway.url, DECIDE, { input: decision(openCases()) }, { as: '川01' })),
      );
      for (const a of attempts) expect((a.body.errors as Err[])[0]?.extensions?.code).toBe('OUTCOME_UNKNOWN');
      const other = await postGraphQL<{ court: { name: string } }>(graph.gateway.url, '{ court(code: "川0105") { name } }', undefined, {
        as: '川0105',
      });
      expect(other.body.errors).toBeUndefined();
      expect(other.body.data?.court?.name).toBeTruthy();
    } finally {
      proxy.stallMs.mutation = 0;
      // Let the held writes reach the registry before the graph closes.
      await sleep(2000);
    }
  });
});
