import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { parse } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../gateway/compose';
import { alignHiveLogLevel } from '../../gateway/hive';
import { unwrapSingleResult } from '../support/graph';

/**
 * Issue 17 item 7, the minimal reproduction behind ADR 21: three tiny subgraphs shaped like the product's (a registry
 * owning courts, cases and the cases' handlers; a roster owning `Officer.isLeader`; a coordination subgraph whose
 * report `@requires` the roster's fact), composed by @apollo/composition and run on both engines. Each shape is a
 * valid Federation 2 requirement (composition checks satisfiability) and @apollo/gateway plans it; the tests pin what
 * Hive Gateway 2.15 does with it, so an engine upgrade that changes the answer shows up here first.
 */
const FED = '@link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@external", "@requires"])';

const REGISTRY = /* GraphQL */ `
  extend schema ${FED}
  type Query { courts: [Court!]! }
  type Court @key(fields: "code") { code: String! received: [Case!]! receivedHandlers: [Officer!]! }
  type Case @key(fields: "number") { number: String! handler: Officer }
  type Officer @key(fields: "id", resolvable: false) { id: ID! }
`;
const ROSTER = /* GraphQL */ `
  extend schema ${FED}
  type Officer @key(fields: "id") { id: ID! isLeader: Boolean! }
`;
/** Coordination with one requirement, `requires`, on a field of the given return type. */
const coordination = (requires: string, returns: 'String' | 'Report') => /* GraphQL */ `
  extend schema ${FED}
  type Court @key(fields: "code") {
    code: String!
    received: [Case!]! @external
    receivedHandlers: [Officer!]! @external
    handling: ${returns} @requires(fields: "${requires}")
    # Keeps every @external field in use whatever the requirement under test selects.
    all: String @requires(fields: "received { number handler { id isLeader } } receivedHandlers { id isLeader }")
  }
  type Case @key(fields: "number") { number: String! handler: Officer @external }
  type Officer @key(fields: "id") { id: ID! isLeader: Boolean! @external }
  type Report { leaders: [ID!]! }
`;

const CASES = [
  { number: '(2025)川0104执1号', handler: 'OF1' },
  { number: '(2025)川0104执2号', handler: 'OF2' },
];
/** The leaders the coordination resolver saw, from whichever path the requirement took. */
function leadersSeen(court: {
  received?: { handler: { id: string; isLeader?: boolean } | null }[];
  receivedHandlers?: { id: string; isLeader?: boolean }[];
}): string[] {
  const officers = [...(court.receivedHandlers ?? []), ...(court.received ?? []).flatMap((c) => (c.handler ? [c.handler] : []))];
  return [...new Set(officers.filter((o) => o.isLeader === true).map((o) => o.id))].sort();
}

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops) await stop();
});

async function serve(name: string, sdl: string, resolvers: object) {
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as never }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  stops.push(() => server.stop());
  return { name, url, typeDefs: parse(sdl) };
}

/** The query on @apollo/gateway and on Hive Gateway (in process), over the same three subgraphs on loopback HTTP. */
async function onBothEngines(requires: string, returns: 'String' | 'Report', query: string) {
  const subgraphs = [
    await serve('registry', REGISTRY, {
      Query: { courts: () => [{ code: '川0104' }] },
      Court: { received: () => CASES, receivedHandlers: () => CASES.map((c) => ({ id: c.handler })) },
      Case: { handler: (c: { handler: string }) => ({ id: c.handler }) },
    }),
    await serve('roster', ROSTER, { Officer: { __resolveReference: (o: { id: string }) => ({ id: o.id, isLeader: o.id === 'OF1' }) } }),
    await serve('coordination', coordination(requires, returns), {
      Court: {
        __resolveReference: (c: object) => c,
        handling: (c: Parameters<typeof leadersSeen>[0]) =>
          returns === 'String' ? leadersSeen(c).join(',') || 'none' : { leaders: leadersSeen(c) },
      },
    }),
  ];
  const supergraphSdl = composeSupergraph(subgraphs);
  const apollo = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
  await apollo.start();
  stops.push(() => apollo.stop());
  alignHiveLogLevel();
  const hive = createGatewayRuntime({ supergraph: () => supergraphSdl, logging: false, maskedErrors: false });
  stops.push(async () => hive.dispose());
  const apolloAnswer = unwrapSingleResult(await apollo.executeOperation({ query }));
  const res = await hive.fetch('http://hive.invalid/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const hiveAnswer = (await res.json()) as {
    data?: { courts: { handling: unknown }[] } | null;
    errors?: { extensions?: { code?: string } }[];
  };
  return { apollo: apolloAnswer as typeof hiveAnswer, hive: hiveAnswer };
}

describe('a @requires that needs the roster below the court', () => {
  it('two entity levels down (received { handler { isLeader } }): Apollo plans it, Hive Gateway 2.15 cannot', async () => {
    const { apollo, hive } = await onBothEngines('received { number handler { id isLeader } }', 'String', '{ courts { code handling } }');
    expect(apollo.errors).toBeUndefined();
    expect(apollo.data?.courts[0]?.handling).toBe('OF1');
    expect(hive.errors?.[0]?.extensions?.code).toBe('SATISFIABILITY_ERROR');
  });

  it('one entity level down (receivedHandlers { isLeader }), the hop first: both engines answer the same', async () => {
    const { apollo, hive } = await onBothEngines(
      'receivedHandlers { id isLeader } received { number handler { id } }',
      'String',
      '{ courts { code handling } }',
    );
    expect(apollo.data?.courts[0]?.handling).toBe('OF1');
    expect(hive).toEqual(apollo);
  });

  it('one level down but after a path to Officer that needs no hop: Hive Gateway drops the roster fact unasked', async () => {
    const { apollo, hive } = await onBothEngines(
      'received { number handler { id } } receivedHandlers { id isLeader }',
      'String',
      '{ courts { code handling } }',
    );
    expect(apollo.data?.courts[0]?.handling).toBe('OF1');
    expect(hive.errors).toBeUndefined();
    expect(hive.data?.courts[0]?.handling).toBe('none');
  });

  it('an object-typed field with that requirement: Apollo answers, Hive Gateway 2.15 answers null (open, ADR 21)', async () => {
    const { apollo, hive } = await onBothEngines(
      'receivedHandlers { id isLeader } received { number handler { id } }',
      'Report',
      '{ courts { code handling { leaders } } }',
    );
    expect(apollo.data?.courts[0]?.handling).toEqual({ leaders: ['OF1'] });
    expect(hive.data?.courts[0]?.handling).toBeNull();
  });
});
