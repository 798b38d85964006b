import { performance } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import { mintDevToken } from '../scripts/token';
import { generateProvince, isSeeded } from '../seed/province';
import type { startGraph } from '../scripts/graph';
import { normaliseName } from '../domain/names';
import { openCaseRegistrySqlite } from '../subgraphs/case-registry/sources/sqlite';

/**
 * debtorSearch latency through the gateway (issue 18: `debtorSearch(name: "建设", first: 20)` at 1,000,000 cases,
 * median ≤ 20 ms). Starts this checkout's whole graph on a province and, with `--before DIR`, another checkout's (the
 * previous release: its LIKE scans) on the same files, then sends the queries to each in turn, alternating which goes
 * first, and checks that both answer the same `data`. To say where the time goes it also times, per engine, the
 * search's own two statements (the source's searchByNameKey, opened on the same registry file, answering the same
 * rows) and a trivial query through the same gateway and subgraph (`courts(level: HIGH)`: the per-request floor).
 * Usage: npx tsx bench/search.ts [DATA_DIR] [--runs 30] [--before /path/to/previous/checkout] [--names 建设,建设工程,成都]
 * DATA_DIR defaults to bench/.data/20000 (seeded on first use).
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '30' },
    before: { type: 'string' },
    names: { type: 'string', default: '建设,建设工程,成都' },
  },
});
const asOf = '2026-11-28';
const dataDir = path.resolve(positionals[0] ?? 'bench/.data/20000');
if (!isSeeded(dataDir)) await generateProvince({ dataDir, cases: 20_000, seed: 1, asOf });

type Start = typeof startGraph;
const config = { PORT: 0, HOST: '127.0.0.1', dataDir, AS_OF_DATE: asOf, LOG_LEVEL: 'warn' } as const;
type OpenRegistry = typeof openCaseRegistrySqlite;
const registryModule = 'subgraphs/case-registry/sources/sqlite.ts';
const engines: { label: string; start: Start; openRegistry: OpenRegistry }[] = [
  {
    label: 'this checkout',
    start: ((await import('../scripts/graph')) as { startGraph: Start }).startGraph,
    openRegistry: openCaseRegistrySqlite,
  },
];
if (values.before)
  engines.unshift({
    label: `before (${values.before})`,
    start: ((await import(path.resolve(values.before, 'scripts/graph.ts'))) as { startGraph: Start }).startGraph,
    openRegistry: ((await import(path.resolve(values.before, registryModule))) as { openCaseRegistrySqlite: OpenRegistry })
      .openCaseRegistrySqlite,
  });
// This checkout first: its migration builds the index on a province seeded before it.
const graphs: Awaited<ReturnType<Start>>[] = [];
for (const e of [...engines].reverse()) graphs.unshift(await e.start({ ...config } as Parameters<Start>[0]));

const DEFAULTS = loadConfig({});
const token = await mintDevToken(
  { dataDir, AUTH_ISSUER: DEFAULTS.AUTH_ISSUER, AUTH_AUDIENCE: DEFAULTS.AUTH_AUDIENCE },
  { court: '川', role: 'high' },
  {},
);
const QUERY = 'query ($n: String!) { debtorSearch(name: $n, first: 20) { name candidate confidence identifier debtor { id } } }';
async function once(url: string, name: string): Promise<{ ms: number; data: string }> {
  const t = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: QUERY, variables: { n: name } }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: unknown };
  const ms = performance.now() - t;
  if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
  return { ms, data: JSON.stringify(body.data) };
}
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

console.log(
  `node ${process.version}, ${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(`${dataDir}, ${values.runs} runs per name and engine after 3 warm-up runs`);
const registries = engines.map((e) => e.openRegistry(path.join(dataDir, 'case-registry.db')));
/** The runs of `f` for each engine (alternating which goes first, after 3 warm-ups), and the answers, which must agree. */
async function interleaved(what: string, f: (k: number) => Promise<string>): Promise<number[][]> {
  const times: number[][] = engines.map(() => []);
  let first: string | undefined;
  for (let i = -3; i < Number(values.runs); i++) {
    const order = i % 2 === 0 ? engines.map((_, k) => k) : engines.map((_, k) => k).reverse();
    for (const k of order) {
      const t = performance.now();
      const answer = await f(k);
      if (i >= 0) times[k]!.push(performance.now() - t);
      first ??= answer;
      if (answer !== first) throw new Error(`${what}: ${engines[k]!.label} answered differently`);
    }
  }
  return times;
}
const report = (what: string, times: number[][], note: string) => {
  for (const [k, e] of engines.entries())
    console.log(
      `${what.padEnd(18)} ${e.label.padEnd(40)} median ${quantile(times[k]!, 0.5).toFixed(1).padStart(7)} ms   p90 ${quantile(
        times[k]!,
        0.9,
      )
        .toFixed(1)
        .padStart(7)} ms   ${note}`,
    );
};
try {
  for (const name of values.names.split(',')) {
    const key = normaliseName(name);
    const times = await interleaved(`${name} statements`, async (k) => {
      const r = await registries[k]!.searchByNameKey(key, 20);
      return JSON.stringify([r.persons.map((p) => p.id), r.unidentified.map((d) => [d.case_number, d.position])]);
    });
    report(`${name} statements`, times, 'searchByNameKey(first 20) alone, same rows');
  }
  const FLOOR = '{ courts(level: HIGH) { code } }';
  const floor = await interleaved('floor', async (k) => {
    const res = await fetch(graphs[k]!.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: FLOOR }),
    });
    return JSON.stringify(((await res.json()) as { data?: unknown }).data);
  });
  report('floor', floor, `${FLOOR} through the gateway`);
  for (const name of values.names.split(',')) {
    const times: number[][] = engines.map(() => []);
    let first: string | undefined;
    let matches = 0;
    for (let i = -3; i < Number(values.runs); i++) {
      const order = i % 2 === 0 ? engines.map((_, k) => k) : engines.map((_, k) => k).reverse();
      for (const k of order) {
        const r = await once(graphs[k]!.gateway.url, name);
        first ??= r.data;
        if (r.data !== first) throw new Error(`${name}: ${engines[k]!.label} answered differently`);
        matches = (JSON.parse(r.data) as { debtorSearch: unknown[] }).debtorSearch.length;
        if (i >= 0) times[k]!.push(r.ms);
      }
    }
    for (const [k, e] of engines.entries())
      console.log(
        `${name.padEnd(6)} ${e.label.padEnd(40)} median ${quantile(times[k]!, 0.5).toFixed(1).padStart(7)} ms   p90 ${quantile(
          times[k]!,
          0.9,
        )
          .toFixed(1)
          .padStart(7)} ms   ${matches} matches, same data`,
      );
  }
} finally {
  for (const g of graphs) await g.close();
}
