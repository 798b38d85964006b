import { performance } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import type { DatabaseSettings } from '../lib/database';
import { mintDevToken } from '../scripts/token';
import { generateProvince, isSeeded } from '../seed/province';
import type { startGraph } from '../scripts/graph';
import { normaliseName } from '../domain/names';
import { openCaseRegistrySqlite } from '../subgraphs/case-registry/sources/sqlite';
import { startTestPostgres, type TestPostgres } from '../test/support/postgres';
import { loadAverage, provinceOnPostgres } from './postgresProvince';

/**
 * debtorSearch latency through the gateway (issue 18: `debtorSearch(name: "建设", first: 20)` at 1,000,000 cases,
 * median ≤ 20 ms, on SQLite and on PostgreSQL). Starts this checkout's whole graph on a province's SQLite files and,
 * with `--postgres URL` or `--postgres-dir DIR`, a second one on the same province in PostgreSQL (bench/postgresProvince.ts:
 * loaded from the same files on first use and kept), and with `--before DIR` another checkout's graph (the previous
 * release) on each of those: the same files and databases. It sends the queries to each in turn, rotating which goes first, and checks that
 * all answer the same `data`. To say where the time goes it also times, per engine, the search's own two statements
 * (the source's searchByNameKey on the same store, answering the same rows), the follow-up statement for the
 * unidentified parties' keys (personsByNameKey), and a trivial query through the same gateway and subgraph
 * (`courts(level: HIGH)`: the per-request floor).
 * Usage: npx tsx bench/search.ts [DATA_DIR] [--runs 30] [--first 20] [--names 建设,建设工程,成都]
 *          [--statement-names 川] [--postgres URL | --postgres-dir DIR] [--before /path/to/previous/checkout]
 * DATA_DIR defaults to bench/.data/20000 (seeded on first use). --statement-names: keys timed through the statements
 * only (one character, which the API refuses below two UTF-16 units, reaches only the source).
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '30' },
    first: { type: 'string', default: '20' },
    before: { type: 'string' },
    names: { type: 'string', default: '建设,建设工程,成都' },
    'statement-names': { type: 'string', default: '' },
    postgres: { type: 'string' },
    'postgres-dir': { type: 'string' },
  },
});
const asOf = '2026-11-28';
const first = Number(values.first);
const dataDir = path.resolve(positionals[0] ?? 'bench/.data/20000');
if (!isSeeded(dataDir)) await generateProvince({ dataDir, cases: 20_000, seed: 1, asOf });

type Start = typeof startGraph;
type OpenRegistry = typeof openCaseRegistrySqlite;
const config = { PORT: 0, HOST: '127.0.0.1', dataDir, AS_OF_DATE: asOf, LOG_LEVEL: 'warn' } as const;
const registryModule = 'subgraphs/case-registry/sources/sqlite.ts';
const here = {
  start: ((await import('../scripts/graph')) as { startGraph: Start }).startGraph,
  openRegistry: openCaseRegistrySqlite,
};
interface Engine {
  label: string;
  start: Start;
  openRegistry: OpenRegistry;
  databases?: DatabaseSettings;
}
const engines: Engine[] = [{ label: 'SQLite', ...here }];
let server: TestPostgres | undefined;
if (values.postgres || values['postgres-dir']) {
  // A running server (`--postgres URL`, a superuser URL), or the embedded PostgreSQL 18 on a data directory that is
  // kept (`--postgres-dir DIR`), so the 1,000,000-case load (~5 min) is paid once.
  const url = values.postgres ?? (server = await startTestPostgres({ keptDir: values['postgres-dir']! })).url();
  const urls = await provinceOnPostgres(url, 'search', dataDir, (line) => console.log(line));
  engines.push({ label: 'PostgreSQL', ...here, databases: { urls, poolMax: 10, statementTimeoutMs: 10_000 } });
}
if (values.before) {
  const before = {
    start: ((await import(path.resolve(values.before, 'scripts/graph.ts'))) as { startGraph: Start }).startGraph,
    openRegistry: ((await import(path.resolve(values.before, registryModule))) as { openCaseRegistrySqlite: OpenRegistry })
      .openCaseRegistrySqlite,
  };
  // The previous checkout on each dialect this run has, on the same files and databases.
  engines.unshift(...engines.map((e) => ({ ...e, ...before, label: `${e.label} before` })));
}
// This checkout's first: its migration builds the index on a province seeded before it.
const graphs: Awaited<ReturnType<Start>>[] = [];
for (const e of [...engines].reverse())
  graphs.unshift(await e.start({ ...config } as Parameters<Start>[0], e.databases ? { databases: e.databases } : {}));

const DEFAULTS = loadConfig({});
const token = await mintDevToken(
  { dataDir, AUTH_ISSUER: DEFAULTS.AUTH_ISSUER, AUTH_AUDIENCE: DEFAULTS.AUTH_AUDIENCE },
  { court: '川', role: 'high' },
  {},
);
const QUERY = `query ($n: String!) { debtorSearch(name: $n, first: ${first}) { name candidate confidence identifier debtor { id } } }`;
async function once(url: string, name: string): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: QUERY, variables: { n: name } }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: unknown };
  if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
  return JSON.stringify(body.data);
}
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${loadAverage()}`);
console.log(`${dataDir}, first ${first}, ${values.runs} runs per name and engine after 3 warm-up runs, engines in rotating order`);
const registries = engines.map((e) =>
  e.openRegistry(
    path.join(dataDir, 'case-registry.db'),
    e.databases ? { postgres: { ...e.databases, url: e.databases.urls['case-registry']! } } : {},
  ),
);
/** The runs of `f` for each engine (rotating which goes first, after 3 warm-ups), and the answers, which must agree. */
async function interleaved(what: string, f: (k: number) => Promise<string>): Promise<{ times: number[][]; answer: string }> {
  const times: number[][] = engines.map(() => []);
  let reference: string | undefined;
  for (let i = -3; i < Number(values.runs); i++) {
    const start = ((i % engines.length) + engines.length) % engines.length;
    for (let j = 0; j < engines.length; j++) {
      const k = (start + j) % engines.length;
      const t = performance.now();
      const answer = await f(k);
      if (i >= 0) times[k]!.push(performance.now() - t);
      reference ??= answer;
      if (answer !== reference) throw new Error(`${what}: ${engines[k]!.label} answered differently`);
    }
  }
  return { times, answer: reference! };
}
const report = (what: string, times: number[][], note: string) => {
  for (const [k, e] of engines.entries())
    console.log(
      `${what.padEnd(28)} ${e.label.padEnd(17)} median ${quantile(times[k]!, 0.5).toFixed(1).padStart(7)} ms   p90 ${quantile(
        times[k]!,
        0.9,
      )
        .toFixed(1)
        .padStart(7)} ms   ${note}`,
    );
};
try {
  const names = values.names.split(',').filter(Boolean);
  for (const name of [...names, ...values['statement-names'].split(',').filter(Boolean)]) {
    const key = normaliseName(name);
    let keys: string[] = [];
    const search = await interleaved(`${name} statements`, async (k) => {
      const r = await registries[k]!.searchByNameKey(key, first);
      keys = [...new Set(r.unidentified.map((d) => d.name_key))];
      return JSON.stringify([r.persons.map((p) => p.id), r.unidentified.map((d) => [d.case_number, d.position])]);
    });
    const rows = JSON.parse(search.answer) as unknown[][];
    report(`${name} search statements`, search.times, `searchByNameKey(first ${first}): ${rows[0]!.length} + ${rows[1]!.length} rows`);
    if (!keys.length) continue;
    const follow = await interleaved(`${name} personsByNameKey`, async (k) =>
      JSON.stringify((await registries[k]!.personsByNameKey(keys)).map((ps) => ps.map((p) => p.id))),
    );
    report(`${name} personsByNameKey`, follow.times, `the unidentified parties' ${keys.length} keys`);
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
  report('floor', floor.times, `${FLOOR} through the gateway`);
  for (const name of names) {
    let matches = 0;
    const r = await interleaved(name, async (k) => {
      const data = await once(graphs[k]!.gateway.url, name);
      matches = (JSON.parse(data) as { debtorSearch: unknown[] }).debtorSearch.length;
      return data;
    });
    report(`${name} through the gateway`, r.times, `debtorSearch(first: ${first}): ${matches} matches, same data`);
  }
  console.log(`load average after: ${loadAverage()}`);
} finally {
  for (const g of graphs) await g.close();
  for (const r of registries) await r.db.destroy();
  await server?.stop();
}
