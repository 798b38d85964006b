import { readFileSync } from 'node:fs';
import { buildSchema, isInterfaceType, isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printApiSchema } from '../../gateway/schemaChanges';
import { operationLimitsOf } from '../../gateway/security';
import { DEFAULT_SUPERGRAPH_PATH, loadConfig } from '../../lib/config';
import type { RunningGraph } from '../../scripts/graph';
import { openRaw, postGraphQL, startTestGraph } from '../support/graph';

/**
 * Issue 17 item 4: the schema says what the graph enforces. Every field with a `first` argument states its maximum in
 * its description ("`first` … at most N"); N is the gateway's MAX_LIST_SIZE, a viewer asking for N is answered and
 * one asking for N + 1 is refused by the gateway, and the subgraph behind it accepts exactly as many: N, or the
 * larger maximum the description gives the product's own service pass ("up to M"), which the volume limits exempt.
 */

const api = buildSchema(printApiSchema(readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8')));
const MAX_LIST_SIZE = operationLimitsOf(loadConfig({})).maxListSize;

interface Paged {
  coordinate: string;
  description: string;
}

/** Every field of the API schema that takes `first`. */
const paged: Paged[] = Object.values(api.getTypeMap()).flatMap((type) =>
  (isObjectType(type) || isInterfaceType(type)) && !type.name.startsWith('__')
    ? Object.values(type.getFields())
        .filter((f) => f.args.some((a) => a.name === 'first'))
        .map((f) => ({ coordinate: `${type.name}.${f.name}`, description: f.description ?? '' }))
    : [],
);

/** How to ask each paged field for `$first` items: a paged field without one here fails the test below. */
const OPERATIONS: Record<string, string> = {
  'Query.debtorPage': 'query ($first: Int) { debtorPage(first: $first) { totalCount } }',
  'Query.debtorSearch': 'query ($first: Int) { debtorSearch(name: "建设", first: $first) { name } }',
  'Query.overdueDisposals': 'query ($first: Int) { overdueDisposals(first: $first) { totalCount } }',
  'Query.transferCandidates': 'query ($first: Int) { transferCandidates(first: $first) { totalCount } }',
  'Query.transfers': 'query ($first: Int) { transfers(first: $first) { totalCount } }',
  'Debtor.casePage': 'query ($first: Int, $id: ID!) { debtor(id: $id) { casePage(first: $first) { totalCount } } }',
  'Debtor.propertyPage': 'query ($first: Int, $id: ID!) { debtor(id: $id) { propertyPage(first: $first) { totalCount } } }',
};

const stated = (p: Paged) => Number(/`first`[^.]*?\bat most\s+(\d+)/s.exec(p.description)?.[1] ?? NaN);
const servicePass = (p: Paged) => Number(/\bup to\s+(\d+)/.exec(p.description)?.[1] ?? stated(p));

let graph: RunningGraph;
let debtorId: string;
beforeAll(async () => {
  graph = await startTestGraph();
  const registry = openRaw('case-registry');
  debtorId = (
    registry
      .prepare(`select person_id id from case_parties where role = 'DEBTOR' and person_id is not null order by person_id limit 1`)
      .get() as { id: string }
  ).id;
  registry.close();
});
afterAll(() => graph.close());

type Codes = { status: number; codes: string[]; rules: string[] };

async function ask(p: Paged, first: number, as: 'viewer' | 'service'): Promise<Codes> {
  const headers = as === 'service' ? { authorization: `Bearer ${await graph.security.serviceToken()}` } : undefined;
  const { status, body } = await postGraphQL(graph.gateway.url, OPERATIONS[p.coordinate]!, { first, id: debtorId }, { headers });
  const errors = (body.errors ?? []) as readonly { extensions?: { code?: string; rule?: string } }[];
  return { status, codes: errors.map((e) => e.extensions?.code ?? ''), rules: errors.map((e) => e.extensions?.rule ?? '') };
}

describe('issue 17 item 4: the SDL states the page sizes the graph enforces', () => {
  it('finds the paged fields, and knows how to ask each', () => {
    expect(paged.length).toBeGreaterThanOrEqual(7);
    expect(paged.map((p) => p.coordinate).filter((c) => !(c in OPERATIONS))).toEqual([]);
  });

  it.each(paged.map((p) => [p.coordinate, p] as const))('%s states `first` at most the gateway maximum', (_, p) => {
    expect(stated(p), p.description).toBe(MAX_LIST_SIZE);
  });

  it.each(paged.map((p) => [p.coordinate, p] as const))('%s: a viewer gets N and is refused N + 1 by the gateway', async (_, p) => {
    const n = stated(p);
    const within = await ask(p, n, 'viewer');
    expect(within.codes).toEqual([]);
    const over = await ask(p, n + 1, 'viewer');
    expect(over).toEqual({ status: 400, codes: ['OPERATION_LIMIT'], rules: ['MAX_LIST_SIZE'] });
  });

  it.each(paged.map((p) => [p.coordinate, p] as const))(
    '%s: the subgraph accepts as many as stated, and refuses one more',
    async (_, p) => {
      const m = servicePass(p);
      expect(m).toBeGreaterThanOrEqual(MAX_LIST_SIZE);
      expect((await ask(p, m, 'service')).rules).not.toContain('FIRST_RANGE');
      expect((await ask(p, m + 1, 'service')).rules).toEqual(['FIRST_RANGE']);
    },
  );
});
