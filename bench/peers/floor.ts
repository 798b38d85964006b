import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../lib/config';
import { serveSubgraphOn } from '../../lib/subgraphRuntime';
import type { RunningServer } from '../../lib/subgraphServer';
import { carrierGrantKeysOf } from '../../lib/carrierGrant';
import type { Security } from '../../gateway/security';
import { startGraph, type RunningGraph } from '../../scripts/graph';
import { openSubgraph } from '../../subgraphs';
import { SUBGRAPHS, type SubgraphName } from '../../subgraphs/catalogue';
import { percentile } from './load';

/*
 * The SQL floor of a query (issue 18): the rows one answer reads, read directly with the statements the subgraphs run
 * for it. The four subgraphs and the product's gateway are started in this process, each subgraph logging every
 * statement it executes with its bound parameters (OpenOptions.onQuery); the query is asked once to warm up, once with
 * the log on; then the logged statements are replayed on the same SQLite files, one after another, each prepared and
 * run as better-sqlite3 runs it by default (`prepare(sql)`, then `all(parameters)`, each row an object), with no HTTP,
 * GraphQL, JSON or gateway. The product's own reads now build their rows faster (lib/sqlite.ts `rowsByShape`, ADR 29);
 * the floor keeps the plain reading so that its figures stay comparable with those recorded before.
 * The floor is the median of the replays' total times. The statements run concurrently in the subgraphs, so an answer
 * could in principle come faster than the floor's serial sum; no walk here does.
 */

export interface LoggedStatement {
  system: SubgraphName;
  sql: string;
  parameters: readonly unknown[];
}

export interface CapturedQuery {
  statements: LoggedStatement[];
  /** Bytes of the JSON answer. */
  answerBytes: number;
  /** Entity representations the gateway's plans asked for and the ones it sent after merging, per subgraph. */
  representations: Record<string, { asked: number; sent: number }>;
  /** Set when the answer was not HTTP 200 without errors: the floor of a failed answer is not reported. */
  errors?: string;
}

export interface FloorFigures {
  statements: number;
  rows: number;
  medianMs: number;
  p90Ms: number;
  /** Milliseconds per system (median run's share), for where the floor's time goes. */
  bySystemMs: Record<string, number>;
  /** The three slowest statements of the median run: system, milliseconds, rows and the SQL's first characters. */
  slowest: { system: string; ms: number; rows: number; sql: string }[];
}

const representationsIn = (metrics: string) => {
  const counts: Record<string, { asked: number; sent: number }> = {};
  for (const m of metrics.matchAll(/^subgraph_entity_representations_total\{subgraph="([^"]+)",kind="(asked|sent)"\} (\d+)/gm)) {
    const c = (counts[m[1]!] ??= { asked: 0, sent: 0 });
    c[m[2] as 'asked' | 'sent'] = Number(m[3]);
  }
  return counts;
};

/**
 * Asks each query once through an in-process graph on `dataDir` as `token`'s viewer and returns the statements each
 * answer caused, per system, with the answer's size and the representations the gateway asked for and sent.
 */
export async function captureQueries(o: {
  dataDir: string;
  asOf: string;
  security: Security;
  token: string;
  queries: Record<string, { query: string; variables?: object }>;
}): Promise<Record<string, CapturedQuery>> {
  const config = loadConfig({ DATA_DIR: o.dataDir, AS_OF_DATE: o.asOf });
  let log: LoggedStatement[] | null = null;
  const servers: RunningServer[] = [];
  let graph: RunningGraph | undefined;
  try {
    const urls: Record<string, string> = {};
    for (const s of SUBGRAPHS) {
      const module = openSubgraph(s.name, config.dataDir, {
        today: () => o.asOf,
        busyTimeoutMs: config.STORE_BUSY_TIMEOUT_MS,
        carrierGrantKeys: carrierGrantKeysOf(config),
        onQuery: (sql, parameters) => log?.push({ system: s.name, sql, parameters }),
      });
      const server = await serveSubgraphOn(config.SUBGRAPH_RUNTIME, module, {
        port: 0,
        host: '127.0.0.1',
        gatewayKeys: o.security.gatewayKeys,
        shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
      });
      servers.push(server);
      urls[s.urlSetting] = server.url;
    }
    // The product's gateway calling those subgraphs (it hosts none itself: every URL setting is given).
    graph = await startGraph({
      PORT: 0,
      HOST: '127.0.0.1',
      dataDir: config.dataDir,
      AS_OF_DATE: o.asOf,
      LOG_LEVEL: 'silent',
      MONITORING_PORT: 0,
      // The statements are what is logged here, not the time: a heavy walk on a loaded machine may take longer than 5 s.
      SUBGRAPH_TIMEOUT_MS: 300_000,
      ...urls,
    });
    const ask = async (q: { query: string; variables?: object }) => {
      const res = await fetch(graph!.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${o.token}` },
        body: JSON.stringify({ query: q.query, variables: q.variables }),
      });
      return { status: res.status, text: await res.text() };
    };
    const metrics = async () => representationsIn(await (await fetch(`${graph!.gateway.monitoringUrl}/metrics`)).text());
    const out: Record<string, CapturedQuery> = {};
    for (const [name, q] of Object.entries(o.queries)) {
      await ask(q);
      const before = await metrics();
      log = [];
      const answer = await ask(q);
      const statements = log;
      log = null;
      const after = await metrics();
      const representations: CapturedQuery['representations'] = {};
      for (const [subgraph, c] of Object.entries(after))
        representations[subgraph] = { asked: c.asked - (before[subgraph]?.asked ?? 0), sent: c.sent - (before[subgraph]?.sent ?? 0) };
      const body = JSON.parse(answer.text) as { errors?: unknown };
      out[name] = {
        statements,
        answerBytes: Buffer.byteLength(answer.text),
        representations,
        errors: answer.status !== 200 || body.errors ? `HTTP ${answer.status} ${JSON.stringify(body.errors).slice(0, 300)}` : undefined,
      };
    }
    return out;
  } finally {
    await graph?.close();
    await Promise.all(servers.map((s) => s.close()));
  }
}

/** Replays logged statements on the SQLite files of `dataDir` `runs` times (after one unmeasured run): the floor. */
export function replayFloor(dataDir: string, statements: readonly LoggedStatement[], runs: number): FloorFigures {
  const dbs = new Map<SubgraphName, Database.Database>();
  const dbOf = (system: SubgraphName) => {
    let db = dbs.get(system);
    if (!db) {
      db = new Database(path.join(dataDir, `${system}.db`), { readonly: true, fileMustExist: true });
      dbs.set(system, db);
    }
    return db;
  };
  try {
    const reads = statements.filter((s) => dbOf(s.system).prepare(s.sql).reader);
    if (reads.length !== statements.length)
      throw new Error(`the floor replays reads only; ${statements.length - reads.length} writes logged`);
    const once = () => {
      const times: { s: LoggedStatement; ms: number; rows: number }[] = [];
      const t0 = performance.now();
      for (const s of reads) {
        const t = performance.now();
        const rows = dbOf(s.system)
          .prepare(s.sql)
          .all(...s.parameters).length;
        times.push({ s, ms: performance.now() - t, rows });
      }
      return { total: performance.now() - t0, times };
    };
    once();
    const all = Array.from({ length: runs }, once).sort((a, b) => a.total - b.total);
    const median = all[Math.floor(all.length / 2)]!;
    const bySystemMs: Record<string, number> = {};
    for (const t of median.times) bySystemMs[t.s.system] = (bySystemMs[t.s.system] ?? 0) + t.ms;
    const slow = [...median.times].sort((a, b) => b.ms - a.ms).slice(0, 3);
    return {
      statements: reads.length,
      rows: median.times.reduce((n, t) => n + t.rows, 0),
      medianMs: median.total,
      p90Ms: percentile(
        all.map((r) => r.total),
        0.9,
      ),
      bySystemMs,
      slowest: slow.map((t) => ({ system: t.s.system, ms: t.ms, rows: t.rows, sql: t.s.sql.replace(/\s+/g, ' ').slice(0, 110) })),
    };
  } finally {
    for (const db of dbs.values()) db.close();
  }
}
