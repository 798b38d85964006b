import { readFileSync } from 'node:fs';
import { buildSchema, operationFromDocument, Supergraph, type FieldSelection, type Operation } from '@apollo/federation-internals';
import { parse, type GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import resultShaping from '@apollo/gateway/dist/resultShaping.js';
import { apolloComputeResponse, computeResponse, resultShapingInstalled, type ComputeResponseInput } from '../../gateway/resultShaping';
import { PROVINCE_VIEWER } from '../../lib/auth';
import { createGateway } from '../../gateway/apollo';
import { resultInput, seeded } from '../support/resultInputs';
import { queries } from '../../bench/peers/run';

/*
 * The gateway's compiled result shaping (gateway/resultShaping.ts) against `@apollo/gateway`'s own computeResponse:
 * the same data (keys in the same order), the same errors (message, path, code) and the same refusals, on generated
 * answers with and without faults, for operations with aliases, fragments on interfaces and unions, repeated fields,
 * @skip/@include, __typename under aliases and introspection.
 */

const SDL = `
  scalar Money
  enum Status { OPEN CLOSED }
  interface Node { id: ID! }
  union Result = Debtor | Case
  type Query {
    debtors(ids: [ID!]!): [Debtor]!
    node(id: ID!): Node
    search: [Result!]
    must: Debtor!
  }
  type Debtor implements Node {
    id: ID!
    name: String
    kind: Status!
    cases: [Case!]!
    friend: Debtor
    amount: Money
    score: Float
    rank: Int
    flag: Boolean
    tags: [String]
    matrix: [[Int!]]!
  }
  type Case implements Node {
    id: ID!
    number: String!
    status: Status
    debtor: Debtor!
    amount: Money!
  }
`;

const OPERATIONS = [
  `query Q($skip: Boolean!, $inc: Boolean = true) {
    __typename
    debtors(ids: ["a"]) {
      id name kind alias: name
      ... on Debtor { cases { number status debtor { id } } }
      cases { status amount __typename t: __typename }
      friend @skip(if: $skip) { id friend { name rank } }
      amount score rank flag tags matrix
    }
    node(id: "x") {
      __typename id
      ... on Case { number debtor { name } }
      ... on Debtor { name cases { number } }
      ...F
    }
    search @include(if: $inc) { ... on Debtor { id kind } ... on Case { number } ... on Node { id } t: __typename }
  }
  fragment F on Node { id ... on Debtor { kind friend { kind } } }`,
  `query R($skip: Boolean!) {
    must { id kind cases @skip(if: $skip) { debtor { kind cases { status } } } }
    debtors(ids: []) { ... on Node { id } ... on Debtor @include(if: false) { name } matrix }
  }`,
  // Response names an object's prototype would answer for: each is a field like any other.
  `{ must { constructor: name toString: id valueOf: kind hasOwnProperty: rank __proto__: score cases { constructor: number } } }`,
  `{ node(id: "y") { ... on Result { ... on Case { amount number } } ... on Debtor { score flag } } __type(name: "Debtor") { name } }`,
];

function compare(operation: Operation, input: Record<string, unknown>, variables: Record<string, unknown>) {
  const introspectionHandling = (selection: FieldSelection) => ({ introspected: selection.element.responseName() });
  const run = (shape: (i: ComputeResponseInput) => { data: unknown; errors: GraphQLError[] }) => {
    try {
      const { data, errors } = shape({ operation, variables, input: structuredClone(input), introspectionHandling });
      return {
        data: JSON.stringify(data),
        errors: errors.map((e) => ({ message: e.message, path: e.path, code: e.extensions.code })),
      };
    } catch (err) {
      return { threw: (err as Error).message };
    }
  };
  return { apollo: run(apolloComputeResponse), ours: run(computeResponse) };
}

/** The CommonJS module whose export Apollo Gateway's executeQueryPlan calls. */
const shapingModule = resultShaping as unknown as { computeResponse: (input: ComputeResponseInput) => unknown };

describe('compiled result shaping', () => {
  const schema = buildSchema(SDL);

  it('gives what Apollo Gateway gives, on generated answers with and without faults', () => {
    const seen = { clean: 0, errors: 0, nulledRoot: 0, threw: 0 };
    for (const [n, text] of OPERATIONS.entries()) {
      const operation = operationFromDocument(schema, parse(text), { validate: false });
      for (let seed = 0; seed < 400; seed++) {
        const random = seeded(seed * 7 + n);
        const faults = seed % 4 === 0 ? 0 : [0.02, 0.08, 0.25][seed % 3]!;
        const input = resultInput(operation, { random, faults, listLength: () => Math.floor(random() * 4) });
        const variables = { skip: random() < 0.5, ...(random() < 0.5 ? { inc: random() < 0.5 } : {}) };
        const { apollo, ours } = compare(operation, input, variables);
        expect(ours, `operation ${n}, seed ${seed}`).toEqual(apollo);
        if ('threw' in apollo) seen.threw++;
        else if (apollo.data === 'null') seen.nulledRoot++;
        else if (apollo.errors.length) seen.errors++;
        else seen.clean++;
      }
    }
    // The generated answers reach every outcome, so the comparison covers each.
    expect(seen.clean).toBeGreaterThan(50);
    expect(seen.errors).toBeGreaterThan(50);
    expect(seen.nulledRoot).toBeGreaterThan(10);
    expect(seen.threw).toBeGreaterThan(5);
  });

  it('gives what Apollo Gateway gives for the bench walk on the product supergraph', () => {
    const supergraph = Supergraph.build(readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'));
    const api = supergraph.apiSchema();
    const { query, variables } = queries(['d-1', 'd-2'], ['d-1']).walk100;
    const operation = operationFromDocument(api, parse(query), { validate: false });
    for (let seed = 0; seed < 60; seed++) {
      const random = seeded(seed);
      const input = resultInput(operation, { random, faults: seed % 2 ? 0.03 : 0, listLength: () => Math.floor(random() * 5) });
      const { apollo, ours } = compare(operation, input, variables as Record<string, unknown>);
      expect(ours, `seed ${seed}`).toEqual(apollo);
    }
  });

  it("is what the product gateway's query plans run", async () => {
    // A subgraph answering one canned result, so the plan's execution, and its result shaping, are the gateway's own.
    const answer = { data: { debtor: { __typename: 'Debtor', id: 'd-1', name: '四川丰丰商贸有限公司', constructor: 'x' } } };
    const { apollo } = createGateway({
      supergraphSdl: readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'),
      dataSource: () => ({ process: () => Promise.resolve(structuredClone(answer)) }),
    });
    expect(resultShapingInstalled()).toBe(true);
    // executeQueryPlan reads the module's export at each call: a wrapper put there is what it calls.
    const installed = shapingModule.computeResponse;
    let calls = 0;
    shapingModule.computeResponse = (input: ComputeResponseInput) => {
      calls++;
      return installed(input);
    };
    try {
      await apollo.start();
      const res = await apollo.executeOperation(
        { query: '{ debtor(id: "d-1") { id name } }' },
        { contextValue: { viewer: PROVINCE_VIEWER } },
      );
      expect(res.body.kind === 'single' && res.body.singleResult).toMatchObject({
        data: { debtor: { id: 'd-1', name: '四川丰丰商贸有限公司' } },
      });
      expect(calls).toBe(1);
      expect(installed).toBe(computeResponse);
    } finally {
      shapingModule.computeResponse = installed;
      await apollo.stop();
    }
  });
});
