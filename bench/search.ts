import { performance } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import { mintDevToken } from '../scripts/token';
import { generateProvince, isSeeded } from '../seed/province';
import type { startGraph } from '../scripts/graph';

/**
 * debtorSearch latency through the gateway (issue 18: `debtorSearch(name: "建设", first: 20)` at 1,000,000 cases,
 * median ≤ 20 ms). Starts this checkout's whole graph on a province and, with `--before DIR`, another checkout's (the
 * previous release: its LIKE scans) on the same files, then sends the queries to each in turn, alternating which goes
 * first, and checks that both answer the same `data`.
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
const engines: { label: string; start: Start }[] = [
  { label: 'this checkout', start: ((await import('../scripts/graph')) as { startGraph: Start }).startGraph },
];
if (values.before)
  engines.unshift({
    label: `before (${values.before})`,
    start: ((await import(path.resolve(values.before, 'scripts/graph.ts'))) as { startGraph: Start }).startGraph,
  });
// This checkout first: its migration builds the index on a province seeded before it.
const graphs = [];
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
try {
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
