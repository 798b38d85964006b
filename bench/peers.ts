import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateProvince, isSeeded } from '../seed/province';
import { runPeers, type EngineName, type QueryName, type Runner } from './peers/run';

/**
 * Issue 18: the product's gateway against its peers on the same subgraphs (bench/README.md).
 *
 * Usage: npm run bench:peers -- [CASES] [--rounds 3] [--seconds 10] [--connections 20] [--engines A,B,C]
 *          [--queries walk20,walk1,candidates] [--runner tsx|dist] [--log-level warn]
 * CASES: 20000 (default) or any size up to 1000000; the province is seeded in bench/.data/<CASES> on first use.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    engines: { type: 'string', default: 'A,B,C' },
    queries: { type: 'string', default: 'walk20,walk1,candidates' },
    runner: { type: 'string', default: 'tsx' },
    'log-level': { type: 'string', default: 'warn' },
  },
});
const cases = Number(positionals[0] ?? 20_000);
if (!Number.isInteger(cases) || cases < 100 || cases > 1_000_000) {
  console.error('CASES: a whole number of cases from 100 to 1000000');
  process.exit(2);
}
const asOf = '2026-11-28';
const dataDir = path.resolve('bench/.data', String(cases));
if (!isSeeded(dataDir)) {
  const s = await generateProvince({ dataDir, cases, seed: 1, asOf });
  console.log(`seeded ${cases} cases in ${(s.elapsedMs / 1000).toFixed(1)} s`);
}
const report = await runPeers({
  dataDir,
  asOf,
  rounds: Number(values.rounds),
  seconds: Number(values.seconds),
  connections: Number(values.connections),
  engines: values.engines.split(',') as EngineName[],
  queries: values.queries.split(',') as QueryName[],
  runner: values.runner as Runner,
  logLevel: values['log-level'],
  log: (line) => console.log(line),
});
process.exit(report.failures ? 1 : 0);
