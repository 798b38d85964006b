import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../../lib/dataFiles';
import { startGraph, type RunningGraph } from '../../scripts/graph';
import { copyTestProvince, DIALECTS, postGraphQL, startTestGraph, testDataDir, testToday } from '../support/graph';
import { copyTestStore, type Records, type TestStore } from '../support/stores';
import { alive, freePort, jsonLines, killGroup, ROOT, sleep, spawnTsx, waitFor, waitUntilServing, type Child } from '../support/processes';

/**
 * Issue 13, items 2 and 3 (the store under a write): a database locked by another writer past STORE_BUSY_TIMEOUT_MS,
 * and a read-only data directory, through the real HTTP gateway and, for the read-only store, a subgraph process of
 * its own (scripts/runSubgraph.ts) held to the files' modes.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const databasesIn = (dir: string) => readdirSync(dir).filter((f) => /\.db(-wal|-shm)?$/.test(f));

const DECIDE = `mutation ($input: DecideTransferInput!) { decideTransfer(input: $input) { replayed transfer { id cases { to { number } } } } }`;

type Reply = { data?: any; errors?: { message: string; extensions?: Record<string, string> }[] };

async function postAs(url: string, court: string, query: string, variables: Record<string, unknown>): Promise<Reply> {
  const { status, body } = await postGraphQL(url, query, variables, { as: court });
  expect(status).toBe(200);
  return body as Reply;
}

/** Another process holding the write lock on `file` (BEGIN IMMEDIATE) for `holdMs`, as the sqlite3 CLI would. */
async function holdWriteLock(file: string, holdMs: number): Promise<{ released: Promise<unknown> }> {
  const script = `const D = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'better-sqlite3'))});
    const db = new D(${JSON.stringify(file)}); db.exec('BEGIN IMMEDIATE'); console.log('locked');
    setTimeout(() => { db.exec('COMMIT'); db.close(); console.log('released'); }, ${holdMs});`;
  const proc = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => void proc.kill('SIGKILL'));
  let out = '';
  await new Promise<void>((resolve, reject) => {
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      if (out.includes('locked')) resolve();
    });
    proc.once('exit', () => reject(new Error(`the lock holder exited: ${out}`)));
  });
  return { released: new Promise((resolve) => proc.once('exit', resolve)) };
}

/**
 * Another session of the registry's PostgreSQL database holding an exclusive lock on the tables a decision writes for
 * `holdMs` (PostgreSQL's counterpart of SQLite's write lock: the decision's writes wait up to lock_timeout, which
 * STORE_BUSY_TIMEOUT_MS sets).
 */
async function holdTableLocks(url: string, holdMs: number): Promise<{ released: Promise<unknown> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('begin');
  await client.query('lock table cases, transfers, idempotency_keys in exclusive mode');
  cleanups.push(() => client.end().catch(() => {}));
  const released = new Promise((resolve) => setTimeout(resolve, holdMs)).then(() => client.query('commit')).then(() => client.end());
  return { released };
}

describe.each(DIALECTS)(
  'issue 13 item 2: every write attempt is audited, a refusal because the database is busy included, on %s',
  (dialect) => {
    let store: TestStore;
    let graph: RunningGraph;
    let registry: Records;
    let personnel: Records;
    const waitMs = 800;

    beforeAll(async () => {
      store = await copyTestStore(dialect);
      cleanups.push(() => store.drop());
      graph = await startGraph(
        {
          PORT: 0,
          HOST: '127.0.0.1',
          dataDir: store.dir,
          AS_OF_DATE: testToday(),
          LOG_LEVEL: 'silent',
          STORE_BUSY_TIMEOUT_MS: waitMs,
        },
        { databases: store.databases },
      );
      cleanups.push(() => graph.close());
      registry = store.records('case-registry');
      personnel = store.records('personnel');
    });

    /** The registry's store locked by another writer for `holdMs`: SQLite's write lock, or PostgreSQL's table locks. */
    const holdLock = (holdMs: number) =>
      dialect === 'sqlite'
        ? holdWriteLock(databaseFile(store.dir, 'case-registry'), holdMs)
        : holdTableLocks(store.databases!.urls['case-registry']!, holdMs);

    /** A directed transfer of one open case between two basic courts of 川01, decided by 川01. */
    async function decision(nth: number) {
      const courts = (
        await registry.all<{ code: string }>(`select code from courts where level = 'BASIC' and prefecture = '川01' order by code`)
      ).map((r) => r.code);
      const from = courts[4 + nth]!;
      const open = (await registry.get<{ number: string }>(
        `select c.number from cases c where c.status = 'EXECUTING' and c.filed_at < ? and c.executing_court = ?
       and not exists (select 1 from cases n where n.transferred_from = c.number) order by c.number limit 1`,
        testToday(),
        from,
      ))!;
      const supervisor = (await personnel.get<{ id: string }>(`select id from officers where court_code = '川01' order by id limit 1`))!.id;
      return {
        mode: 'DIRECTED',
        caseNumbers: [open.number],
        receivingCourt: courts[12 + nth]!,
        decidingCourt: '川01',
        supervisor,
        reasons: ['LONG_UNEXECUTED'],
        note: '锁等待测试',
        idempotencyKey: `busy-${nth}-${randomUUID()}`,
      };
    }

    const counts = async () => {
      const n = async (t: string) => (await registry.get<{ n: number }>(`select count(*) n from ${t}`))!.n;
      return {
        cases: await n('cases'),
        transfers: await n('transfers'),
        transfer_cases: await n('transfer_cases'),
        supervision_events: await n('supervision_events'),
        idempotency_keys: await n('idempotency_keys'),
        audit_log: await n('audit_log'),
      };
    };
    const auditOf = (key: string) => registry.all('select outcome, code, rule from audit_log where idempotency_key = ? order by id', key);

    it('a lock held past STORE_BUSY_TIMEOUT_MS: SOURCE_BUSY, nothing written, and the REFUSED row once the lock frees', async () => {
      const input = await decision(0);
      const before = await counts();
      const lock = await holdLock(waitMs + 1500);
      const reply = await postAs(graph.gateway.url, '川01', DECIDE, { input });
      expect(reply.errors, JSON.stringify(reply)).toHaveLength(1);
      expect(reply.errors![0]!.extensions).toMatchObject({ code: 'SOURCE_BUSY', rule: 'DATABASE_BUSY' });
      expect(reply.errors![0]!.message).toContain('retry with the same idempotencyKey is safe');
      expect(reply.data?.decideTransfer ?? null).toBeNull();
      await lock.released;
      const row = await waitFor('the audit record of the refused attempt', async () => (await auditOf(input.idempotencyKey))[0], 5000, 50);
      expect(row).toEqual({ outcome: 'REFUSED', code: 'SOURCE_BUSY', rule: 'DATABASE_BUSY' });
      expect(await counts()).toEqual({ ...before, audit_log: before.audit_log + 1 });
    });

    // PostgreSQL's own fault, which SQLite (a file in the process) has no counterpart of: the server ends the subgraph's
    // connections (pg_terminate_backend, as a fail-over or an operator would). The pool drops them and connects anew: a
    // decision after it is answered and written once, and the graph goes on reading.
    it.runIf(dialect === 'postgres')('connections ended by the server: the next decision is written once on new connections', async () => {
      const READ = `{ court(code: "川01") { name openCaseCount } }`;
      // The registry subgraph's pool holds connections (application_name court-enforcement-graph, lib/database.ts):
      // those are the ones ended, not the test's own.
      expect((await postAs(graph.gateway.url, '川01', READ, {})).errors).toBeUndefined();
      const url = store.databases!.urls['case-registry']!;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const terminated = await admin.query<{ n: number }>(
        `select count(*)::int n from (select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and application_name = 'court-enforcement-graph') t`,
      );
      await admin.end();
      expect(terminated.rows[0]!.n).toBeGreaterThan(0);
      const input = await decision(2);
      const before = await counts();
      const reply = await postAs(graph.gateway.url, '川01', DECIDE, { input });
      expect(reply.errors, JSON.stringify(reply)).toBeUndefined();
      expect(reply.data.decideTransfer.replayed).toBe(false);
      expect(await auditOf(input.idempotencyKey)).toEqual([{ outcome: 'ACCEPTED', code: null, rule: null }]);
      expect(await counts()).toMatchObject({ transfers: before.transfers + 1, idempotency_keys: before.idempotency_keys + 1 });
      const read = await postAs(graph.gateway.url, '川01', READ, {});
      expect(read.errors, JSON.stringify(read.errors)).toBeUndefined();
    });

    it('a lock released within the wait: the decision commits and the client is answered', async () => {
      const input = await decision(1);
      const before = await counts();
      const lock = await holdLock(250);
      const reply = await postAs(graph.gateway.url, '川01', DECIDE, { input });
      await lock.released;
      expect(reply.errors, JSON.stringify(reply)).toBeUndefined();
      expect(reply.data.decideTransfer.replayed).toBe(false);
      expect(reply.data.decideTransfer.transfer.cases).toHaveLength(1);
      expect(await auditOf(input.idempotencyKey)).toEqual([{ outcome: 'ACCEPTED', code: null, rule: null }]);
      expect(await counts()).toMatchObject({
        transfers: before.transfers + 1,
        idempotency_keys: before.idempotency_keys + 1,
        audit_log: before.audit_log + 1,
      });
    });
  },
);

// ---- item 3 -------------------------------------------------------------------------------------------------------
// SQLite only: a read-only data directory is a matter of file modes. PostgreSQL's counterpart (a role without write
// grants, a database in read-only transactions) is the store's `not-writable` class (lib/database.ts storeFault).

/**
 * Tests run as root, whom file modes do not stop. The subgraph process is started under `setpriv` with
 * CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER dropped from its bounding set: still uid 0, but held to the
 * files' modes like any other user, so a chmod'ed data directory is really read-only to it (open(2) and access(2)
 * both refuse with EACCES, as on a read-only mount).
 */
const UNPRIVILEGED = ['setpriv', '--bounding-set=-dac_override,-dac_read_search,-fowner'];

/** Makes a data directory and its databases read-only (cleanup puts the modes back). */
function makeReadOnly(dir: string): void {
  for (const f of databasesIn(dir)) chmodSync(path.join(dir, f), 0o444);
  chmodSync(dir, 0o555);
  cleanups.push(() => {
    chmodSync(dir, 0o755);
    for (const f of databasesIn(dir)) chmodSync(path.join(dir, f), 0o644);
  });
}

async function startReadOnlyRegistry(dir: string): Promise<{ child: Child; url: string }> {
  const port = await freePort();
  const child = spawnTsx(
    ['scripts/runSubgraph.ts', 'case-registry'],
    {
      DATA_DIR: dir,
      PORT: String(port),
      HOST: '127.0.0.1',
      AS_OF_DATE: testToday(),
      GATEWAY_JWKS_FILE: path.join(dir, 'keys', 'gateway-jwks.json'),
      LOG_LEVEL: 'info',
    },
    { wrapper: UNPRIVILEGED },
  );
  cleanups.push(() => killGroup(child));
  await waitUntilServing(child, `http://127.0.0.1:${port}/health/live`);
  return { child, url: `http://127.0.0.1:${port}/graphql` };
}

async function readiness(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url.replace(/\/graphql$/, '/health/ready'));
  return { status: res.status, body: await res.json() };
}

describe('issue 13 item 3: a read-only data directory', () => {
  it('readiness reports the store; a mutation is refused with SOURCE_NOT_WRITABLE and a log line; reads go on; the process lives', async () => {
    const dir = copyTestProvince();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // A connection of the test's keeps the -wal and -shm files there, as a running system's would.
    const keeper = new Database(databaseFile(dir, 'case-registry'));
    keeper.pragma('journal_mode = WAL');
    keeper.prepare('select count(*) from cases').get();
    cleanups.push(() => void keeper.close());
    expect(existsSync(`${databaseFile(dir, 'case-registry')}-shm`)).toBe(true);
    makeReadOnly(dir);
    const { child, url } = await startReadOnlyRegistry(dir);

    const own = await readiness(url);
    expect(own).toEqual({
      status: 503,
      body: { status: 'read-only', subgraph: 'case-registry', reason: 'its database cannot be written' },
    });
    const graph = await startTestGraph({}, { CASE_REGISTRY_URL: url });
    cleanups.push(() => graph.close());
    const gateway = await readiness(graph.gateway.url);
    expect(gateway.status).toBe(200);
    expect(gateway.body).toMatchObject({ status: 'degraded', failing: ['case-registry'], subgraphs: { 'case-registry': 'read-only' } });

    const registry = new Database(databaseFile(dir, 'case-registry'), { readonly: true });
    const courts = (
      registry.prepare(`select code from courts where level = 'BASIC' and prefecture = '川01' order by code`).all() as { code: string }[]
    ).map((r) => r.code);
    const open = registry
      .prepare(`select number from cases where status = 'EXECUTING' and filed_at < ? and executing_court = ? order by number limit 1`)
      .get(testToday(), courts[6]) as { number: string };
    const auditRows = (registry.prepare('select count(*) n from audit_log').get() as { n: number }).n;
    registry.close();
    const personnel = new Database(databaseFile(testDataDir(), 'personnel'), { readonly: true });
    const supervisor = (personnel.prepare(`select id from officers where court_code = '川01' order by id limit 1`).get() as { id: string })
      .id;
    personnel.close();
    const input = {
      mode: 'DIRECTED',
      caseNumbers: [open.number],
      receivingCourt: courts[14],
      decidingCourt: '川01',
      supervisor,
      reasons: ['LONG_UNEXECUTED'],
      note: '只读测试',
      idempotencyKey: `read-only-${randomUUID()}`,
    };
    const reply = await postAs(graph.gateway.url, '川01', DECIDE, { input });
    expect(reply.errors, JSON.stringify(reply)).toHaveLength(1);
    expect(reply.errors![0]!.extensions).toMatchObject({ code: 'SOURCE_NOT_WRITABLE', rule: 'DATABASE_NOT_WRITABLE', field: 'input' });
    await waitFor('the refusal in the log', async () => child.stdout().includes('write refused: the database cannot be written'), 5000, 50);
    const line = jsonLines(child.stdout()).find((l) => l.msg === 'write refused: the database cannot be written');
    expect(line).toMatchObject({ operation: 'decideTransfer', idempotencyKey: input.idempotencyKey, rule: 'DATABASE_NOT_WRITABLE' });
    expect(String(line!.sqlite)).toMatch(/^SQLITE_READONLY/);

    // Reads are still answered, and the process is alive and ready to say so.
    const read = await postAs(graph.gateway.url, '川', `{ case(number: ${JSON.stringify(open.number)}) { number status } }`, {});
    expect(read.errors).toBeUndefined();
    expect(read.data.case).toEqual({ number: open.number, status: 'EXECUTING' });
    expect(alive(child)).toBe(true);
    expect((await readiness(url)).body.status).toBe('read-only');
    const after = new Database(databaseFile(dir, 'case-registry'), { readonly: true });
    expect((after.prepare('select count(*) n from audit_log').get() as { n: number }).n).toBe(auditRows);
    after.close();
  }, 60_000);

  it('a read-only directory without -wal/-shm files: the subgraph starts, logs, and reports read-only instead of dying', async () => {
    const dir = copyTestProvince();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    makeReadOnly(dir);
    const { child, url } = await startReadOnlyRegistry(dir);
    expect(await readiness(url)).toMatchObject({ status: 503, body: { status: 'read-only' } });
    await waitFor('the log line', async () => child.stdout().includes('database opened but cannot be written'), 5000, 50);
    await sleep(300);
    expect(alive(child)).toBe(true);
  }, 40_000);
});
