import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startGraph } from '../../scripts/graph';
import { buildAssessmentIndex, openAssessmentStore } from '../../jobs/assess';
import { copyRoster } from '../../jobs/roster';
import { generateProvince } from '../../seed/province';
import { migrateDataDir } from '../../scripts/migrateData';
import { STORE_MIGRATIONS } from '../../subgraphs';
import { SUBGRAPHS, type SubgraphName } from '../../subgraphs/catalogue';
import { startTestPostgres, type TestPostgres } from './postgres';

export const TEST_AS_OF = '2026-06-30';
export const TEST_CASES = 4000;
export const TEST_SEED = 7;

/** Seeds one small deterministic province for the whole run; every test file reads it (never writes). */
export default async function setup(project: TestProject) {
  // The explorer's browser tests need Debian's chromium: installed here where missing (a no-op when it is there). If it
  // cannot be, those tests fail saying so (test/support/browser.ts); the others run.
  try {
    execFileSync('bash', ['scripts/ensure-chromium.sh'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
  } catch {
    // reported on stderr by the script
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'court-graph-test-'));
  await generateProvince({ dataDir, cases: TEST_CASES, seed: TEST_SEED, asOf: TEST_AS_OF });
  // The assessment index, built through the graph as `npm run assess` does.
  const graph = await startGraph({ PORT: 0, HOST: '127.0.0.1', dataDir, AS_OF_DATE: TEST_AS_OF, LOG_LEVEL: 'silent' });
  const index = openAssessmentStore(dataDir);
  try {
    // The registry's copy of the roster, which supervisors are checked against (ADR 14), as `npm start` takes it.
    await copyRoster(graph.gateway.url, await graph.security.serviceToken(), dataDir);
    await buildAssessmentIndex({
      gatewayUrl: graph.gateway.url,
      token: await graph.security.serviceToken(),
      index,
      today: TEST_AS_OF,
      pageSize: 500,
    });
  } finally {
    await index.close();
    await graph.close();
  }
  // The same province in a real PostgreSQL server, copied as `npm run migrate-data` copies a data directory: the
  // suites that run on both dialects read it there (test/support/graph.ts DIALECTS).
  let postgres: TestPostgres | undefined;
  try {
    postgres = await startTestPostgres();
    const urls: Partial<Record<SubgraphName, string>> = {};
    // The systems with schema steps (a subgraph just scaffolded by new-subgraph has none yet: it stays on SQLite).
    for (const { name } of SUBGRAPHS.filter((s) => STORE_MIGRATIONS[s.name]))
      urls[name] = await postgres.createDatabase(name.replace(/-/g, '_'));
    await migrateDataDir(
      dataDir,
      Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, { url: url!, poolMax: 4, statementTimeoutMs: 30_000 }])),
    );
    // A template of each copy, which no test connects to, so test files that write can take fresh databases of their
    // own from it by CREATE DATABASE … TEMPLATE while others read the copies (test/support/stores.ts).
    for (const url of Object.values(urls))
      await postgres.createDatabase(`${new URL(url!).pathname.slice(1)}_template`, new URL(url!).pathname.slice(1));
    project.provide('postgresUrls', urls as Record<SubgraphName, string>);
    project.provide('postgresServer', postgres.url());
  } catch (err) {
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  project.provide('dataDir', dataDir);
  project.provide('asOf', TEST_AS_OF);
  return async () => {
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dataDir: string;
    asOf: string;
    /** Each system's copy of the test province in the tests' PostgreSQL server. */
    postgresUrls: Record<SubgraphName, string>;
    /** The tests' PostgreSQL server (its `postgres` database, as superuser), for tests that make databases of their own. */
    postgresServer: string;
  }
}
