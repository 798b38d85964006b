import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { inject } from 'vitest';
import type { BaseContext } from '@apollo/server';
import type { DatabaseSettings, Dialect } from '../../lib/database';
import { databaseFile, type SystemName } from '../../lib/dataFiles';
import type { SubgraphModule, SubgraphOptions } from '../../lib/subgraphServer';
import { openSubgraph } from '../../subgraphs';
import { COURTS_BY_CODE } from '../../domain/sichuan';
import { loadConfig } from '../../lib/config';
import { mintDevToken } from '../../scripts/token';
import { startGraph, type GraphConfig, type RunningGraph } from '../../scripts/graph';
import { SUBGRAPHS, type SubgraphName } from '../../subgraphs/catalogue';
import type { FormattedExecutionResult } from 'graphql';
import type { GraphQLResponse } from '@apollo/server';

export function testDataDir(): string {
  return inject('dataDir');
}

export function testToday(): string {
  return inject('asOf');
}

/** The stores the suites that run on both run on: each system's SQLite file, or its copy in the tests' PostgreSQL. */
export const DIALECTS = ['sqlite', 'postgres'] as const satisfies readonly Dialect[];

/** The store settings that put every system on `dialect` (undefined: the SQLite files of the test province). */
export function databasesFor(dialect: Dialect): DatabaseSettings | undefined {
  if (dialect === 'sqlite') return undefined;
  return { urls: inject('postgresUrls'), poolMax: 4, statementTimeoutMs: 30_000 };
}

/** Read-only handle on one system's database, to check answers against the records themselves. */
export function openRaw(system: SystemName): Database.Database {
  return new Database(databaseFile(testDataDir(), system), { readonly: true, fileMustExist: true });
}

export function openTestSubgraph(name: SubgraphName, opts: SubgraphOptions = {}): SubgraphModule<BaseContext> {
  return openSubgraph(name, testDataDir(), { today: () => testToday(), ...opts });
}

export function openAllSubgraphs(opts: SubgraphOptions = {}): Record<SubgraphName, SubgraphModule<BaseContext>> {
  return Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, openTestSubgraph(name, opts)])) as Record<
    SubgraphName,
    SubgraphModule<BaseContext>
  >;
}

/** The single result of a non-incremental operation. */
export function unwrapSingleResult<T = Record<string, unknown>>(response: GraphQLResponse): FormattedExecutionResult<T> {
  if (response.body.kind !== 'single') throw new Error(`expected a single result, got ${response.body.kind}`);
  return response.body.singleResult as FormattedExecutionResult<T>;
}

const DEFAULTS = loadConfig({});
const tokens = new Map<string, Promise<string>>();

/**
 * A development token for a court, signed with the test province's development key (every graph the tests start
 * uses the keys in that data directory; copies share them).
 */
export function tokenFor(
  court: string,
  opts: { role?: string; sub?: string; expiresInSeconds?: number; notBefore?: number } = {},
): Promise<string> {
  const role = opts.role ?? { HIGH: 'high', INTERMEDIATE: 'intermediate', BASIC: 'basic' }[COURTS_BY_CODE.get(court)?.level ?? 'BASIC'];
  const key = JSON.stringify([court, role, opts]);
  let token = tokens.get(key);
  if (!token) {
    token = mintDevToken(
      { dataDir: testDataDir(), AUTH_ISSUER: DEFAULTS.AUTH_ISSUER, AUTH_AUDIENCE: DEFAULTS.AUTH_AUDIENCE },
      { court, role, sub: opts.sub },
      opts,
    );
    tokens.set(key, token);
  }
  return token;
}

/**
 * POSTs an operation to a GraphQL endpoint over real HTTP, as the high court unless `as` names another court (or
 * `headers` replace the authorization).
 */
export async function postGraphQL<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  opts: { as?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: FormattedExecutionResult<T> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(opts.as ?? '川')}`, ...opts.headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as FormattedExecutionResult<T> };
}

/**
 * A private copy of the seeded test province for tests that write: the shared province stays as every other test
 * file expects it. Each database is copied with VACUUM INTO, which is safe while other workers read it.
 */
export function copyTestProvince(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'court-graph-write-'));
  for (const file of readdirSync(testDataDir()).filter((f) => f.endsWith('.db'))) {
    const db = new Database(path.join(testDataDir(), file), { readonly: true, fileMustExist: true });
    db.prepare('VACUUM INTO ?').run(path.join(dir, file));
    db.close();
  }
  // The same keys, so the test's tokens work against graphs on the copy too.
  cpSync(path.join(testDataDir(), 'keys'), path.join(dir, 'keys'), { recursive: true });
  return dir;
}

/** Request logs are for operators: silent unless a test run sets LOG_LEVEL (vitest.config.ts sets `silent`). */
function testLogLevel(): GraphConfig['LOG_LEVEL'] {
  return (process.env.LOG_LEVEL as GraphConfig['LOG_LEVEL']) ?? 'silent';
}

/** The whole graph over real HTTP on a data directory of the test's own (see copyTestProvince). */
export function startGraphOn(dataDir: string, opts: SubgraphOptions = {}): Promise<RunningGraph> {
  return startGraph({ PORT: 0, HOST: '127.0.0.1', dataDir, AS_OF_DATE: testToday(), LOG_LEVEL: testLogLevel() }, opts);
}

/**
 * The whole graph over real HTTP on free loopback ports, on the seeded test province; `settings` override the
 * defaults (e.g. a raised operation limit for a test about something else).
 */
export function startTestGraph(opts: SubgraphOptions = {}, settings: Partial<GraphConfig> = {}): Promise<RunningGraph> {
  return startGraph(
    { PORT: 0, HOST: '127.0.0.1', dataDir: testDataDir(), AS_OF_DATE: testToday(), LOG_LEVEL: testLogLevel(), ...settings },
    opts,
  );
}
