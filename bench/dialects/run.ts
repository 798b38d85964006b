import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assessProvince, openAssessmentStore } from '../../jobs/assess';
import { ensureDevKeys, devKeyFiles } from '../../lib/auth';
import { carrierGrantKeysOf, ensureCarrierGrantKeys } from '../../lib/carrierGrant';
import { DATABASE_URL_SETTINGS, loadConfig } from '../../lib/config';
import { openPostgres, postgresSettingsFor, type DatabaseSettings, type Dialect } from '../../lib/database';
import { migratePostgresDatabase } from '../../lib/migrations';
import { STORE_MIGRATIONS } from '../../subgraphs';
import { COORDINATION_DB } from '../../lib/dataFiles';
import { emptyTables } from '../../seed/postgres';
import { migrateDataDir } from '../../scripts/migrateData';
import { loadSecurity } from '../../gateway/security';
import { mintDevToken } from '../../scripts/token';
import { SUBGRAPHS } from '../../subgraphs/catalogue';
import { percentile, runRound, type RoundResult } from '../peers/load';
import { cpuSeconds } from '../peers/proc';
import { heavyDebtors, ROOT, startProcess, stopProcess, type Proc, type Runner } from '../peers/run';

/*
 * `npm run bench:dialects` (bench/README.md, issue 16 item 6): the four subgraphs and the product's gateway started
 * twice as processes on the same generated province, once on the data directory's SQLite files and once on
 * PostgreSQL (`*_DATABASE_URL`), and the same queries asked of both in turns (SQLite, PostgreSQL, SQLite, …): the
 * README's debtor walk under load (req/s, p50, p99), `transferCandidates(first: 20)` and `debtorSearch` one request
 * at a time (median, p90). Every answer must be HTTP 200 without `errors` and with the same `data` on both dialects.
 */

export const DIALECTS = ['sqlite', 'postgres'] as const satisfies readonly Dialect[];

export interface DialectsOptions {
  dataDir: string;
  asOf: string;
  /** The PostgreSQL databases holding the same province (loaded from dataDir's files); the assessment index may be missing. */
  postgres: DatabaseSettings;
  rounds: number;
  /** Seconds of the debtor walk under load, per dialect and round. */
  seconds: number;
  connections: number;
  /** Sequential requests of each one-at-a-time query, per dialect and round. */
  runs: number;
  /** The queries asked (default all three). */
  queries?: readonly QueryName[];
  runner: Runner;
  /**
   * Where PostgreSQL's assessment index comes from when it is not current: its own pass through its own graph
   * ('assess', as `npm run assess` builds it), or a copy of the SQLite index's rows ('sqlite', as `npm run migrate-data`
   * copies coordination.db), when a second pass over the province would take too long.
   */
  indexFrom: 'assess' | 'sqlite';
  /** The gateways' SUBGRAPH_TIMEOUT_MS. */
  subgraphTimeoutMs: number;
  logLevel: string;
  log: (line: string) => void;
}

export type QueryName = 'walk' | 'candidates' | 'search';

/** The README's debtor walk (Quick start), kept equal to the explorer's example by test/gateway/explorer.test.ts. */
export const README_WALK = readFileSync(path.join(ROOT, 'examples/explorer/debtor-walk.graphql'), 'utf8');

/** transferCandidates' first page as an analyst's list shows it (bench/candidates.ts's QUERY). */
export const CANDIDATES = `{ transferCandidates(first: 20) { assessedOn nodes { urgency rulesMet recommendedMode explanation debtor { id name }
  summary { unclosedCaseCount courtCount prefectureCount outstandingAmount oldestUnclosedFiledAt idlePropertyCount idleSince sharedSeizureCount expiringMeasureCount }
  receivingCourts { court { code name } score factors { name weight value } } } } }`;

/** The README's search (Quick start). */
export const SEARCH = `{ debtorSearch(name: "建设", first: 3) { name confidence candidate identifier debtor { id } } }`;

export const LABELS: Record<QueryName, string> = {
  walk: "README's debtor walk",
  candidates: 'transferCandidates(first: 20)',
  search: 'debtorSearch("建设", first: 3)',
};

export interface DialectFigures {
  dialect: Dialect;
  /** The walk under load, one result per round. */
  walk: RoundResult[];
  /** One-at-a-time latencies (ms) of the sequential queries. */
  sequential: Record<'candidates' | 'search', number[]>;
  /** CPU seconds of the dialect's four subgraph processes and of its gateway over the walk rounds. */
  walkCpu: { subgraphs: number; gateway: number };
  /** Seconds the assessment pass took on this dialect (undefined: the index was current). */
  assessSeconds?: number;
}

export interface DialectsReport {
  figures: Record<Dialect, DialectFigures>;
  /** Answers that failed or whose data differed between the dialects (or from the first answer). */
  failures: number;
  walkDebtor: string;
}

interface DialectGraph {
  dialect: Dialect;
  subgraphs: Proc[];
  gateway?: Proc;
}

const VIEWERS = 200;
const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-');

export async function runDialects(o: DialectsOptions): Promise<DialectsReport> {
  const config = loadConfig({ DATA_DIR: o.dataDir, AS_OF_DATE: o.asOf });
  await ensureDevKeys(devKeyFiles(config.dataDir));
  await ensureCarrierGrantKeys(carrierGrantKeysOf(config));
  const security = await loadSecurity(config);
  const common = { DATA_DIR: config.dataDir, AS_OF_DATE: o.asOf, LOG_LEVEL: o.logLevel, HOST: '127.0.0.1', PORT: '0' };
  const pgEnv: Record<string, string> = {
    DATABASE_POOL_MAX: String(o.postgres.poolMax),
    DATABASE_STATEMENT_TIMEOUT_MS: String(o.postgres.statementTimeoutMs),
  };
  for (const [system, url] of Object.entries(o.postgres.urls))
    if (url) pgEnv[DATABASE_URL_SETTINGS[system as keyof typeof DATABASE_URL_SETTINGS]] = url;

  const graphs: DialectGraph[] = [];
  try {
    // Each dialect's graph, then the assessment index transferCandidates reads, built through that graph's own gateway
    // unless current; or, with indexFrom 'sqlite', PostgreSQL's copied from SQLite's before its graph starts.
    const assessSeconds: Partial<Record<Dialect, number>> = {};
    for (const dialect of DIALECTS) {
      const databases = dialect === 'postgres' ? o.postgres : undefined;
      // A fresh PostgreSQL server has no coordination schema until its subgraph first starts: made here, as it would.
      if (databases) await migrateCoordination(databases);
      const store = openAssessmentStore(config.dataDir, databases);
      const current = (await store.meta().finally(() => store.close()))?.assessedOn === o.asOf;
      const copied = dialect === 'postgres' && o.indexFrom === 'sqlite';
      if (copied && !current) {
        const t = performance.now();
        const rows = await copyIndexFromSqlite(config.dataDir, o.postgres);
        o.log(
          `postgres: assessment index copied from SQLite's (npm run migrate-data's copy): ${rows} rows in ${fmt((performance.now() - t) / 1000)} s`,
        );
      }
      const env = { ...common, SUBGRAPH_RUNTIME: config.SUBGRAPH_RUNTIME, ...(dialect === 'postgres' ? pgEnv : {}) };
      const subgraphs: Proc[] = [];
      const g: DialectGraph = { dialect, subgraphs, gateway: undefined };
      graphs.push(g);
      for (const s of SUBGRAPHS)
        subgraphs.push(await startProcess(`${dialect} ${s.name}`, 'scripts/runSubgraph.ts', env, o.runner, [s.name]));
      const urlEnv = Object.fromEntries(SUBGRAPHS.map((s, i) => [s.urlSetting, subgraphs[i]!.url]));
      // The gateway's subgraph time-out is raised (both dialects alike) so that the assessment pass and the walk under
      // load on a shared machine are measured, not cut off at the default 5 s.
      g.gateway = await startProcess(
        `${dialect} gateway`,
        'scripts/start.ts',
        { ...common, ...urlEnv, SUBGRAPH_TIMEOUT_MS: String(o.subgraphTimeoutMs) },
        o.runner,
      );
      o.log(`${dialect}: gateway ${g.gateway.url}, subgraphs ${subgraphs.map((p) => p.url).join(' ')}`);
      if (copied) continue;
      const t = performance.now();
      await assessProvince(g.gateway.url, await security.serviceToken(), config.dataDir, o.asOf, { unlessCurrent: true, databases });
      if (current) continue;
      assessSeconds[dialect] = (performance.now() - t) / 1000;
      o.log(`${dialect}: assessment index built in ${fmt(assessSeconds[dialect]!)} s`);
    }
    const running = graphs as Required<DialectGraph>[];

    const tokens = await Promise.all(
      Array.from({ length: VIEWERS }, (_, i) =>
        mintDevToken(
          { dataDir: config.dataDir, AUTH_ISSUER: security.client.issuer, AUTH_AUDIENCE: security.client.audience },
          { court: '川', role: 'high', sub: `bench-analyst-${i}` },
        ),
      ),
    );
    const headers = (n: number) => ({ authorization: `Bearer ${tokens[n % VIEWERS]}` });
    const walkDebtor = heavyDebtors(config.dataDir, 1)[0]!;
    const bodies: Record<QueryName, string> = {
      walk: JSON.stringify({ query: README_WALK, variables: { id: walkDebtor } }),
      candidates: JSON.stringify({ query: CANDIDATES }),
      search: JSON.stringify({ query: SEARCH }),
    };
    const references = new Map<QueryName, string>();
    const figures = Object.fromEntries(
      DIALECTS.map((d) => [
        d,
        {
          dialect: d,
          walk: [],
          sequential: { candidates: [], search: [] },
          walkCpu: { subgraphs: 0, gateway: 0 },
          assessSeconds: assessSeconds[d],
        },
      ]),
    ) as unknown as Record<Dialect, DialectFigures>;
    let failures = 0;

    // One request at a time: latency at the client, the answer checked against the other dialect's.
    let sent = 0;
    const once = async (g: Required<DialectGraph>, q: QueryName): Promise<number> => {
      const r = await runRound({
        url: g.gateway.url,
        body: bodies[q],
        headers: () => headers(sent++),
        connections: 1,
        seconds: 0,
        reference: references.get(q),
      });
      if (r.reference !== undefined) references.set(q, r.reference);
      if (r.failures) {
        failures += r.failures;
        o.log(`${g.dialect} ${LABELS[q]}: ${r.firstFailure}`);
      }
      return r.latenciesMs[0] ?? NaN;
    };
    // Warm-up: plans cached, statements prepared, pools open, pages cached; the first answers set the references.
    const asked = o.queries ?? (['walk', 'candidates', 'search'] as const);
    const sequential = (['candidates', 'search'] as const).filter((q) => asked.includes(q));
    for (const q of asked) for (const g of running) await once(g, q);

    for (let round = 1; round <= o.rounds; round++) {
      for (const g of asked.includes('walk') ? running : []) {
        const cpu0 = { sg: g.subgraphs.reduce((n, p) => n + cpuSeconds(p.proc.pid!), 0), gw: cpuSeconds(g.gateway.proc.pid!) };
        const r = await runRound({
          url: g.gateway.url,
          body: bodies.walk,
          headers,
          connections: o.connections,
          seconds: o.seconds,
          reference: references.get('walk'),
        });
        const f = figures[g.dialect];
        f.walk.push(r);
        f.walkCpu.subgraphs += g.subgraphs.reduce((n, p) => n + cpuSeconds(p.proc.pid!), 0) - cpu0.sg;
        f.walkCpu.gateway += cpuSeconds(g.gateway.proc.pid!) - cpu0.gw;
        failures += r.failures;
        o.log(
          `round ${round} ${g.dialect.padEnd(8)} ${LABELS.walk}: ${fmt(r.ok / r.seconds)} req/s  ${r.failures ? `FAILURES ${r.failures}: ${r.firstFailure}` : 'same data'}`,
        );
      }
      for (let i = 0; i < o.runs; i++)
        for (const q of sequential) for (const g of running) figures[g.dialect].sequential[q].push(await once(g, q));
      o.log(
        `round ${round} sequential: ${o.runs} × ${DIALECTS.length} dialects × (${sequential.join(', ')})${failures ? `; failures so far ${failures}` : ', same data'}`,
      );
    }

    o.log('');
    o.log(
      `node ${process.version}, ${os.cpus().length} cores, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(
          ' ',
        )}; ${o.rounds} round(s): walk ${o.seconds} s at ${o.connections} connections, then ${o.runs} × each query one at a time, per dialect; processes run by ${o.runner}`,
    );
    o.log(`walk: debtor(id: "${walkDebtor}") (the debtor with the most properties)`);
    o.log(`dialect   query                           req/s    p50 ms    p99 ms   median ms   p90 ms   sg CPU ms/req  PG/SQLite`);
    const walkStats = (f: DialectFigures) => {
      const lat = f.walk.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
      const ok = f.walk.reduce((n, r) => n + r.ok, 0);
      const secs = f.walk.reduce((n, r) => n + r.seconds, 0);
      const n = f.walk.reduce((s, r) => s + r.requests, 0);
      return { rate: ok / secs, p50: percentile(lat, 0.5), p99: percentile(lat, 0.99), sgMs: (f.walkCpu.subgraphs * 1000) / n };
    };
    const seqStats = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return { median: percentile(s, 0.5), p90: percentile(s, 0.9) };
    };
    for (const d of asked.includes('walk') ? DIALECTS : []) {
      const w = walkStats(figures[d]);
      const vs = d === 'postgres' ? `p50 ${fmt(w.p50 / walkStats(figures.sqlite).p50, 2)}×` : '';
      o.log(
        `${d.padEnd(9)} ${LABELS.walk.padEnd(30)} ${fmt(w.rate).padStart(6)} ${fmt(w.p50).padStart(9)} ${fmt(w.p99).padStart(9)} ${''.padStart(11)} ${''.padStart(8)} ${fmt(w.sgMs).padStart(15)}  ${vs}`,
      );
    }
    for (const q of sequential)
      for (const d of DIALECTS) {
        const s = seqStats(figures[d].sequential[q]);
        const vs = d === 'postgres' ? `median ${fmt(s.median / seqStats(figures.sqlite.sequential[q]).median, 2)}×` : '';
        o.log(
          `${d.padEnd(9)} ${LABELS[q].padEnd(30)} ${''.padStart(6)} ${''.padStart(9)} ${''.padStart(9)} ${fmt(s.median).padStart(11)} ${fmt(s.p90).padStart(8)} ${''.padStart(15)}  ${vs}`,
        );
      }
    for (const d of DIALECTS)
      if (figures[d].assessSeconds !== undefined) o.log(`assessment index built on ${d} in ${fmt(figures[d].assessSeconds!)} s`);
    o.log(failures ? `FAILED: ${failures} answers failed or differed` : 'every answer had the same data on both dialects');
    return { figures, failures, walkDebtor };
  } finally {
    for (const g of graphs) {
      await stopProcess(g.gateway);
      await Promise.all(g.subgraphs.map((p) => stopProcess(p)));
    }
  }
}

async function migrateCoordination(databases: DatabaseSettings): Promise<void> {
  const settings = postgresSettingsFor(databases, COORDINATION_DB);
  if (!settings) return;
  const { db } = openPostgres(settings);
  try {
    await migratePostgresDatabase(db, COORDINATION_DB, STORE_MIGRATIONS.coordination ?? []);
  } finally {
    await db.destroy();
  }
}

/**
 * PostgreSQL's coordination read models replaced by a copy of SQLite's (`indexFrom: 'sqlite'`): its tables emptied
 * (the migration record kept), then coordination.db copied as `npm run migrate-data` copies it. Gives the rows copied.
 */
async function copyIndexFromSqlite(dataDir: string, databases: DatabaseSettings): Promise<number> {
  const settings = postgresSettingsFor(databases, COORDINATION_DB);
  if (!settings) throw new Error('indexFrom sqlite: no PostgreSQL database for coordination');
  await emptyTables(settings);
  const report = await migrateDataDir(dataDir, { [COORDINATION_DB]: settings });
  return Object.values(report[COORDINATION_DB] ?? {}).reduce((a, b) => a + b, 0);
}
