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
 * Hive Gateway 2.15 (@graphql-tools/delegate 12.3, @graphql-tools/stitch 10.3) does with it, so an engine upgrade that
 * changes the answer shows up here first, and the last test pins the shape the product uses, which both engines answer.
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
  # The flat shape (ADR 21): the roster picks the leaders out of the registry's flat list of handlers.
  type Court @key(fields: "code") {
    code: String!
    receivedHandlers: [Officer!]! @external
    receivedLeaders: [Officer!]! @requires(fields: "receivedHandlers { id }")
  }
`;
type Returns = 'String' | 'Float' | 'Report';
/** Coordination with one requirement, `requires`, on a field of the given return type. */
const coordination = (requires: string, returns: Returns) => /* GraphQL */ `
  extend schema ${FED}
  type Court @key(fields: "code") {
    code: String!
    received: [Case!]! @external
    receivedHandlers: [Officer!]! @external
    receivedLeaders: [Officer!]! @external
    handling: ${returns} @requires(fields: "${requires}")
    # Keeps every @external field in use whatever the requirement under test selects.
    all: String @requires(fields: "received { number handler { id isLeader } } receivedHandlers { id isLeader } receivedLeaders { id }")
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
  receivedLeaders?: { id: string }[];
}): string[] {
  const officers = [...(court.receivedHandlers ?? []), ...(court.received ?? []).flatMap((c) => (c.handler ? [c.handler] : []))];
  const leaders = [...officers.filter((o) => o.isLeader === true), ...(court.receivedLeaders ?? [])];
  return [...new Set(leaders.map((o) => o.id))].sort();
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
async function onBothEngines(requires: string, returns: Returns, query: string) {
  const subgraphs = [
    await serve('registry', REGISTRY, {
      Query: { courts: () => [{ code: '川0104' }] },
      Court: { received: () => CASES, receivedHandlers: () => CASES.map((c) => ({ id: c.handler })) },
      Case: { handler: (c: { handler: string }) => ({ id: c.handler }) },
    }),
    await serve('roster', ROSTER, {
      Officer: { __resolveReference: (o: { id: string }) => ({ id: o.id, isLeader: o.id === 'OF1' }) },
      Court: {
        __resolveReference: (c: object) => c,
        receivedLeaders: (c: { receivedHandlers: { id: string }[] }) => c.receivedHandlers.filter((o) => o.id === 'OF1'),
      },
    }),
    await serve('coordination', coordination(requires, returns), {
      Court: {
        __resolveReference: (c: object) => c,
        handling: (c: Parameters<typeof leadersSeen>[0]) =>
          returns === 'String'
            ? leadersSeen(c).join(',') || 'none'
            : returns === 'Float'
              ? leadersSeen(c).length / CASES.length
              : { leaders: leadersSeen(c) },
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

  it('one level down but after a path to Officer that needs no hop: Hive Gateway drops the roster fact unasked', async () => {
    // @graphql-tools/stitch's typesContainSelectionSet returns after the first field with a selection set, so the
    // requirement looks satisfied by the registry alone and the roster is never asked.
    const { apollo, hive } = await onBothEngines(
      'received { number handler { id } } receivedHandlers { id isLeader }',
      'String',
      '{ courts { code handling } }',
    );
    expect(apollo.data?.courts[0]?.handling).toBe('OF1');
    expect(hive.errors).toBeUndefined();
    expect(hive.data?.courts[0]?.handling).toBe('none');
  });

  // One entity level down, the hop first: Hive Gateway fetches every fact and coordination answers, but the answer
  // then goes through @graphql-tools/delegate's "left-over" path (a requirement no subgraph's Court type holds), which
  // resolves every deferred field of the court with the GraphQLResolveInfo of whichever sibling field started the
  // left-over fetch: here `code`, a String!, so the report is parsed as a String (String.parseValue throws → null).
  // Selected before its siblings, the field answers; a String field after `code` answers by luck of the same type.
  const HOP_FIRST = 'receivedHandlers { id isLeader } received { number handler { id } }';

  it('an object-typed field after a sibling: Apollo answers, Hive Gateway 2.15 answers null without an error', async () => {
    const { apollo, hive } = await onBothEngines(HOP_FIRST, 'Report', '{ courts { code handling { leaders } } }');
    expect(apollo.data?.courts[0]?.handling).toEqual({ leaders: ['OF1'] });
    expect(hive.errors).toBeUndefined();
    expect(hive.data?.courts[0]?.handling).toBeNull();
  });

  it('a Float field after a String sibling: null on Hive Gateway too, so the type of the sibling decides', async () => {
    const { apollo, hive } = await onBothEngines(HOP_FIRST, 'Float', '{ courts { code handling } }');
    expect(apollo.data?.courts[0]?.handling).toBe(0.5);
    expect(hive.data?.courts[0]?.handling).toBeNull();
  });

  it('the same field selected before its siblings: both engines answer the same', async () => {
    const { apollo, hive } = await onBothEngines(HOP_FIRST, 'Report', '{ courts { handling { leaders } code } }');
    expect(apollo.data?.courts[0]?.handling).toEqual({ leaders: ['OF1'] });
    expect(hive).toEqual(apollo);
  });

  it('the flat shape the product uses (the roster lists the leaders on the court): both engines, any field order', async () => {
    // Each path of the requirement stays inside one subgraph below the court; the roster's list is itself a
    // @requires on the registry's flat list, which both engines plan as a stage of its own.
    for (const query of ['{ courts { code handling { leaders } } }', '{ courts { handling { leaders } code } }']) {
      const { apollo, hive } = await onBothEngines('receivedLeaders { id } received { number handler { id } }', 'Report', query);
      expect(apollo.data?.courts[0]?.handling).toEqual({ leaders: ['OF1'] });
      expect(hive).toEqual(apollo);
    }
  });
});
