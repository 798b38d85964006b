import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { inject } from 'vitest';
import type { BaseContext } from '@apollo/server';
import { databaseFile, type SystemName } from '../../lib/dataFiles';
import type { SubgraphModule, SubgraphOptions } from '../../lib/subgraphServer';
import { openSubgraph } from '../../subgraphs';
import { startGraph, type RunningGraph } from '../../gateway/graph';
import { SUBGRAPHS, type SubgraphName } from '../../gateway/subgraphs';
import type { FormattedExecutionResult } from 'graphql';
import type { GraphQLResponse } from '@apollo/server';

export function testDataDir(): string {
  return inject('dataDir');
}

export function testToday(): string {
  return inject('asOf');
}

/** Read-only handle on one system's database, to check answers against the records themselves. */
export function openRaw(system: SystemName): Database.Database {
  return new Database(databaseFile(testDataDir(), system), { readonly: true, fileMustExist: true });
}

export function openTestSubgraph(name: SubgraphName, opts: SubgraphOptions = {}): SubgraphModule<BaseContext> {
  return openSubgraph(name, testDataDir(), { today: () => testToday(), ...opts });
}

export function openAllSubgraphs(opts: SubgraphOptions = {}): Record<SubgraphName, SubgraphModule<BaseContext>> {
  return Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, openTestSubgraph(name, opts)])) as Record<SubgraphName, SubgraphModule<BaseContext>>;
}

/** The single result of a non-incremental operation. */
export function unwrapSingleResult<T = Record<string, unknown>>(response: GraphQLResponse): FormattedExecutionResult<T> {
  if (response.body.kind !== 'single') throw new Error(`expected a single result, got ${response.body.kind}`);
  return response.body.singleResult as FormattedExecutionResult<T>;
}

/** POSTs an operation to a GraphQL endpoint over real HTTP. */
export async function postGraphQL<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ status: number; body: FormattedExecutionResult<T> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
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
  return dir;
}

/** The whole graph over real HTTP on a data directory of the test's own (see copyTestProvince). */
export function startGraphOn(dataDir: string, opts: SubgraphOptions = {}): Promise<RunningGraph> {
  return startGraph({ PORT: 0, HOST: '127.0.0.1', dataDir, AS_OF_DATE: testToday() }, opts);
}

/** The whole graph over real HTTP on free loopback ports, on the seeded test province. */
export function startTestGraph(opts: SubgraphOptions = {}): Promise<RunningGraph> {
  return startGraph({ PORT: 0, HOST: '127.0.0.1', dataDir: testDataDir(), AS_OF_DATE: testToday() }, opts);
}
