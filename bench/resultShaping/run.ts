import { readFileSync } from 'node:fs';
import os from 'node:os';
import { operationFromDocument, Supergraph, type Operation } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { apolloComputeResponse, computeResponse, type ComputeResponseInput } from '../../gateway/resultShaping';
import { resultInput, seeded } from '../../test/support/resultInputs';

/*
 * The gateway's result shaping, side by side: `@apollo/gateway`'s computeResponse (B's) and the product's compiled one
 * (gateway/resultShaping.ts), interleaved on one generated answer the size of the heaviest 100-debtor walk at 1,000,000
 * cases (100 debtors, 145 cases each, 20 properties of 4 measures: ~6 MB as JSON). Prints the median and minimum per
 * call, and checks both give the same text. Run bundled as the gateway runs (bench/resultShaping.ts).
 *
 *   node <bundle> <supergraph.graphql> <the walk: {"query", "variables"} as JSON> [runs]
 */

const [supergraphFile, walk, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 15);
const LENGTHS: Record<string, number> = { debtors: 100, cases: 145, properties: 20, measures: 4 };

const supergraph = Supergraph.build(readFileSync(supergraphFile!, 'utf8'));
const { query, variables } = JSON.parse(walk!) as { query: string; variables: Record<string, unknown> };
const operation: Operation = operationFromDocument(supergraph.apiSchema(), parse(query), { validate: false });
const input = resultInput(operation, { random: seeded(1), listLength: (name) => LENGTHS[name] ?? 1 });
const args = (): ComputeResponseInput => ({
  operation,
  variables,
  input,
  introspectionHandling: () => null,
});

const engines = { apollo: apolloComputeResponse, compiled: computeResponse };
// Each call's shaping, and the serialising of its result that follows in the gateway (gateway/apollo.ts serialiseResult).
const times: Record<string, { shape: number[]; serialise: number[] }> = {
  apollo: { shape: [], serialise: [] },
  compiled: { shape: [], serialise: [] },
};
const texts = new Set<string>();
for (let i = 0; i < runs + 2; i++) {
  for (const [name, shape] of Object.entries(engines)) {
    const started = performance.now();
    const { data } = shape(args());
    const shaped = performance.now();
    const text = JSON.stringify({ data });
    const serialised = performance.now();
    if (i >= 2) {
      times[name]!.shape.push(shaped - started);
      times[name]!.serialise.push(serialised - shaped);
    }
    if (i === 0) texts.add(text);
  }
}
if (texts.size !== 1) throw new Error('the two shapings gave different data');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `node ${process.version}, ${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(`answer ${(JSON.stringify(input).length / 1e6).toFixed(2)} MB of input; ${runs} calls each, interleaved after 2 warm-up calls`);
const ms = (xs: number[]) =>
  `median ${median(xs).toFixed(1).padStart(6)} ms, min ${Math.min(...xs)
    .toFixed(1)
    .padStart(6)} ms`;
for (const [name, t] of Object.entries(times)) console.log(`${name.padEnd(9)} shaping ${ms(t.shape)}   serialising ${ms(t.serialise)}`);
const total = (t: { shape: number[]; serialise: number[] }) => median(t.shape) + median(t.serialise);
console.log(
  `apollo/compiled: shaping ${(median(times.apollo!.shape) / median(times.compiled!.shape)).toFixed(2)}x, with serialising ${(total(times.apollo!) / total(times.compiled!)).toFixed(2)}x; the same text from both`,
);
