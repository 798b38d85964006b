import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { DatabaseSettings } from '../lib/database';
import { generatedAsOf } from '../seed/dataDir';
import { generateProvince, isSeeded } from '../seed/province';
import { startTestPostgres, type TestPostgres } from '../test/support/postgres';
import { runDialects, type QueryName } from './dialects/run';
import { loadAverage, provinceOnPostgres } from './postgresProvince';

/**
 * Issue 16 item 6: SQLite and PostgreSQL side by side on the same generated province (bench/README.md).
 *
 * Usage: npm run bench:dialects -- [CASES] [--data-dir DIR] [--postgres URL] [--rounds 3] [--seconds 10]
 *          [--connections 10] [--runs 15] [--subgraph-timeout-ms 30000] [--postgres-index assess|copy] [--queries walk,candidates,search] [--runner tsx|dist] [--log-level warn]
 * CASES: 1000000 (default); the province is seeded into bench/.data/<CASES> (or --data-dir) on first use.
 * --postgres: a running server's superuser URL (postgres://user:password@host:port/postgres); the bench keeps its
 *   databases there (bench_<CASES>_<system>), loading them from the data directory's files when they are empty, so a
 *   second run skips the load. Without it, the tests' embedded PostgreSQL 18 (test/support/postgres.ts: loopback,
 *   temporary directory, fsync off) is started for the run, loaded, and removed at the end.
 * --postgres-index assess|copy: PostgreSQL's assessment index built by its own pass through its own graph (default), or
 *   copied from the SQLite index (migrate-data's copy of coordination.db) when a second pass would take too long.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'data-dir': { type: 'string' },
    postgres: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    runs: { type: 'string', default: '15' },
    'subgraph-timeout-ms': { type: 'string', default: '30000' },
    'postgres-index': { type: 'string', default: 'assess' },
    queries: { type: 'string', default: 'walk,candidates,search' },
    runner: { type: 'string', default: 'tsx' },
    'log-level': { type: 'string', default: 'warn' },
  },
});
const cases = Number(positionals[0] ?? 1_000_000);
if (!Number.isInteger(cases) || cases < 100 || cases > 1_000_000) {
  console.error('CASES: a whole number of cases from 100 to 1000000');
  process.exit(2);
}
const dataDir = path.resolve(values['data-dir'] ?? path.join('bench/.data', String(cases)));
// The province's own "today" (the generator's marker, e.g. a province seeded by `npm run seed`), else the benches' date.
const asOf = generatedAsOf(dataDir, '2026-11-28');
console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${loadAverage()}; ${dataDir} (as of ${asOf})`);
if (!isSeeded(dataDir)) {
  const s = await generateProvince({ dataDir, cases, seed: 1, asOf });
  console.log(`seeded ${cases} cases into SQLite in ${(s.elapsedMs / 1000).toFixed(1)} s`);
}

let server: TestPostgres | undefined;
const serverUrl = values.postgres ?? (server = await startTestPostgres()).url();
let failures = 0;
try {
  const urls = await provinceOnPostgres(serverUrl, `bench_${cases}`, dataDir, (line) => console.log(line));
  const postgres: DatabaseSettings = { urls, poolMax: 10, statementTimeoutMs: 10_000 };

  const report = await runDialects({
    dataDir,
    asOf,
    postgres,
    rounds: Number(values.rounds),
    seconds: Number(values.seconds),
    connections: Number(values.connections),
    runs: Number(values.runs),
    queries: values.queries.split(',') as QueryName[],
    runner: values.runner as 'tsx' | 'dist',
    subgraphTimeoutMs: Number(values['subgraph-timeout-ms']),
    indexFrom: values['postgres-index'] === 'copy' ? 'sqlite' : 'assess',
    logLevel: values['log-level'],
    log: (line) => console.log(line),
  });
  failures = report.failures;
} finally {
  await server?.stop();
}
process.exit(failures ? 1 : 0);
