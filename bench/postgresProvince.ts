import os from 'node:os';
import pg from 'pg';
import type { PostgresSettings } from '../lib/database';
import { COORDINATION_DB, SYSTEMS, type SystemName } from '../lib/dataFiles';
import { BulkLoadRefused } from '../lib/postgresBulk';
import { assertPostgresTargetsEmpty, loadProvinceIntoPostgres } from '../seed/postgres';

/** The machine's load averages, one decimal each: every bench prints them beside its figures. */
export const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/**
 * A province's databases on a PostgreSQL server for a bench (bench/dialects.ts, bench/search.ts): one database per
 * system, `<prefix>_<system>`, created when missing and loaded from `dataDir`'s SQLite files with COPY, indexes after
 * the rows and ANALYZE (seed/postgres.ts, as `npm run seed` loads PostgreSQL) when empty; databases that already hold
 * the province (a kept data directory, `--postgres-dir`) are used as they are. Gives each system's URL.
 */
export async function provinceOnPostgres(
  serverUrl: string,
  prefix: string,
  dataDir: string,
  log: (line: string) => void,
): Promise<Record<string, string>> {
  const systems = [...SYSTEMS, COORDINATION_DB];
  const urls: Record<string, string> = {};
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    for (const system of systems) {
      const name = `${prefix}_${system.replace(/-/g, '_')}`;
      const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
      if (!exists.rowCount) await admin.query(`create database "${name}"`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      urls[system] = url.toString();
    }
  } finally {
    await admin.end();
  }
  // The bulk load's own settings: few connections, no statement time-out.
  const targets = Object.fromEntries(
    systems.map((s) => [s, { url: urls[s]!, poolMax: 2, statementTimeoutMs: 0 } satisfies PostgresSettings]),
  ) as Record<SystemName | typeof COORDINATION_DB, PostgresSettings>;
  let empty = true;
  try {
    await assertPostgresTargetsEmpty(targets);
  } catch (err) {
    if (!(err instanceof BulkLoadRefused)) throw err;
    empty = false;
  }
  if (empty) {
    log(`loading ${dataDir} into PostgreSQL (COPY + indexes + ANALYZE; load average ${loadAverage()})`);
    const t = performance.now();
    const report = await loadProvinceIntoPostgres(dataDir, targets);
    const rows = Object.values(report).reduce((n, t) => n + Object.values(t).reduce((a, b) => a + b, 0), 0);
    log(`PostgreSQL load: ${rows} rows in ${((performance.now() - t) / 1000).toFixed(1)} s (load average ${loadAverage()})`);
  } else log(`PostgreSQL databases ${prefix}_* on ${new URL(serverUrl).host} already loaded: not reloaded`);
  return urls;
}
