import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heavyDebtors, queries } from '../../bench/peers/run';
import { readSupergraph } from '../../gateway/supergraph';
import { DEFAULT_SUPERGRAPH_PATH } from '../../lib/config';
import type { RunningGraph } from '../../scripts/graph';
import { postGraphQL, startTestGraph, testDataDir, unwrapSingleResult } from '../support/graph';
import { metric } from '../support/replicas';

/*
 * Issue 18: the gateway merges duplicate entity representations within one fetch. The 20-debtor walk through the
 * product's gateway answers exactly what plain @apollo/gateway answers on the same subgraphs, and the subgraphs are sent
 * fewer representations, counted on both sides.
 */
let graph: RunningGraph;
beforeAll(async () => {
  graph = await startTestGraph({}, { MONITORING_PORT: 0 });
});
afterAll(() => graph.close());

/** Plain Apollo Gateway on the same subgraphs, as the same viewer, counting the representations it sends each one. */
async function plainApollo(query: string, variables: Record<string, unknown>) {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const sent: Record<string, number> = {};
  const gateway = new ApolloGateway({
    supergraphSdl: readSupergraph(DEFAULT_SUPERGRAPH_PATH),
    buildService: ({ name }) =>
      new (class extends RemoteGraphQLDataSource {
        override async willSendRequest({ request }: Parameters<NonNullable<RemoteGraphQLDataSource['willSendRequest']>>[0]) {
          const reps = request.variables?.representations;
          if (Array.isArray(reps)) sent[name] = (sent[name] ?? 0) + reps.length;
          const token = await graph.security.signer.tokenFor({ sub: 'dev-川', court: '川', role: 'high' }, name);
          request.http!.headers.set('authorization', `Bearer ${token}`);
        }
      })({ url: graph.subgraphUrls[name] }),
  });
  const server = new ApolloServer({ gateway });
  await server.start();
  try {
    return { result: unwrapSingleResult(await server.executeOperation({ query, variables })), sent };
  } finally {
    await server.stop();
  }
}

describe('duplicate entity representations merged within a fetch (gateway/entityDedup.ts)', () => {
  it('answers the 20-debtor walk exactly as plain Apollo Gateway does, sending the subgraphs fewer representations', async () => {
    const walk = queries(heavyDebtors(testDataDir(), 20)).walk20;
    const variables = walk.variables as Record<string, unknown>;
    const before = await (await fetch(`${graph.gateway.monitoringUrl}/metrics`)).text();
    const ours = await postGraphQL(graph.gateway.url, walk.query, variables);
    const after = await (await fetch(`${graph.gateway.monitoringUrl}/metrics`)).text();
    const plain = await plainApollo(walk.query, variables);
    expect(ours.body.errors).toBeUndefined();
    expect(plain.result.errors).toBeUndefined();
    expect((ours.body.data as { debtors: unknown[] }).debtors).toHaveLength(20);
    expect(ours.body.data).toEqual(plain.result.data);

    const counted = (kind: string, subgraph: string) =>
      (metric(after, 'subgraph_entity_representations_total', { subgraph, kind }) ?? 0) -
      (metric(before, 'subgraph_entity_representations_total', { subgraph, kind }) ?? 0);
    // The same plan asks for the same representations; merged, fewer go, and at least one subgraph had duplicates.
    let fewer = 0;
    for (const [subgraph, plainSent] of Object.entries(plain.sent)) {
      expect(counted('asked', subgraph), subgraph).toBe(plainSent);
      expect(counted('sent', subgraph), subgraph).toBeLessThanOrEqual(plainSent);
      expect(counted('sent', subgraph), subgraph).toBeGreaterThan(0);
      if (counted('sent', subgraph) < plainSent) fewer++;
    }
    expect(plain.sent.personnel).toBeGreaterThan(0);
    expect(counted('sent', 'personnel')).toBeLessThan(plain.sent.personnel!);
    expect(fewer).toBeGreaterThan(0);
  });
});
