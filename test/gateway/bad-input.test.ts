import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGraph } from '../../scripts/graph';
import { postGraphQL, startTestGraph } from '../support/graph';

let graph: RunningGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph.close());

type Err = { message: string; extensions?: { code?: string; rule?: string; field?: string } };

async function firstError(query: string, variables: Record<string, unknown>) {
  const { status, body } = await postGraphQL(graph.gateway.url, query, variables);
  expect(status).toBe(200);
  expect(body.errors).toHaveLength(1);
  return body.errors![0] as Err;
}

describe('malformed input through the gateway gives BAD_USER_INPUT naming the field and rule', () => {
  it.each([
    ['11010519491231002Y', 'RESIDENT_ID_CHARSET'],
    ['110105194912310021', 'RESIDENT_ID_CHECKSUM'],
    ['91350100M000100Y44', 'CREDIT_CODE_CHECKSUM'],
    ['91350100M000I00Y43', 'CREDIT_CODE_CHARSET'],
    ['12345', 'IDENTIFIER_LENGTH'],
  ])('debtor(id: %s) → %s', async (id, rule) => {
    const err = await firstError('query ($id: ID!) { debtor(id: $id) { id } }', { id });
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id', rule });
    expect(err.message).toMatch(/^id: /);
  });

  it.each([
    ['2024川0105执1234号', 'CASE_NUMBER_FORMAT'],
    ['(2024)川0105民初1234号', 'CASE_TYPE_CODE'],
    ['(2024)京0105执1234号', 'COURT_CODE_PROVINCE'],
    ['(1900)川0105执1234号', 'CASE_NUMBER_YEAR'],
    ['(2024)川0105执01234号', 'CASE_NUMBER_SEQUENCE'],
  ])('case(number: %s) → %s', async (number, rule) => {
    const err = await firstError('query ($n: String!) { case(number: $n) { number } }', { n: number });
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'number', rule });
  });

  it.each([
    ['川1', 'COURT_CODE_FORMAT'],
    ['京01', 'COURT_CODE_PROVINCE'],
    ['川0100', 'COURT_CODE_FORMAT'],
  ])('court(code: %s) → %s', async (code, rule) => {
    const err = await firstError('query ($c: String!) { court(code: $c) { code } }', { c: code });
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code', rule });
  });

  it('names the list position of a bad identifier in debtors(ids)', async () => {
    const err = await firstError('query ($ids: [ID!]!) { debtors(ids: $ids) { id } }', { ids: ['11010519491231002X', 'bad'] });
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids[1]', rule: 'IDENTIFIER_LENGTH' });
  });

  it('refuses an unknown prefecture filter', async () => {
    const err = await firstError('query { courts(prefecture: "北京") { code } }', {});
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'prefecture', rule: 'UNKNOWN_PREFECTURE' });
  });

  it('returns null, not an error, for a well-formed identifier nobody owes under', async () => {
    const { body } = await postGraphQL(
      graph.gateway.url,
      'query { debtor(id: "11010519491231002X") { id } case(number: "（2020）川0105执999999号") { number } court(code: "川0199") { code } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ debtor: null, case: null, court: null });
  });
});

describe('input only a subgraph can check (custom scalars) still comes back as BAD_USER_INPUT, with nothing internal', () => {
  it.each([
    ['a Date literal naming no real day', '{ transfers(from: "2025-02-30") { nodes { id } } }', undefined],
    [
      'a Date variable naming no real day',
      'query ($d: Date!) { transferStatistics(from: $d, to: "2026-01-01") { id } }',
      { d: '2025-13-01' },
    ],
  ])('%s', async (_label, query, variables) => {
    const { status, body } = await postGraphQL(graph.gateway.url, query, variables);
    expect(status).toBe(200);
    const err = body.errors![0]!;
    expect(err.extensions?.code).toBe('BAD_USER_INPUT');
    expect(err.message).toMatch(/Date/);
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|localhost|http:\/\//);
    expect(Object.keys(err.extensions ?? {}).sort()).toEqual(expect.arrayContaining(['code']));
    expect(err.extensions).not.toHaveProperty('response');
  });
});
