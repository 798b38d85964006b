import type { BaseContext } from '@apollo/server';
import { expect } from 'vitest';
import { devKeyFiles, PROVINCE_VIEWER, readJwks, readPrivateKey, SubgraphTokenSigner } from '../../lib/auth';
import { SUBGRAPH_RUNTIMES, type SubgraphRuntime } from '../../lib/config';
import type { RunningServer, SubgraphModule, SubgraphOptions } from '../../lib/subgraphServer';
import { serveSubgraphOn } from '../../lib/subgraphRuntime';
import { SUBGRAPHS, type SubgraphName } from '../../subgraphs/catalogue';
import { openTestSubgraph, testDataDir } from './graph';

/** What one runtime answered over HTTP: the status and the JSON body (Apollo ends it with a newline, Fastify does not). */
export interface HttpAnswer<T = Record<string, unknown>> {
  status: number;
  json: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/**
 * The catalogued subgraphs served over real HTTP on loopback, each on every runtime (Apollo Server and Mercurius),
 * called as the gateway calls them: with a token the gateway's key signs for that subgraph (the test province's
 * gateway key pair, the one `startTestGraph` signs with). Each served subgraph has its own module, so the runtimes
 * share no request state.
 */
export interface ServedSubgraphs {
  /** POSTs the body to `name` on every runtime, in SUBGRAPH_RUNTIMES order. */
  postOnEach<T = Record<string, unknown>>(name: SubgraphName, body: unknown): Promise<[SubgraphRuntime, HttpAnswer<T>][]>;
  close(): Promise<void>;
}

export async function serveSubgraphs(
  names: readonly SubgraphName[] = SUBGRAPHS.map((s) => s.name),
  runtimes: readonly SubgraphRuntime[] = SUBGRAPH_RUNTIMES,
  opts: SubgraphOptions = {},
): Promise<ServedSubgraphs> {
  const keys = devKeyFiles(testDataDir());
  const gatewayKeys = readJwks(keys.gatewayJwks);
  const { key, kid } = await readPrivateKey(keys.gatewayPrivate);
  const signer = new SubgraphTokenSigner(key, kid);
  const served: { name: SubgraphName; runtime: SubgraphRuntime; module: SubgraphModule<BaseContext>; server: RunningServer }[] = [];
  try {
    for (const name of names)
      for (const runtime of runtimes) {
        const module = openTestSubgraph(name, opts);
        const server = await serveSubgraphOn(runtime, module, { port: 0, host: '127.0.0.1', gatewayKeys }).catch(async (err: unknown) => {
          await module.close();
          throw err;
        });
        served.push({ name, runtime, module, server });
      }
  } catch (err) {
    await close();
    throw err;
  }
  async function close() {
    await Promise.all(served.map((s) => s.server.close()));
    await Promise.all(served.map((s) => s.module.close()));
  }
  return {
    async postOnEach<T>(name: SubgraphName, body: unknown) {
      const token = await signer.tokenFor(PROVINCE_VIEWER, name);
      return Promise.all(
        served
          .filter((s) => s.name === name)
          .map(async ({ runtime, server }): Promise<[SubgraphRuntime, HttpAnswer<T>]> => {
            const res = await fetch(server.url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body: JSON.stringify(body),
            });
            return [runtime, { status: res.status, json: (await res.json()) as HttpAnswer<T>['json'] }];
          }),
      );
    },
    close,
  };
}

/**
 * Runs an operation on every runtime, expects it to succeed on each, and expects the other runtimes to answer exactly
 * as the first (Apollo Server) does; returns that one answer's data, which the caller's assertions then hold for all.
 */
export async function identicalData<T>(served: ServedSubgraphs, name: SubgraphName, body: unknown): Promise<T> {
  const answers = await served.postOnEach<T>(name, body);
  expect(answers.length).toBeGreaterThan(1);
  const [[, first]] = answers as [[SubgraphRuntime, HttpAnswer<T>]];
  for (const [runtime, answer] of answers) {
    expect(answer.status, `${name} on ${runtime}`).toBe(200);
    expect(answer.json.errors, `${name} on ${runtime}`).toBeUndefined();
    expect(answer.json, `${name} on ${runtime} answers as on ${answers[0]![0]}`).toEqual(first.json);
  }
  return first.json.data!;
}
