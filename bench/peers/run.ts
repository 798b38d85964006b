import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { assessProvince } from '../../jobs/assess';
import { ensureDevKeys, devKeyFiles } from '../../lib/auth';
import { carrierGrantKeysOf, ensureCarrierGrantKeys } from '../../lib/carrierGrant';
import { loadConfig } from '../../lib/config';
import { databaseFile } from '../../lib/dataFiles';
import { loadSecurity } from '../../gateway/security';
import { readSupergraph } from '../../gateway/supergraph';
import { mintDevToken } from '../../scripts/token';
import { SUBGRAPHS } from '../../subgraphs/catalogue';
import { captureQueries, replayFloor, type FloorFigures } from './floor';
import { NODE_FLAGS, type CompiledScript } from '../../scripts/nodeFlags';
import { percentile, runRound, type RoundResult } from './load';
import { cpuSeconds, rssMb, rssPeak } from './proc';

/*
 * `npm run bench:peers` (bench/README.md): the product's gateway (A) beside plain @apollo/gateway + @apollo/server (B)
 * and Hive Gateway (C), on the same four subgraph processes, the same supergraph and the same province, interleaved.
 */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type EngineName = 'A' | 'B' | 'C';
export const ENGINE_LABELS: Record<EngineName, string> = {
  A: 'product gateway',
  B: '@apollo/gateway + @apollo/server',
  C: 'Hive Gateway (stock)',
};

/** How the product's processes are run: TypeScript through tsx's loader, or the compiled JavaScript in dist/. */
export type Runner = 'tsx' | 'dist';

export interface PeersOptions {
  dataDir: string;
  asOf: string;
  rounds: number;
  seconds: number;
  connections: number;
  engines: readonly EngineName[];
  queries: readonly QueryName[];
  runner: Runner;
  /** The product processes' LOG_LEVEL. */
  logLevel: string;
  /** Replays of each query's logged statements for its SQL floor (bench/peers/floor.ts); 0 measures no floor. */
  floorRuns?: number;
  /** Requests asked one at a time (one connection, nothing else in flight) per engine, query and round, after the load. */
  singleRequests?: number;
  log: (line: string) => void;
}

export type QueryName = 'walk20' | 'walk1' | 'walk100' | 'candidates';

export const WALK_FIELDS = `id name kind
  cases { number status amountDue amountRecovered court { code name enforcementStaffCount } handler { name post isLeader } }
  properties { id kind description estimatedValue disposalStage
    measures { kind queuePosition waiting expiresAt status court { name } case { number } } }
  crossCourt { unclosedCaseCount courtCount prefectureCount outstandingAmount idlePropertyCount sharedSeizureCount expiringMeasureCount }`;

/**
 * The bench's queries. `ids`: the debtors with the most properties (heavyDebtors), heaviest first, for the 20-debtor
 * walk and the single heavy debtor's; `caseHeavy`: the debtors named in the most cases (caseHeavyDebtors), for the
 * heaviest 100-debtor walk (issue 18: 6.3 MB at 1,000,000 cases).
 */
export function queries(
  ids: readonly string[],
  caseHeavy: readonly string[] = ids,
): Record<QueryName, { label: string; query: string; variables?: object }> {
  return {
    walk20: {
      label: '20-debtor walk',
      query: `query Walk20($ids: [ID!]!) { debtors(ids: $ids) { ${WALK_FIELDS} } }`,
      variables: { ids: ids.slice(0, 20) },
    },
    walk1: { label: 'heavy debtor walk', query: `query Walk1($id: ID!) { debtor(id: $id) { ${WALK_FIELDS} } }`, variables: { id: ids[0] } },
    walk100: {
      label: 'heaviest 100-debtor walk',
      query: `query Walk100($ids: [ID!]!) { debtors(ids: $ids) { ${WALK_FIELDS} } }`,
      variables: { ids: caseHeavy.slice(0, 100) },
    },
    candidates: {
      label: 'transferCandidates(first: 20)',
      query: `query Candidates { transferCandidates(first: 20) { assessedOn nodes { urgency rulesMet recommendedMode explanation debtor { id name }
        summary { unclosedCaseCount courtCount outstandingAmount idlePropertyCount sharedSeizureCount expiringMeasureCount }
        receivingCourts { court { code name } score } } } }`,
    },
  };
}

/** The busiest debtors (most properties, then cases): the walks' subjects, heaviest first. */
export function heavyDebtors(dataDir: string, n: number): string[] {
  const property = new Database(databaseFile(dataDir, 'property-control'), { readonly: true, fileMustExist: true });
  const registry = new Database(databaseFile(dataDir, 'case-registry'), { readonly: true, fileMustExist: true });
  try {
    const owners = property
      .prepare(`select owner_id id from properties where owner_id is not null group by owner_id order by count(*) desc, owner_id limit ?`)
      .all(n * 20) as { id: string }[];
    const isDebtor = registry.prepare(`select 1 from case_parties where person_id = ? and role = 'DEBTOR' limit 1`);
    return owners
      .map((r) => r.id)
      .filter((id) => isDebtor.get(id) !== undefined)
      .slice(0, n);
  } finally {
    property.close();
    registry.close();
  }
}

/**
 * The debtors named as debtor in the most cases (ties by id), heaviest first: the heaviest 100-debtor walk's subjects.
 * At 1,000,000 cases (seed 1) the hundred are debtors in 92 to 274 cases each, 14,490 in all.
 */
export function caseHeavyDebtors(dataDir: string, n: number): string[] {
  const registry = new Database(databaseFile(dataDir, 'case-registry'), { readonly: true, fileMustExist: true });
  try {
    return (
      registry
        .prepare(
          `select person_id id from case_parties where role = 'DEBTOR' and person_id is not null
           group by person_id order by count(*) desc, person_id limit ?`,
        )
        .all(n) as { id: string }[]
    ).map((r) => r.id);
  } finally {
    registry.close();
  }
}

export interface Proc {
  name: string;
  proc: ChildProcess;
  url: string;
  /** Milliseconds from spawn to the process saying it is ready. */
  readyMs: number;
  output: () => string;
}

/** The command line that runs one of the product's scripts (`scripts/start.ts`) or a bench engine, as `runner` says. */
function command(script: string, runner: Runner): string[] {
  if (script.startsWith('bench/')) return ['--import', 'tsx', path.join(ROOT, script)];
  // The product's processes run with its production node flags (scripts/nodeFlags.ts), as the systemd units run them.
  const name = path.basename(script).replace(/\.ts$/, '.js') as CompiledScript;
  const flags = NODE_FLAGS[name] ?? [];
  if (runner === 'dist') {
    // npm run build: scripts/start.ts → dist/start.js, scripts/runSubgraph.ts → dist/runSubgraph.js.
    const compiled = path.join(ROOT, 'dist', name);
    if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run npm run build first`);
    return [...flags, compiled];
  }
  return [...flags, '--import', 'tsx', path.join(ROOT, script)];
}

/** Spawns node on a script in its own process group and waits for its "ready at <url>" line. */
export async function startProcess(
  name: string,
  script: string,
  env: Record<string, string>,
  runner: Runner,
  args: string[] = [],
): Promise<Proc> {
  const started = performance.now();
  // BENCH_NODE_FLAGS_<NAME> (A, B, C, or a subgraph's name with - as _): node flags for that one process, e.g.
  // --cpu-prof, which NODE_OPTIONS refuses.
  const flags = process.env[`BENCH_NODE_FLAGS_${name.replace(/-/g, '_')}`]?.split(' ').filter(Boolean) ?? [];
  const proc = spawn(process.execPath, [...flags, ...command(script, runner), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const output = () => out.slice(-4000);
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer) => {
      out += c.toString('utf8');
      if (out.length > 100_000) out = out.slice(-10_000);
      const m = /ready at (http\S+)/.exec(out);
      if (m) {
        proc.stdout!.off('data', onData);
        proc.stdout!.on('data', () => {});
        resolve({ name, proc, url: m[1]!, readyMs: performance.now() - started, output });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      if (out.length > 100_000) out = out.slice(-10_000);
    });
    proc.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready:\n${output()}`)));
  });
}

export async function stopProcess(p: Proc | undefined): Promise<void> {
  if (!p?.proc.pid || p.proc.exitCode !== null) return;
  const gone = new Promise((r) => p.proc.once('exit', r));
  try {
    process.kill(-p.proc.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-p.proc.pid!, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }, 5000);
  await gone;
  clearTimeout(timer);
}

/** Waits until a GraphQL endpoint answers a POST (any status): the first answer after start, in ms since spawn. */
export async function firstAnswer(p: Proc, spawnedAt: number, body: string, headers: Record<string, string>): Promise<number> {
  for (;;) {
    try {
      const res = await fetch(p.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      await res.arrayBuffer();
      return performance.now() - spawnedAt;
    } catch {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/** What the product's gateway counted of entity representations (asked by the plans, sent after merging), per subgraph. */
async function representationsOf(gatewayUrl: string): Promise<string> {
  try {
    const text = await (await fetch(new URL('/metrics', gatewayUrl))).text();
    const counts = new Map<string, { asked: number; sent: number }>();
    for (const m of text.matchAll(/^subgraph_entity_representations_total\{subgraph="([^"]+)",kind="(asked|sent)"\} (\d+)/gm)) {
      const c = counts.get(m[1]!) ?? { asked: 0, sent: 0 };
      c[m[2] as 'asked' | 'sent'] = Number(m[3]);
      counts.set(m[1]!, c);
    }
    return `A's entity representations in its last round, asked → sent: ${[...counts].map(([s, c]) => `${s} ${c.asked} → ${c.sent}`).join(', ') || 'none counted'}`;
  } catch (err) {
    return `A's /metrics not read: ${String(err)}`;
  }
}

export interface EngineFigures {
  engine: EngineName;
  query: QueryName;
  rounds: RoundResult[];
  gatewayCpu: number;
  subgraphCpu: number;
  rssPeakMb: number;
  /** Latencies of the requests asked one at a time (`singleRequests`), every round, failed answers included. */
  singleMs: number[];
  /** Of those, the answers that failed or differed (a time-out's latency is the time-out's). */
  singleFailures: number;
}

export interface PeersReport {
  figures: EngineFigures[];
  /** Each query's SQL floor (when `floorRuns`): its logged statements replayed directly on the databases. */
  floors: Partial<Record<QueryName, FloorFigures>>;
  startMs: Partial<Record<EngineName, number>>;
  /** Any answer that failed or whose data differed, per engine and query. */
  failures: number;
}

/** The bench's analysts at engine A (see `runPeers`). */
const VIEWERS = 200;

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-');

export async function runPeers(o: PeersOptions): Promise<PeersReport> {
  const config = loadConfig({ DATA_DIR: o.dataDir, AS_OF_DATE: o.asOf });
  await ensureDevKeys(devKeyFiles(config.dataDir));
  await ensureCarrierGrantKeys(carrierGrantKeysOf(config));
  const security = await loadSecurity(config);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-peers-'));
  const common = { DATA_DIR: config.dataDir, AS_OF_DATE: o.asOf, LOG_LEVEL: o.logLevel, HOST: '127.0.0.1', PORT: '0' };
  const subgraphs: Proc[] = [];
  let engine: Proc | undefined;
  try {
    for (const s of SUBGRAPHS)
      subgraphs.push(
        await startProcess(s.name, 'scripts/runSubgraph.ts', { ...common, SUBGRAPH_RUNTIME: config.SUBGRAPH_RUNTIME }, o.runner, [s.name]),
      );
    const urls = Object.fromEntries(subgraphs.map((p) => [p.name, p.url]));
    let sdl = readSupergraph(config.SUPERGRAPH_PATH);
    for (const s of SUBGRAPHS) sdl = sdl.replace(`url: "http://localhost:${s.defaultPort}/graphql"`, `url: "${urls[s.name]}"`);
    const sdlFile = path.join(tmp, 'supergraph.graphql');
    writeFileSync(sdlFile, sdl);
    const urlEnv = Object.fromEntries(SUBGRAPHS.map((s) => [s.urlSetting, urls[s.name]!]));
    o.log(`subgraphs (${o.runner}): ${subgraphs.map((p) => `${p.name} ${p.url}`).join(', ')}`);

    const startEngine = async (e: EngineName): Promise<{ proc: Proc; spawnedAt: number }> => {
      const spawnedAt = performance.now();
      const proc =
        e === 'A'
          ? await startProcess('A', 'scripts/start.ts', { ...common, ...urlEnv }, o.runner)
          : // Hive reads LOG_LEVEL too, with levels of its own: its default (info) logs no request lines.
            await startProcess(
              e,
              e === 'B' ? 'bench/peers/engineB-apollo.ts' : 'bench/peers/engineC-hive.ts',
              { ...common, LOG_LEVEL: 'info', SUPERGRAPH_SDL_FILE: sdlFile },
              o.runner,
            );
      return { proc, spawnedAt };
    };

    // Many analysts of the high court, each with a development token of their own, take turns request by request:
    // the product's per-viewer budgets (8 at once, RATE_PER_VIEWER_PER_MINUTE, VIEWER_COST_PER_MINUTE) stay as they
    // ship and apply to each of them. B and C authenticate no one; they send every subgraph the same viewer's token.
    const tokens = await Promise.all(
      Array.from({ length: VIEWERS }, (_, i) =>
        mintDevToken(
          { dataDir: config.dataDir, AUTH_ISSUER: security.client.issuer, AUTH_AUDIENCE: security.client.audience },
          { court: '川', role: 'high', sub: `bench-analyst-${i}` },
        ),
      ),
    );
    const none = {};
    const headersOf = (e: EngineName) => (e === 'A' ? (n: number) => ({ authorization: `Bearer ${tokens[n % VIEWERS]}` }) : () => none);

    // The assessment index transferCandidates reads, built through the product's gateway unless it is current.
    if (o.queries.includes('candidates')) {
      const { proc } = await startEngine('A');
      engine = proc;
      const t = performance.now();
      await assessProvince(proc.url, await security.serviceToken(), config.dataDir, o.asOf, { unlessCurrent: true });
      o.log(`assessment index current after ${fmt((performance.now() - t) / 1000)} s`);
      await stopProcess(engine);
      engine = undefined;
    }

    const ids = heavyDebtors(config.dataDir, 20);
    const qs = queries(ids, o.queries.includes('walk100') ? caseHeavyDebtors(config.dataDir, 100) : ids);
    const references = new Map<QueryName, string>();
    const figures = new Map<string, EngineFigures>();
    const startMs: PeersReport['startMs'] = {};
    let failures = 0;

    // The SQL floor of each query: its statements, logged in an in-process graph as A's first viewer, replayed directly.
    const floors: PeersReport['floors'] = {};
    if (o.floorRuns) {
      const captured = await captureQueries({
        dataDir: config.dataDir,
        asOf: o.asOf,
        security,
        token: tokens[0]!,
        queries: Object.fromEntries(o.queries.map((q) => [q, qs[q]])),
      });
      for (const q of o.queries) {
        const c = captured[q]!;
        if (c.errors) {
          failures++;
          o.log(`floor  ${qs[q].label}: not measured, the answer failed: ${c.errors}`);
          continue;
        }
        const f = replayFloor(config.dataDir, c.statements, o.floorRuns);
        floors[q] = f;
        o.log(
          `floor  ${qs[q].label.padEnd(30)} ${f.statements} statements, ${f.rows} rows, answer ${fmt(c.answerBytes / 1e6, 2)} MB; ` +
            `median ${fmt(f.medianMs, 2)} ms, p90 ${fmt(f.p90Ms, 2)} ms of ${o.floorRuns} replays (${Object.entries(f.bySystemMs)
              .map(([sys, ms]) => `${sys} ${fmt(ms, 2)}`)
              .join(', ')})`,
        );
        for (const t of f.slowest) o.log(`         ${t.system} ${fmt(t.ms, 2)} ms, ${t.rows} rows: ${t.sql}`);
        const reps = Object.entries(c.representations).filter(([, r]) => r.asked > 0);
        if (reps.length)
          o.log(`         entity representations asked → sent: ${reps.map(([sg, r]) => `${sg} ${r.asked} → ${r.sent}`).join(', ')}`);
      }
    }
    const probe = JSON.stringify({ query: '{ __typename }' });
    for (let round = 1; round <= o.rounds; round++) {
      for (const e of o.engines) {
        const started = await startEngine(e);
        engine = started.proc;
        const first = await firstAnswer(engine, started.spawnedAt, probe, headersOf(e)(0));
        startMs[e] = Math.max(startMs[e] ?? 0, first);
        const pid = engine.proc.pid!;
        for (const q of o.queries) {
          // An engine that died under the load (Hive Gateway's process was killed at 1,000,000 cases) is reported, and
          // its remaining queries this round skipped; the next round starts it again.
          if (engine.proc.exitCode !== null || engine.proc.signalCode !== null) {
            failures++;
            o.log(
              `round ${round} ${e} exited (${engine.proc.exitCode ?? engine.proc.signalCode}); skipped ${qs[q].label}:\n${engine.output().slice(-600)}`,
            );
            continue;
          }
          const body = JSON.stringify({ query: qs[q].query, variables: qs[q].variables });
          // One warm-up request per query: plans cached, connections open, as in a running service.
          await runRound({ url: engine.url, body, headers: headersOf(e), connections: 1, seconds: 0, reference: references.get(q) });
          const cpu0 = { gw: cpuSeconds(pid), sg: subgraphs.reduce((n, p) => n + cpuSeconds(p.proc.pid!), 0) };
          const rss = rssPeak(pid);
          const r = await runRound({
            url: engine.url,
            body,
            headers: headersOf(e),
            connections: o.connections,
            seconds: o.seconds,
            reference: references.get(q),
          });
          const peak = rss.stop();
          if (r.reference !== undefined) references.set(q, r.reference);
          const key = `${e}\n${q}`;
          const f = figures.get(key) ?? {
            engine: e,
            query: q,
            rounds: [],
            gatewayCpu: 0,
            subgraphCpu: 0,
            rssPeakMb: 0,
            singleMs: [],
            singleFailures: 0,
          };
          f.rounds.push(r);
          f.gatewayCpu += cpuSeconds(pid) - cpu0.gw;
          f.subgraphCpu += subgraphs.reduce((n, p) => n + cpuSeconds(p.proc.pid!), 0) - cpu0.sg;
          f.rssPeakMb = Math.max(f.rssPeakMb, peak, rssMb(pid) || 0);
          figures.set(key, f);
          failures += r.failures;
          o.log(
            `round ${round} ${e} ${qs[q].label.padEnd(30)} ${fmt(r.ok / r.seconds).padStart(7)} req/s  ${r.failures ? `FAILURES ${r.failures}: ${r.firstFailure}` : 'data identical'}`,
          );
          if (o.singleRequests) {
            // The same query asked alone, one request at a time: a single answer's time, to set against its floor.
            const one = await runRound({
              url: engine.url,
              body,
              headers: headersOf(e),
              connections: 1,
              seconds: 600,
              maxRequests: o.singleRequests,
              reference: references.get(q),
            });
            f.singleMs.push(...one.latenciesMs);
            f.singleFailures += one.failures;
            failures += one.failures;
            if (one.failures) o.log(`round ${round} ${e} ${qs[q].label} one at a time: FAILURES ${one.failures}: ${one.firstFailure}`);
          }
        }
        if (e === 'A' && round === o.rounds) o.log(await representationsOf(engine.url));
        await stopProcess(engine);
        engine = undefined;
      }
    }
    const all = [...figures.values()];
    const rate = (f: EngineFigures) => f.rounds.reduce((n, r) => n + r.ok, 0) / f.rounds.reduce((n, r) => n + r.seconds, 0);
    o.log('');
    o.log(
      `node ${process.version}, ${os.cpus().length} cores, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}; ${o.rounds} × ${o.seconds} s at ${o.connections} connections; product processes run by ${o.runner}`,
    );
    o.log(`engine  query                           req/s    p50 ms   p99 ms   RSS MB  gw CPU s  sg CPU s  gw ms/req  sg ms/req  vs A`);
    for (const q of o.queries) {
      const a = all.find((f) => f.engine === 'A' && f.query === q);
      for (const f of all.filter((x) => x.query === q)) {
        const lat = f.rounds.flatMap((r) => r.latenciesMs).sort((x, y) => x - y);
        const n = f.rounds.reduce((s, r) => s + r.requests, 0);
        const vs = a && f.engine !== 'A' ? `A/${f.engine} ${fmt(rate(a) / rate(f), 2)}×` : '';
        o.log(
          `${f.engine.padEnd(7)} ${qs[q].label.padEnd(30)} ${fmt(rate(f)).padStart(7)} ${fmt(percentile(lat, 0.5), 1).padStart(9)} ${fmt(percentile(lat, 0.99), 1).padStart(8)} ${fmt(f.rssPeakMb, 0).padStart(8)} ${fmt(f.gatewayCpu).padStart(9)} ${fmt(f.subgraphCpu).padStart(9)} ${fmt((f.gatewayCpu * 1000) / n, 2).padStart(10)} ${fmt((f.subgraphCpu * 1000) / n, 2).padStart(10)}  ${vs}`,
        );
      }
    }
    if (o.singleRequests) {
      o.log(`one request at a time (${o.singleRequests} per engine, query and round), against the query's SQL floor:`);
      o.log(`engine  query                           p50 ms   min ms   floor ms   p50/floor  failed`);
      for (const q of o.queries)
        for (const f of all.filter((x) => x.query === q)) {
          const lat = [...f.singleMs].sort((x, y) => x - y);
          const floor = floors[q]?.medianMs ?? NaN;
          o.log(
            `${f.engine.padEnd(7)} ${qs[q].label.padEnd(30)} ${fmt(percentile(lat, 0.5), 1).padStart(7)} ${fmt(lat[0] ?? NaN, 1).padStart(8)} ${fmt(floor, 2).padStart(10)} ${`${fmt(percentile(lat, 0.5) / floor, 1)}×`.padStart(11)}  ${f.singleFailures ? `${f.singleFailures} of ${lat.length}` : '-'}`,
          );
        }
    }
    o.log(
      `first answer after process start (ms, worst of ${o.rounds}): ${o.engines.map((e) => `${e} ${fmt(startMs[e] ?? NaN, 0)}`).join(', ')}`,
    );
    o.log(failures ? `FAILED: ${failures} answers failed or differed` : 'every answer had the same data as the first');
    return { figures: all, floors, startMs, failures };
  } finally {
    await stopProcess(engine);
    await Promise.all(subgraphs.map((p) => stopProcess(p)));
  }
}
