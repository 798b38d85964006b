import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { withInputDefaults } from '../../lib/mercuriusServer';

/**
 * graphql-jit, which the Mercurius runtime executes with, refuses an omitted input-object field of a non-null type that
 * has a default (the registry's `reasons: [String!]! = []`); lib/mercuriusServer.ts fills such defaults into the
 * variables first, as graphql-js coerces them (issue 18: Mercurius as the default runtime).
 */
const schema = buildSubgraphSchema({
  typeDefs: parse(/* GraphQL */ `
    input Note {
      text: String!
      tags: [String!]! = ["x"]
    }
    input Decision {
      mode: String!
      reasons: [String!]! = []
      limit: Int! = 3
      note: Note
      notes: [Note!]
    }
    type Query {
      decide(input: Decision!): String!
    }
  `),
  resolvers: { Query: { decide: (_: unknown, { input }: { input: unknown }) => JSON.stringify(input) } },
});
const document = parse(`query ($input: Decision!) { decide(input: $input) }`);

async function run(variables: Record<string, unknown>) {
  const compiled = compileQuery(schema, document);
  if (!isCompiledQuery(compiled)) throw new Error('not compiled');
  return compiled.query(undefined, {}, variables);
}

describe('the Mercurius runtime fills input-field defaults graphql-jit would refuse', () => {
  it('graphql-jit alone refuses the omitted field (the reason for the fill)', async () => {
    const result = await run({ input: { mode: 'DEADLINE_ORDER' } });
    expect(result.errors?.[0]?.message).toContain('reasons of required type [String!]! was not provided');
  });

  it('gives every omitted field its default, nested and in lists, and keeps what was sent', async () => {
    const variables = { input: { mode: 'DEADLINE_ORDER', limit: 7, note: { text: 'a' }, notes: [{ text: 'b', tags: [] }, { text: 'c' }] } };
    const result = await run(withInputDefaults(schema, document, variables)!);
    expect(result.errors).toBeUndefined();
    expect(JSON.parse((result.data as { decide: string }).decide)).toEqual({
      mode: 'DEADLINE_ORDER',
      reasons: [],
      limit: 7,
      note: { text: 'a', tags: ['x'] },
      notes: [
        { text: 'b', tags: [] },
        { text: 'c', tags: ['x'] },
      ],
    });
  });

  it('leaves a document of several operations alone', () => {
    const two = parse(`query A($input: Decision!) { decide(input: $input) } query B { __typename }`);
    const variables = { input: { mode: 'M' } };
    expect(withInputDefaults(schema, two, variables)).toEqual({ input: { mode: 'M' } });
  });
});
