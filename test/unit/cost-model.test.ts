import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { describe, expect, it } from 'vitest';
import { LimitError, checkOperation, costModelOf, type OperationLimits } from '../../gateway/limits';
import { DEFAULT_SUPERGRAPH_PATH, loadConfig } from '../../lib/config';
import { operationLimitsOf } from '../../gateway/security';

/**
 * Issue 13, item 9: the cost model reads the measured list sizes the subgraphs' SDL declares (`@listSize`, composed
 * into the supergraph), and connection wrappers add no depth (ADR 12).
 */

const sdl = readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8');
const api = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
const costs = costModelOf(sdl);
const config = loadConfig({});
const DEFAULTS: OperationLimits = operationLimitsOf(config);
const UNLIMITED: OperationLimits = {
  maxDepth: 99,
  maxAliases: 99,
  maxDirectives: 99,
  maxTokens: 100_000,
  maxCost: 1e12,
  maxListSize: 1000,
};
const costOf = (q: string, variables?: Record<string, unknown>) => checkOperation(q, variables, UNLIMITED, api, { costs }).cost;
const refusal = (q: string, variables?: Record<string, unknown>): string | null => {
  try {
    checkOperation(q, variables, DEFAULTS, api, { costs });
    return null;
  } catch (err) {
    if (err instanceof LimitError) return err.rule;
    throw err;
  }
};

const ATTACK_ALIAS = 'courts { officers { name casesHandled { number debtors { name identifier } } } }';
const attack = (aliases: number) => `{ ${Array.from({ length: aliases }, (_, i) => `a${i}: ${ATTACK_ALIAS}`).join(' ')} }`;

describe('the cost model reads @listSize from the supergraph', () => {
  it('reads the measured sizes and the slicing arguments of the product supergraph', () => {
    expect(costs.get('Query.courts')).toEqual({ assumedSize: 210 });
    expect(costs.get('Court.officers')).toEqual({ assumedSize: 60 });
    expect(costs.get('Officer.casesHandled')).toEqual({ assumedSize: 200 });
    expect(costs.get('Query.transferCandidates')).toEqual({ slicingArguments: ['first'], sizedFields: ['nodes'] });
    expect(costs.get('Query.debtorSearch')).toEqual({ slicingArguments: ['first'] });
  });

  it('sizes every list field of the API schema (a list left unsized would count as MAX_LIST_SIZE)', () => {
    const unsized: string[] = [];
    const sizedByPage = new Set<string>();
    for (const [key, entry] of costs) {
      const [typeName, fieldName] = key.split('.') as [string, string];
      const field = (api.getType(typeName) as { getFields?: () => Record<string, { type: unknown }> })?.getFields?.()[fieldName];
      const inner = field && String(field.type).replace(/[[\]!]/g, '');
      for (const sized of entry.sizedFields ?? []) sizedByPage.add(`${inner}.${sized}`);
    }
    let lists = 0;
    for (const type of Object.values(api.getTypeMap())) {
      // Output types only (objects and interfaces have interfaces; input objects do not).
      if (type.name.startsWith('__') || !('getInterfaces' in type)) continue;
      for (const field of Object.values((type as { getFields: () => Record<string, { name: string; type: unknown }> }).getFields())) {
        if (!String(field.type).includes('[')) continue;
        lists++;
        const key = `${type.name}.${field.name}`;
        const entry = costs.get(key);
        if (entry?.assumedSize === undefined && entry?.slicingArguments === undefined && !sizedByPage.has(key)) unsized.push(key);
      }
    }
    expect(unsized).toEqual([]);
    expect(lists).toBeGreaterThan(50);
  });

  it('honours a renamed import of the cost spec and @cost weights', () => {
    const model = costModelOf(`
      schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/cost/v0.1", import: [{ name: "@listSize", as: "@size" }]) { query: Query }
      type Query { things: [Thing!]! @size(assumedSize: 7) heavy: Int @cost__cost(weight: 9) }
      type Thing { id: ID }
    `);
    expect(model.get('Query.things')).toEqual({ assumedSize: 7 });
    expect(model.get('Query.heavy')).toEqual({ weight: 9 });
  });
});

describe('issue 13 item 9: the six-alias attack is priced by the real sizes and refused', () => {
  it('one alias of the attack is estimated at 17.7 million (each list by its measured size), over MAX_COST', () => {
    // courts 2 + 210 × (officers 2 + 60 × (name 1 + casesHandled 2 + 200 × (number 1 + debtors 2 + 2 × 2))) = 17,678,222
    expect(costOf(`{ ${ATTACK_ALIAS} }`)).toBe(2 + 210 * (2 + 60 * (1 + 2 + 200 * (1 + 2 + 2 * 2))));
    expect(costOf(`{ ${ATTACK_ALIAS} }`)).toBeGreaterThan(DEFAULTS.maxCost * 6);
    for (const n of [1, 3, 6]) expect(refusal(attack(n))).toBe('MAX_COST');
  });

  it('the natural analyst query passes: nodes and pageInfo add no depth', () => {
    const natural =
      '{ transferCandidates { nodes { debtor { transferAssessment { receivingCourts { court { name } } } } } pageInfo { endCursor } } }';
    expect(refusal(natural)).toBeNull();
    // One level more is refused: depth counts the fields that nest, not the wrappers.
    expect(
      refusal('{ transferCandidates { nodes { debtor { transferAssessment { receivingCourts { court { parent { name } } } } } } } }'),
    ).toBe('MAX_DEPTH');
  });

  it('the README debtor walk over debtors(ids:) of 100 debtors passes the default cost', () => {
    const walk = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').match(/```graphql\n(query DebtorWalk[\s\S]*?)```/)![1]!;
    const hundred = walk.replace('query DebtorWalk($id: ID!)', 'query Walk($ids: [ID!]!)').replace('debtor(id: $id)', 'debtors(ids: $ids)');
    const ids = Array.from({ length: 100 }, (_, i) => `ID${i}`);
    expect(refusal(hundred, { ids })).toBeNull();
    expect(costOf(hundred, { ids })).toBeLessThan(DEFAULTS.maxCost);
    expect(costOf(hundred, { ids })).toBeGreaterThan(DEFAULTS.maxCost / 2);
  });

  it('a connection’s first sizes only its sized fields', () => {
    // pageInfo is not a list; nodes is sized by first (7), not by an assumed size.
    expect(costOf('{ transferCandidates(first: 7) { nodes { urgency } pageInfo { hasNextPage } } }')).toBe(2 + 2 + 7 * 1 + 2 + 1);
  });
});
