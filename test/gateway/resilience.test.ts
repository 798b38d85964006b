import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGraph } from '../../scripts/graph';
import { SUBGRAPHS } from '../../subgraphs/catalogue';
import { SubgraphDataSource } from '../../gateway/subgraphTransport';
import { copyTestProvince, startTestGraph, testToday, tokenFor } from '../support/graph';
import { freePort, sleep, waitFor } from '../support/processes';

/**
 * Issue 6, items 1-4 (partial failure, health, graceful shutdown, observability), through real HTTP: subgraphs
 * killed, hanging, answering 500 with a stack trace, resetting connections; the circuit breaker; request ids;
 * Prometheus metrics; health endpoints; SIGTERM during a long request.
 */

// ---- helpers ------------------------------------------------------------------------------------------------

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const today = testToday();

/** Registry fields (name, openCaseCount) and personnel fields (enforcementStaffCount, officers) of one court. */
const MIXED = `{ court(code: "川01") { name openCaseCount enforcementStaffCount officers { id } } }`;

type Err = { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> };
type CourtView = { name: string; openCaseCount: number; enforcementStaffCount: number | null; officers: { id: string }[] | null };
type Body = { data?: { court?: CourtView | null; [k: string]: unknown } | null; errors?: Err[] };
interface Reply {
  status: number;
  text: string;
  body: Body;
  headers: Headers;
  ms: number;
}

const base = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '');

/** A GraphQL POST over real HTTP as the high court (or with a given token), body text kept for leak checks. */
async function gql(
  url: string,
  query: string,
  opts: { variables?: Record<string, unknown>; headers?: Record<string, string>; token?: string } = {},
): Promise<Reply> {
  const token = opts.token ?? (await tokenFor('川'));
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...opts.headers },
    body: JSON.stringify({ query, variables: opts.variables }),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  let body: Body = {};
  try {
    body = JSON.parse(text) as Body;
  } catch {
    // not JSON: the text is still checked
  }
  return { status: res.status, text, body, headers: res.headers, ms };
}

async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, body };
}

async function answers200(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await res.arrayBuffer();
  return res.status === 200;
}

/** Whether a fresh connection to the port is refused (nothing listens). */
function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

/** The text must not carry an address, a port, a path or a stack trace of the subgraph's. */
function expectNoLeak(text: string, extra: string[] = []) {
  for (const needle of ['127.0.0.1', 'localhost', 'http://', 'stacktrace', 'at Object', '/srv/secret', 'node_modules', ...extra]) {
    expect(text, `response leaks ${JSON.stringify(needle)}`).not.toContain(needle);
  }
  expect(text).not.toMatch(/\n\s+at \S/);
  expect(text).not.toMatch(/\bat \S+ \(/);
}

/** Exactly one error, for `service`, with one of `allowed` codes. */
function expectOneSourceError(r: Reply, service: string, allowed: string[]): Err {
  expect(r.body.errors, r.text).toHaveLength(1);
  const err = r.body.errors![0]!;
  expect(allowed, r.text).toContain(err.extensions?.code);
  expect(err.extensions?.serviceName).toBe(service);
  return err;
}

/** Registry part answered, personnel part null. */
function expectRegistryOnly(r: Reply, baseline: CourtView) {
  expect(r.status).toBe(200);
  expect(r.body.data?.court).toBeTruthy();
  expect(r.body.data!.court!.name).toBe(baseline.name);
  expect(r.body.data!.court!.openCaseCount).toBe(baseline.openCaseCount);
  expect(r.body.data!.court!.enforcementStaffCount).toBeNull();
  expect(r.body.data!.court!.officers).toBeNull();
}

// ---- Prometheus text ------------------------------------------------------------------------------------------

/** The value of one sample `name{labels}` (labels matched as a subset), or undefined if absent. */
function metric(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) total = (total ?? 0) + Number(m[3]);
  }
  return total;
}

async function metricsOf(graph: RunningGraph): Promise<string> {
  const res = await fetch(`${base(graph.gateway.url)}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

// ---- fake subgraphs ---------------------------------------------------------------------------------------------

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Fake {
  url: string;
  port: number;
  /** POST /graphql requests that reached the fake (headers at least). */
  requests: Recorded[];
  close: () => Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string, n: number) => void | Promise<void>;

/**
 * A fake subgraph on a free loopback port. `/health/*` answers 200 (unless `health` says otherwise); each POST to
 * /graphql is recorded (before its body is read, so a request whose socket is destroyed is still counted) and
 * passed to `handler` with its number (0-based).
 */
async function startFake(handler: Handler, opts: { health?: number; readBody?: boolean } = {}): Promise<Fake> {
  const requests: Recorded[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/health/')) {
      res.writeHead(opts.health ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: (opts.health ?? 200) === 200 ? 'ready' : 'unavailable' }));
      return;
    }
    const record: Recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' };
    requests.push(record);
    const n = requests.length - 1;
    if (opts.readBody === false) {
      void handler(req, res, '', n);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      record.body = Buffer.concat(chunks).toString('utf8');
      Promise.resolve(handler(req, res, record.body, n)).catch(() => {
        if (!res.headersSent) res.writeHead(502).end();
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Passes the request (body, authorization, request id) on to a real subgraph and its answer back. */
async function proxyTo(target: string, req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const h of ['authorization', 'x-request-id', 'accept']) {
    const v = req.headers[h];
    if (typeof v === 'string') headers[h] = v;
  }
  const upstream = await fetch(target, { method: 'POST', headers, body });
  const text = await upstream.text();
  res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
  res.end(text);
}

// ---- child processes ------------------------------------------------------------------------------------------

interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `tsx <args>` in its own process group (tsx runs the script in a child of its own). */
function spawnTsx(args: string[], env: Record<string, string>): Child {
  const proc = spawn(TSX, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { proc, stdout: () => out, stderr: () => err, exited };
}

const alive = (c: Child | undefined) => !!c && c.proc.exitCode === null && c.proc.signalCode === null;

/** SIGKILLs the child's whole process group (tsx and the node process it runs), and waits for it to go. */
async function killGroup(c: Child | undefined): Promise<void> {
  if (!c?.proc.pid) return;
  try {
    process.kill(-c.proc.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  if (alive(c)) await c.exited;
}

function startPersonnelProcess(dataDir: string, port: number): Child {
  return spawnTsx(['scripts/runSubgraph.ts', 'personnel'], {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    AS_OF_DATE: today,
    LOG_LEVEL: 'silent',
  });
}

// ---- shared fixtures --------------------------------------------------------------------------------------------

/** Cleanup for everything a test starts, run in afterAll even when the test fails. */
const cleanups: (() => Promise<unknown> | unknown)[] = [];
const later = <T>(value: T, close: (v: T) => Promise<unknown> | unknown): T => {
  cleanups.push(() => close(value));
  return value;
};

/** A graph with every subgraph hosted on loopback: the reference answers, and the real subgraphs fakes proxy to. */
let plain: RunningGraph;
let baseline: CourtView;

beforeAll(async () => {
  plain = later(await startTestGraph(), (g) => g.close());
  const r = await gql(plain.gateway.url, MIXED);
  expect(r.status).toBe(200);
  expect(r.body.errors).toBeUndefined();
  baseline = r.body.data!.court!;
  expect(baseline.name).toBeTruthy();
  expect(typeof baseline.enforcementStaffCount).toBe('number');
  expect(baseline.officers!.length).toBeGreaterThan(0);
}, 120_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) {
    try {
      await c();
    } catch {
      // keep cleaning
    }
  }
}, 60_000);

/** A graph on the seeded province with the given settings (subgraph URLs, time-outs, breaker). */
async function graphWith(settings: Parameters<typeof startTestGraph>[1]): Promise<RunningGraph> {
  return later(await startTestGraph({}, settings), (g) => g.close());
}

async function fake(handler: Handler, opts?: { health?: number; readBody?: boolean }): Promise<Fake> {
  return later(await startFake(handler, opts), (f) => f.close());
}

// =================================================================================================================

describe('a subgraph process killed mid-run', () => {
  it('answers with partial data and a coded error, stays ready-but-degraded, and recovers when it returns', async () => {
    const dir = later(copyTestProvince(), (d) => rmSync(d, { recursive: true, force: true }));
    const port = await freePort();
    const readyUrl = `http://127.0.0.1:${port}/health/ready`;
    let child = startPersonnelProcess(dir, port);
    cleanups.push(() => killGroup(child));
    await waitFor('the personnel process', () => answers200(readyUrl));

    const COOLDOWN = 300;
    const graph = await graphWith({
      dataDir: dir,
      PERSONNEL_URL: `http://127.0.0.1:${port}/graphql`,
      BREAKER_FAILURES: 2,
      BREAKER_COOLDOWN_MS: COOLDOWN,
    });
    const ready = `${base(graph.gateway.url)}/health/ready`;

    const before = await gql(graph.gateway.url, MIXED);
    expect(before.status).toBe(200);
    expect(before.body.errors).toBeUndefined();
    expect(before.body.data!.court).toEqual(baseline);
    expect((await getJson(ready)).body).toMatchObject({ status: 'ready', failing: [] });

    await killGroup(child);
    // The kernel closes the dead process's sockets; wait until nothing listens on its port.
    await waitFor('the killed subgraph port to close', () => connectionRefused(port), 10_000, 50);

    // Three queries while it is down: the first ones find it unreachable, then the circuit opens (2 failures).
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await gql(graph.gateway.url, MIXED);
      expectRegistryOnly(r, baseline);
      const err = expectOneSourceError(r, 'personnel', ['SOURCE_UNAVAILABLE', 'SOURCE_CIRCUIT_OPEN']);
      seen.push(String(err.extensions?.code));
      expectNoLeak(r.text, [`:${port}`]);
      expect(Object.keys(err.extensions ?? {}).sort()).toEqual(['code', 'serviceName']);
    }
    expect(seen[0]).toBe('SOURCE_UNAVAILABLE');
    expect(seen[2]).toBe('SOURCE_CIRCUIT_OPEN');

    const degraded = await getJson(ready);
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({ status: 'degraded', failing: ['personnel'] });
    expect(JSON.stringify(degraded.body)).not.toContain(String(port));
    expect((await getJson(`${base(graph.gateway.url)}/health/live`)).status).toBe(200);

    // It comes back on the same port; after the cool-down the probe succeeds and the circuit closes.
    child = startPersonnelProcess(dir, port);
    await waitFor('the restarted personnel process', () => answers200(readyUrl));
    await sleep(COOLDOWN + 200);
    const after = await gql(graph.gateway.url, MIXED);
    expect(after.status).toBe(200);
    expect(after.body.errors, after.text).toBeUndefined();
    expect(after.body.data!.court).toEqual(baseline);
    const again = await gql(graph.gateway.url, MIXED);
    expect(again.body.errors, again.text).toBeUndefined();
    const recovered = await getJson(ready);
    expect(recovered.status).toBe(200);
    expect(recovered.body).toMatchObject({ status: 'ready', failing: [] });
  }, 90_000);
});

describe('a hanging subgraph', () => {
  it('is abandoned after SUBGRAPH_TIMEOUT_MS: partial data and SOURCE_TIMEOUT, well within 2 s', async () => {
    const hang = await fake(() => {
      // never answers
    });
    const graph = await graphWith({ PERSONNEL_URL: hang.url, SUBGRAPH_TIMEOUT_MS: 500 });
    const r = await gql(graph.gateway.url, MIXED);
    expect(r.ms).toBeLessThan(2000);
    expect(r.ms).toBeGreaterThanOrEqual(450);
    expectRegistryOnly(r, baseline);
    expectOneSourceError(r, 'personnel', ['SOURCE_TIMEOUT']);
    expectNoLeak(r.text, [`:${hang.port}`]);
    // The request did reach the hanging subgraph (it is the time-out that answered), and a time-out is not retried.
    expect(hang.requests).toHaveLength(1);
    // The rest of the graph is unaffected meanwhile.
    const registryOnly = await gql(graph.gateway.url, `{ court(code: "川01") { name openCaseCount } }`);
    expect(registryOnly.body.errors).toBeUndefined();
    expect(registryOnly.ms).toBeLessThan(1000);
  }, 60_000);
});

describe('a subgraph answering 500 with a stack trace', () => {
  const STACK =
    'Error: boom\n    at Object.<anonymous> (/srv/secret/path.js:1:1)\n    at Module._compile (node:internal/modules/cjs/loader:1256:14)';

  for (const kind of ['json', 'text'] as const) {
    it(`shows the client neither URL nor stack (${kind} body)`, async () => {
      let selfUrl = '';
      const broken = await fake((_req, res) => {
        if (kind === 'json') {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              errors: [{ message: STACK, extensions: { code: 'INTERNAL_SERVER_ERROR', url: selfUrl, stacktrace: STACK.split('\n') } }],
            }),
          );
        } else {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`${STACK}\nwhile serving ${selfUrl}`);
        }
      });
      selfUrl = broken.url;
      const graph = await graphWith({ PERSONNEL_URL: broken.url });
      const r = await gql(graph.gateway.url, MIXED);
      expect(broken.requests.length).toBeGreaterThanOrEqual(1);
      expectRegistryOnly(r, baseline);
      const err = expectOneSourceError(r, 'personnel', ['SOURCE_UNAVAILABLE']);
      expect(Object.keys(err.extensions ?? {}).sort()).toEqual(['code', 'serviceName']);
      expectNoLeak(r.text, [String(broken.port), broken.url, 'boom', 'Module._compile']);
    }, 60_000);
  }

  it('a 200 carrying a subgraph error with a stack trace: no stack, no URL either', async () => {
    let selfUrl = '';
    const broken = await fake((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          data: null,
          errors: [{ message: STACK, extensions: { code: 'INTERNAL_SERVER_ERROR', url: selfUrl, stacktrace: STACK.split('\n') } }],
        }),
      );
    });
    selfUrl = broken.url;
    const graph = await graphWith({ PERSONNEL_URL: broken.url });
    const r = await gql(graph.gateway.url, MIXED);
    expect(r.status).toBe(200);
    expect(r.body.data?.court?.name).toBe(baseline.name);
    expect(r.body.errors?.length).toBeGreaterThanOrEqual(1);
    for (const e of r.body.errors!) expect(e.extensions?.serviceName).toBe('personnel');
    expectNoLeak(r.text, [String(broken.port), broken.url, 'boom', 'Module._compile']);
  }, 60_000);
});

describe('circuit breaker', () => {
  it('opens after BREAKER_FAILURES, refuses without calling, probes after the cool-down, closes on success', async () => {
    let healthy = false;
    const flaky = await fake(async (req, res, body) => {
      if (healthy) return proxyTo(plain.subgraphUrls.personnel, req, res, body);
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'Error: boom' }] }));
    });
    const COOLDOWN = 400;
    const graph = await graphWith({ PERSONNEL_URL: flaky.url, BREAKER_FAILURES: 2, BREAKER_COOLDOWN_MS: COOLDOWN });

    // Two failures reach the subgraph (a 500 is an answer, not a connection failure: not retried).
    for (let i = 1; i <= 2; i++) {
      const r = await gql(graph.gateway.url, MIXED);
      expectRegistryOnly(r, baseline);
      expectOneSourceError(r, 'personnel', ['SOURCE_UNAVAILABLE']);
      expect(flaky.requests).toHaveLength(i);
    }
    // The third is refused at once, without a request reaching the subgraph.
    const refused = await gql(graph.gateway.url, MIXED);
    expectRegistryOnly(refused, baseline);
    expectOneSourceError(refused, 'personnel', ['SOURCE_CIRCUIT_OPEN']);
    expect(flaky.requests).toHaveLength(2);
    let m = await metricsOf(graph);
    expect(metric(m, 'subgraph_circuit_open', { subgraph: 'personnel' })).toBe(1);
    expect(metric(m, 'subgraph_fetch_failures_total', { subgraph: 'personnel', reason: 'circuit_open' })).toBeGreaterThan(0);

    // After the cool-down one probe goes through; still failing, it opens the circuit again for another cool-down.
    await sleep(COOLDOWN + 150);
    const probe1 = await gql(graph.gateway.url, MIXED);
    expectOneSourceError(probe1, 'personnel', ['SOURCE_UNAVAILABLE']);
    expect(flaky.requests).toHaveLength(3);
    const reopened = await gql(graph.gateway.url, MIXED);
    expectOneSourceError(reopened, 'personnel', ['SOURCE_CIRCUIT_OPEN']);
    expect(flaky.requests).toHaveLength(3);

    // The subgraph is healthy again: after the cool-down the probe succeeds and closes the circuit.
    healthy = true;
    await sleep(COOLDOWN + 150);
    const probe2 = await gql(graph.gateway.url, MIXED);
    expect(probe2.body.errors, probe2.text).toBeUndefined();
    expect(probe2.body.data!.court).toEqual(baseline);
    expect(flaky.requests).toHaveLength(4);
    const closed = await gql(graph.gateway.url, MIXED);
    expect(closed.body.errors, closed.text).toBeUndefined();
    expect(flaky.requests).toHaveLength(5);

    m = await metricsOf(graph);
    expect(metric(m, 'subgraph_fetch_failures_total', { subgraph: 'personnel', reason: 'circuit_open' })).toBe(2);
    expect(metric(m, 'subgraph_circuit_open', { subgraph: 'personnel' })).toBe(0);
    expect(metric(m, 'graphql_errors_total', { code: 'SOURCE_CIRCUIT_OPEN' })).toBe(2);
    expect(metric(m, 'graphql_errors_total', { code: 'SOURCE_UNAVAILABLE' })).toBe(3);
  }, 60_000);
});

describe('a subgraph call without a verified viewer (a gateway bug)', () => {
  it('fails closed without calling the subgraph and without counting against its circuit', async () => {
    const counted = await fake(async (req, res, body) => proxyTo(plain.subgraphUrls.personnel, req, res, body));
    const source = new SubgraphDataSource(
      'personnel',
      counted.url,
      plain.security.signer,
      { timeoutMs: 2000, mutationTimeoutMs: 20_000, breakerFailures: 1, breakerCooldownMs: 60_000 },
      null,
    );
    const call = (context: Record<string, unknown>) =>
      source.process({ kind: 'health check', request: { query: '{ __typename }' }, context } as never);
    for (let i = 0; i < 3; i++) await expect(call({})).rejects.toThrow(/without a verified viewer/);
    expect(counted.requests).toHaveLength(0);
    // With a breaker that opens on one failure, the circuit is still closed: the call goes through.
    const answered = await call({ viewer: { sub: 'test', court: '川', role: 'high' } });
    expect(answered.errors).toBeUndefined();
    expect(counted.requests).toHaveLength(1);
  });
});

describe('retries', () => {
  it('a read whose connection is reset is retried once and succeeds', async () => {
    const resetFirst = await fake(
      async (req, res, _body, n) => {
        if (n === 0) {
          req.socket.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        await proxyTo(plain.subgraphUrls.personnel, req, res, Buffer.concat(chunks).toString('utf8'));
      },
      { readBody: false },
    );
    const graph = await graphWith({ PERSONNEL_URL: resetFirst.url });
    const r = await gql(graph.gateway.url, MIXED);
    expect(r.status).toBe(200);
    expect(r.body.errors, r.text).toBeUndefined();
    expect(r.body.data!.court).toEqual(baseline);
    expect(resetFirst.requests).toHaveLength(2);
    const m = await metricsOf(graph);
    expect(metric(m, 'subgraph_fetch_failures_total', { subgraph: 'personnel', reason: 'retried' })).toBe(1);
  }, 60_000);

  it('a read is retried at most once', async () => {
    const resetAlways = await fake((req) => void req.socket.destroy(), { readBody: false });
    const graph = await graphWith({ PERSONNEL_URL: resetAlways.url });
    const r = await gql(graph.gateway.url, MIXED);
    expectRegistryOnly(r, baseline);
    expectOneSourceError(r, 'personnel', ['SOURCE_UNAVAILABLE']);
    expectNoLeak(r.text, [`:${resetAlways.port}`]);
    expect(resetAlways.requests).toHaveLength(2);
  }, 60_000);

  it('a mutation is never retried: exactly one request reaches the subgraph', async () => {
    const resetAlways = await fake((req) => void req.socket.destroy(), { readBody: false });
    const graph = await graphWith({ CASE_REGISTRY_URL: resetAlways.url });
    const r = await gql(graph.gateway.url, `mutation ($input: DecideTransferInput!) { decideTransfer(input: $input) { replayed } }`, {
      variables: {
        input: {
          mode: 'DEADLINE_ORDER',
          caseNumbers: ['(2026)川0104执1号'],
          decidingCourt: '川01',
          supervisor: 'nobody',
          note: 'resilience test',
          idempotencyKey: 'resilience-mutation-1',
        },
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.data ?? null).toBeNull();
    expectOneSourceError(r, 'case-registry', ['SOURCE_UNAVAILABLE']);
    expectNoLeak(r.text, [`:${resetAlways.port}`]);
    // Give a (wrong) retry time to arrive before counting.
    await sleep(300);
    expect(resetAlways.requests).toHaveLength(1);
    const m = await metricsOf(graph);
    expect(metric(m, 'subgraph_fetch_failures_total', { subgraph: 'case-registry', reason: 'retried' }) ?? 0).toBe(0);
  }, 60_000);
});

describe('request id', () => {
  let graph: RunningGraph;
  let recorder: Fake;

  beforeAll(async () => {
    recorder = await fake((req, res, body) => proxyTo(plain.subgraphUrls.personnel, req, res, body));
    graph = await graphWith({ PERSONNEL_URL: recorder.url });
  }, 60_000);

  const idsSince = (from: number) => recorder.requests.slice(from).map((r) => r.headers['x-request-id']);

  it("the caller's id comes back and reaches the subgraph", async () => {
    const from = recorder.requests.length;
    const r = await gql(graph.gateway.url, MIXED, { headers: { 'x-request-id': 'test-req-12345' } });
    expect(r.body.errors, r.text).toBeUndefined();
    expect(r.headers.get('x-request-id')).toBe('test-req-12345');
    const ids = idsSince(from);
    expect(ids.length).toBeGreaterThanOrEqual(1);
    for (const id of ids) expect(id).toBe('test-req-12345');
  });

  it('without one, a generated id comes back and is the one the subgraph received', async () => {
    const from = recorder.requests.length;
    const r = await gql(graph.gateway.url, MIXED);
    expect(r.body.errors, r.text).toBeUndefined();
    const id = r.headers.get('x-request-id');
    expect(id).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
    const ids = idsSince(from);
    expect(ids.length).toBeGreaterThanOrEqual(1);
    for (const got of ids) expect(got).toBe(id);
    // Each request its own id.
    const second = await gql(graph.gateway.url, MIXED);
    expect(second.headers.get('x-request-id')).toBeTruthy();
    expect(second.headers.get('x-request-id')).not.toBe(id);
  });

  it('an unusable id is replaced by a generated one, end to end', async () => {
    const from = recorder.requests.length;
    const junk = `x y"<script>${'z'.repeat(300)}`;
    const r = await gql(graph.gateway.url, MIXED, { headers: { 'x-request-id': junk } });
    expect(r.body.errors, r.text).toBeUndefined();
    const id = r.headers.get('x-request-id');
    expect(id).not.toBe(junk);
    expect(id).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
    for (const got of idsSince(from)) expect(got).toBe(id);
  });
});

describe('metrics', () => {
  it('the gateway exposes request counts, latency histograms, errors by code and per-subgraph fetch latency', async () => {
    const ok1 = await gql(plain.gateway.url, MIXED);
    const ok2 = await gql(plain.gateway.url, `{ court(code: "川0104") { name openCaseCount } }`);
    expect(ok1.body.errors).toBeUndefined();
    expect(ok2.body.errors).toBeUndefined();
    const bad = await gql(plain.gateway.url, `{ court(code: "川01") { noSuchField } }`);
    const badCode = String(bad.body.errors?.[0]?.extensions?.code);
    expect(badCode).toBe('GRAPHQL_VALIDATION_FAILED');

    const res = await fetch(`${base(plain.gateway.url)}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const m = await res.text();
    expect(m).toContain('# TYPE graphql_requests_total counter');
    expect(m).toContain('# TYPE graphql_request_duration_seconds histogram');
    expect(m).toContain('# TYPE subgraph_fetch_duration_seconds histogram');
    // -1 stands for a sample that is absent; each check is soft so one run shows every missing sample.
    const val = (name: string, labels: Record<string, string> = {}) => metric(m, name, labels) ?? -1;
    expect.soft(val('graphql_requests_total', { status: '200' })).toBeGreaterThanOrEqual(2);
    expect.soft(val('graphql_requests_total')).toBeGreaterThanOrEqual(3);
    expect.soft(val('graphql_request_duration_seconds_bucket', { le: '+Inf' })).toBeGreaterThanOrEqual(3);
    expect.soft(val('graphql_request_duration_seconds_count')).toBeGreaterThanOrEqual(3);
    expect.soft(val('graphql_errors_total', { code: badCode })).toBeGreaterThanOrEqual(1);
    expect.soft(val('subgraph_fetch_duration_seconds_bucket', { subgraph: 'case-registry', le: '+Inf' })).toBeGreaterThanOrEqual(2);
    expect.soft(val('subgraph_fetch_duration_seconds_bucket', { subgraph: 'personnel', le: '+Inf' })).toBeGreaterThanOrEqual(1);
    expect.soft(val('subgraph_fetch_duration_seconds_count', { subgraph: 'case-registry' })).toBeGreaterThanOrEqual(2);
    // Health probes and /metrics itself are not counted as GraphQL requests.
    const before = metric(m, 'graphql_requests_total');
    await fetch(`${base(plain.gateway.url)}/health/live`).then((r) => r.arrayBuffer());
    expect(metric(await metricsOf(plain), 'graphql_requests_total')).toBe(before);
  }, 60_000);
});

describe('health', () => {
  it('/health/live and /health/ready answer 200 without a token on the gateway', async () => {
    const live = await getJson(`${base(plain.gateway.url)}/health/live`);
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ status: 'live' });
    const ready = await getJson(`${base(plain.gateway.url)}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', supergraph: 'loaded', failing: [] });
  });

  it('/health/live and /health/ready answer 200 without a token on every hosted subgraph', async () => {
    expect(Object.keys(plain.hosted).sort()).toEqual(SUBGRAPHS.map((s) => s.name).sort());
    for (const { name } of SUBGRAPHS) {
      const url = plain.subgraphUrls[name];
      for (const probe of ['live', 'ready']) {
        const r = await getJson(url.replace(/\/graphql$/, `/health/${probe}`));
        expect(r.status, `${name} /health/${probe}`).toBe(200);
        expect(r.body).toMatchObject({ status: probe, subgraph: name });
      }
      // …while its /graphql still refuses a caller without the gateway's token.
      const gqlRes = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(gqlRes.status).toBe(401);
    }
  });

  it('a subgraph answering unready makes the gateway degraded and names it', async () => {
    const unready = await fake((_req, res) => void res.writeHead(503).end(), { health: 503 });
    const graph = await graphWith({ PERSONNEL_URL: unready.url });
    const ready = await getJson(`${base(graph.gateway.url)}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'degraded', failing: ['personnel'] });
    expect(JSON.stringify(ready.body)).not.toContain(String(unready.port));
  }, 60_000);
});

describe('graceful shutdown', () => {
  it('SIGTERM during a long request: it completes, the process exits 0, new connections are refused', async () => {
    const dir = later(copyTestProvince(), (d) => rmSync(d, { recursive: true, force: true }));
    const hang = await fake(() => {
      // never answers: the personnel part takes the full time-out
    });
    const port = await freePort();
    // With NODE_ENV=production, as an operator runs it (issue 13 item 10: Apollo's own signal handler is on whenever
    // NODE_ENV is not `test`); production needs the identity provider's keys: the test province's development key.
    const child = spawnTsx(['scripts/start.ts'], {
      NODE_ENV: 'production',
      AUTH_JWKS_FILE: path.join(dir, 'keys', 'dev-client-jwks.json'),
      DATA_DIR: dir,
      PORT: String(port),
      HOST: '127.0.0.1',
      AS_OF_DATE: today,
      PERSONNEL_URL: hang.url,
      SUBGRAPH_TIMEOUT_MS: '1500',
      LOG_LEVEL: 'info',
    });
    cleanups.push(() => killGroup(child));
    const gatewayBase = `http://127.0.0.1:${port}`;
    try {
      await waitFor('the gateway process', async () => {
        if (!alive(child)) throw new Error(`gateway exited early: ${child.stderr()}`);
        return answers200(`${gatewayBase}/health/live`);
      });
    } catch (err) {
      throw new Error(`${String(err)}\nstdout:\n${child.stdout()}\nstderr:\n${child.stderr()}`);
    }
    const token = await tokenFor('川');

    let settled = false;
    const inFlight = gql(`${gatewayBase}/graphql`, MIXED, { token, headers: { 'x-request-id': 'shutdown-req-0001' } }).finally(
      () => (settled = true),
    );
    // The request is inside the gateway (it reached the hanging subgraph) when the signal comes: a connection whose
    // request has not been read yet is idle, and closing drops it.
    await waitFor('the request to reach the hanging subgraph', async () => hang.requests.length > 0, 10_000, 20);
    expect(settled).toBe(false);
    const killedAt = performance.now();
    expect(child.proc.kill('SIGTERM')).toBe(true);

    // While draining, the gateway no longer accepts connections.
    await sleep(300);
    expect(settled).toBe(false);
    expect(await connectionRefused(port)).toBe(true);

    const r = await inFlight;
    expect(r.status).toBe(200);
    expect(r.body.data?.court?.name).toBe(baseline.name);
    expect(r.body.data?.court?.openCaseCount).toBe(baseline.openCaseCount);
    expect(r.body.data?.court?.enforcementStaffCount).toBeNull();
    expectOneSourceError(r, 'personnel', ['SOURCE_TIMEOUT']);
    expect(r.headers.get('x-request-id')).toBe('shutdown-req-0001');

    const exit = await Promise.race([child.exited, sleep(30_000).then(() => null)]);
    expect(exit, `the gateway did not exit within 30 s of SIGTERM\nstderr:\n${child.stderr()}`).not.toBeNull();
    expect(exit, `stderr:\n${child.stderr()}`).toEqual({ code: 0, signal: null });
    // It did not wait out the whole grace period.
    expect(performance.now() - killedAt).toBeLessThan(10_000);
    expect(await connectionRefused(port)).toBe(true);

    // Structured JSON logs with request ids, the in-flight request's among them.
    const logs = child
      .stdout()
      .split('\n')
      .flatMap((line) => {
        try {
          const v = JSON.parse(line) as unknown;
          return v && typeof v === 'object' ? [v as Record<string, unknown>] : [];
        } catch {
          return [];
        }
      });
    expect(logs.some((l) => typeof l.requestId === 'string' && l.requestId.length > 0)).toBe(true);
    const line = logs.find((l) => l.requestId === 'shutdown-req-0001' && l.status === 200 && l.court === '川');
    expect(line, child.stdout()).toBeTruthy();
    expect(line!.path, `the request line logs the path the client called: ${JSON.stringify(line)}`).toBe('/graphql');
  }, 90_000);
});
