import path from 'node:path';
import { parseArgs } from 'node:util';
import { generatedAsOf } from '../seed/dataDir';
import { generateProvince, isSeeded } from '../seed/province';
import { runPeers, type EngineName, type QueryName, type Runner } from './peers/run';

/**
 * Issue 18: the product's gateway against its peers on the same subgraphs (bench/README.md).
 *
 * Usage: npm run bench:peers -- [CASES] [--rounds 3] [--seconds 10] [--connections 20] [--engines A,B,C]
 *          [--queries walk20,walk1,walk100,candidates] [--runner tsx|dist] [--log-level warn]
 *          [--floor-runs 20] [--single 10] [--data DIR]
 * CASES: 20000 (default) or any size up to 1000000; the province is seeded in bench/.data/<CASES> on first use.
 * --data: a province already generated elsewhere (a copy: the bench writes keys, the assessment index and migrations
 * into it); its as-of date is the one its `.generated` marker records.
 * --floor-runs: replays of each query's statements for its SQL floor (0: none); --single: requests asked one at a time
 * per engine, query and round, after the loaded round (0: none).
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    engines: { type: 'string', default: 'A,B,C' },
    queries: { type: 'string', default: 'walk20,walk1,walk100,candidates' },
    runner: { type: 'string', default: 'tsx' },
    'log-level': { type: 'string', default: 'warn' },
    'floor-runs': { type: 'string', default: '20' },
    single: { type: 'string', default: '10' },
    data: { type: 'string' },
  },
});
const cases = Number(positionals[0] ?? 20_000);
if (!Number.isInteger(cases) || cases < 100 || cases > 1_000_000) {
  console.error('CASES: a whole number of cases from 100 to 1000000');
  process.exit(2);
}
const dataDir = values.data ? path.resolve(values.data) : path.resolve('bench/.data', String(cases));
const asOf = generatedAsOf(dataDir, '2026-11-28');
if (values.data && !isSeeded(dataDir)) {
  console.error(`--data ${dataDir}: no generated province there`);
  process.exit(2);
}
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
  floorRuns: Number(values['floor-runs']),
  singleRequests: Number(values.single),
  log: (line) => console.log(line),
});
process.exit(report.failures ? 1 : 0);
