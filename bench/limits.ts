import os from 'node:os';
import path from 'node:path';
import { startGraph } from '../scripts/graph';
import { generateProvince, isSeeded } from '../seed/province';
import { mintDevToken } from '../scripts/token';

/**
 * Issue #5: operation-limit rejections come back in well under 100 ms, before any subgraph is called. Each
 * attacking request is timed over HTTP beside a small accepted query in the same run (interleaved), on the
 * 20,000-case default province.
 *
 * Usage: npx tsx bench/limits.ts [--runs R]
 */
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 0) || 50;
const asOf = '2026-11-28';
const dataDir = path.resolve('bench/.data/20000');
if (!isSeeded(dataDir)) await generateProvince({ dataDir, cases: 20_000, seed: 1, asOf });
// The body limit is raised so the token limit, not the body size, is what refuses the 50,000-token document.
const graph = await startGraph({ PORT: 0, HOST: '127.0.0.1', dataDir, AS_OF_DATE: asOf, MAX_BODY_BYTES: 1_000_000 });
const token = await mintDevToken(
  { dataDir, AUTH_ISSUER: graph.security.client.issuer, AUTH_AUDIENCE: graph.security.client.audience },
  { court: '川', role: 'high' },
);

const nest = (n: number): string => (n === 0 ? 'code' : `parent { ${nest(n - 1)} }`);
const requests: Record<string, string> = {
  'accepted: court(code) { name }': '{ court(code: "川01") { name } }',
  'MAX_DEPTH (7 deep)': `{ court(code: "川0104") { ${nest(5)} } }`,
  'MAX_ALIASES (16)': `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: court(code: "川01") { code }`).join(' ')} }`,
  'MAX_DIRECTIVES (51)': `{ court(code: "川01") { ${Array.from({ length: 51 }, () => 'code @include(if: true)').join(' ')} } }`,
  'MAX_TOKENS (50,000 tokens)': `{ court(code: "川01") { ${'code '.repeat(50_000)} } }`,
  // Issue 13: one alias of it is estimated at 2.7 million by the measured list sizes (it was 2,000-2,500 at 5 per list).
  'MAX_COST (issue 13, 3 aliases)': `{ ${['a', 'b', 'c'].map((a) => `${a}: courts { officers { name casesHandled { number debtors { name identifier } } } }`).join(' ')} }`,
  'MAX_LIST_SIZE (first: 101)': '{ transferCandidates(first: 101) { nodes { urgency } } }',
};

async function time(query: string): Promise<{ ms: number; status: number }> {
  const t = performance.now();
  const res = await fetch(graph.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  await res.arrayBuffer();
  return { ms: performance.now() - t, status: res.status };
}

try {
  for (const q of Object.values(requests)) await time(q); // warm-up
  const samples = new Map<string, number[]>(Object.keys(requests).map((k) => [k, []]));
  const statuses = new Map<string, number>();
  for (let i = 0; i < runs; i++) {
    for (const [name, q] of Object.entries(requests)) {
      const r = await time(q);
      samples.get(name)!.push(r.ms);
      statuses.set(name, r.status);
    }
  }
  console.log(
    `node ${process.version}, ${os.cpus().length} cores; ${runs} interleaved runs; MAX_TOKENS body ${Buffer.byteLength(requests['MAX_TOKENS (50,000 tokens)']!)} bytes (MAX_BODY_BYTES raised for it)`,
  );
  for (const [name, xs] of samples) {
    const s = [...xs].sort((a, b) => a - b);
    console.log(
      `${name.padEnd(32)} HTTP ${statuses.get(name)}  median ${s[Math.floor(s.length / 2)]!.toFixed(2)} ms  p90 ${s[Math.floor(s.length * 0.9)]!.toFixed(2)} ms  max ${s[s.length - 1]!.toFixed(2)} ms`,
    );
  }
} finally {
  await graph.close();
}
