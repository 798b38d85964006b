import path from 'node:path';
import { parseArgs } from 'node:util';
import { generatedAsOf } from '../seed/dataDir';
import { loadSecurity } from '../gateway/security';
import { loadConfig } from '../lib/config';
import { mintDevToken } from '../scripts/token';
import { SUBGRAPHS } from '../subgraphs/catalogue';
import { isSeeded } from '../seed/province';
import type * as PeersRun from './peers/run';
import { caseHeavyDebtors, heavyDebtors, queries, ROOT, type Proc, type QueryName, type Runner } from './peers/run';

/**
 * Two revisions of the product side by side (issue 18, ADR 31): this checkout and another one, each its own four
 * subgraphs and gateway, compiled (`npm run build` in both), on the same province. One request at a time, the two
 * revisions in turn (the order swapped every pair), so each request meets an idle machine and a slow stretch of it
 * falls on both alike; every answer's `data` must equal the first. Prints each revision's p50 and min.
 *
 * Usage: npx tsx bench/revisions.ts --other DIR --data DIR [--query walk100] [--pairs 20] [--runner dist|tsx]
 * DIR (other): a checkout of another revision with its dependencies installed and `npm run build` run (for the
 * default runner, dist; tsx runs the sources, as the smoke test in test/bench does);
 * DIR (data): a generated province (bench/README.md), read only.
 */
const { values } = parseArgs({
  options: {
    other: { type: 'string' },
    data: { type: 'string' },
    query: { type: 'string', default: 'walk100' },
    pairs: { type: 'string', default: '20' },
    runner: { type: 'string', default: 'dist' },
  },
});
if (!values.other || !values.data || !isSeeded(path.resolve(values.data))) {
  console.error('--other DIR (another built checkout) and --data DIR (a generated province) are required');
  process.exit(2);
}
const other = path.resolve(values.other);
const dataDir = path.resolve(values.data);
const asOf = generatedAsOf(dataDir, '2026-11-28');
const pairs = Number(values.pairs);
const runner = values.runner as Runner;
const config = loadConfig({ DATA_DIR: dataDir, AS_OF_DATE: asOf });
const security = await loadSecurity(config);
const common = { DATA_DIR: dataDir, AS_OF_DATE: asOf, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '0' };
// A viewer per request, as bench:peers does: the per-viewer budgets stay as they ship.
const tokens = await Promise.all(
  Array.from({ length: 2 * (pairs + 2) }, (_, n) =>
    mintDevToken(
      { dataDir, AUTH_ISSUER: security.client.issuer, AUTH_AUDIENCE: security.client.audience },
      { court: '川', role: 'high', sub: `bench-revisions-${n}` },
    ),
  ),
);
const ids = heavyDebtors(dataDir, 20);
const q = queries(ids, values.query === 'walk100' ? caseHeavyDebtors(dataDir, 100) : ids)[values.query as QueryName];
const body = JSON.stringify({ query: q.query, variables: q.variables });

interface Stack {
  name: string;
  url: string;
  procs: Proc[];
  stop: (p: Proc) => Promise<void>;
}
const stacks: Stack[] = [];
try {
  for (const [name, root] of [
    ['this', ROOT],
    ['other', other],
  ] as const) {
    // Each revision's own process launcher, so each starts its own compiled files with its own node flags.
    const run = (await import(path.join(root, 'bench/peers/run.ts'))) as typeof PeersRun;
    const stack: Stack = { name, url: '', procs: [], stop: run.stopProcess };
    stacks.push(stack);
    for (const s of SUBGRAPHS)
      stack.procs.push(
        await run.startProcess(
          `${name} ${s.name}`,
          'scripts/runSubgraph.ts',
          { ...common, SUBGRAPH_RUNTIME: config.SUBGRAPH_RUNTIME },
          runner,
          [s.name],
        ),
      );
    const urls = Object.fromEntries(SUBGRAPHS.map((s, i) => [s.urlSetting, stack.procs[i]!.url]));
    const gateway = await run.startProcess(`${name} gateway`, 'scripts/start.ts', { ...common, ...urls }, runner);
    stack.procs.push(gateway);
    stack.url = gateway.url;
  }
  const times = new Map<string, number[]>(stacks.map((s) => [s.name, []]));
  let reference: string | undefined;
  let n = 0;
  // Two warm-up pairs (plans cached, connections open), then the measured ones.
  for (let i = -2; i < pairs; i++) {
    for (const stack of i % 2 === 0 ? stacks : [...stacks].reverse()) {
      const started = performance.now();
      const response = await fetch(stack.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[n++]}` },
        body,
      });
      const text = await response.text();
      // Timed to the answer's last byte, as bench:peers times its requests; parsed after.
      const ms = performance.now() - started;
      const answer = JSON.parse(text) as { data?: unknown; errors?: unknown };
      if (answer.errors) throw new Error(`${stack.name}: ${JSON.stringify(answer.errors).slice(0, 500)}`);
      const data = JSON.stringify(answer.data);
      reference ??= data;
      if (data !== reference) throw new Error(`${stack.name}: the answer's data differs from the first`);
      if (i >= 0) times.get(stack.name)!.push(ms);
    }
  }
  const p50 = (list: number[]) => [...list].sort((a, b) => a - b)[list.length >> 1]!;
  console.log(
    `${q.label}, ${pairs} pairs one request at a time, ${runner === 'dist' ? 'compiled' : 'under tsx'}, ${dataDir}; every answer had the same data`,
  );
  for (const [name, list] of times) {
    console.log(
      `${name.padEnd(6)} p50 ${p50(list).toFixed(1)} ms  min ${Math.min(...list).toFixed(1)} ms  (${name === 'this' ? ROOT : other})`,
    );
  }
  console.log(`this/other p50: ${(p50(times.get('this')!) / p50(times.get('other')!)).toFixed(2)}`);
} finally {
  for (const stack of stacks) for (const p of stack.procs) await stack.stop(p);
}
