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

describe('issue 17 item 4: every BAD_USER_INPUT names the field and the rule, scalars and variables included', () => {
  async function refusal(query: string, variables?: Record<string, unknown>) {
    const { status, body } = await postGraphQL(graph.gateway.url, query, variables);
    expect(body.errors).toHaveLength(1);
    const err = body.errors![0] as Err;
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|localhost|http:\/\//);
    return { status, err };
  }

  it.each([
    ['a Date literal naming no real day', '{ transfers(from: "2025-02-30") { nodes { id } } }', undefined, 'from', 'DATE_FORMAT'],
    [
      'a Date literal inside a fragment',
      'query { ...Reports } fragment Reports on Query { transfers(first: 5, from: "2024-02-30") { totalCount } }',
      undefined,
      'from',
      'DATE_FORMAT',
    ],
    ['a Date literal that is not a string', '{ transfers(to: 20250101) { nodes { id } } }', undefined, 'to', 'DATE_FORMAT'],
    [
      'a Date variable naming no real day',
      'query ($d: Date!) { transferStatistics(from: $d, to: "2026-01-01") { id } }',
      { d: '2025-13-01' },
      'd',
      'DATE_FORMAT',
    ],
    ['a Date variable that is a number', 'query ($d: Date) { transfers(from: $d) { nodes { id } } }', { d: 20250101 }, 'd', 'DATE_FORMAT'],
    [
      'a Money literal that is a float, inside an input object',
      'mutation { recordDisposalStep(input: { propertyId: "P1", idempotencyKey: "k-000001", stage: REFERENCE_PRICE, method: "INQUIRY", occurredAt: "2025-01-01", price: 12.5, succeeded: true }) { replayed } }',
      undefined,
      'input.price',
      'MONEY_FORMAT',
    ],
    [
      'a Money value with a separator, inside an input variable',
      'mutation ($i: DisposalStepInput!) { recordDisposalStep(input: $i) { replayed } }',
      {
        i: {
          propertyId: 'P1',
          idempotencyKey: 'k-000001',
          stage: 'REFERENCE_PRICE',
          method: 'INQUIRY',
          occurredAt: '2025-01-01',
          price: '1,000.00',
          succeeded: true,
        },
      },
      'i.price',
      'MONEY_FORMAT',
    ],
    [
      'a Date inside an input variable',
      'mutation ($i: DisposalStepInput!) { recordDisposalStep(input: $i) { replayed } }',
      {
        i: {
          propertyId: 'P1',
          idempotencyKey: 'k-000001',
          stage: 'REFERENCE_PRICE',
          method: 'INQUIRY',
          occurredAt: '01/02/2025',
          price: '1000.00',
          succeeded: true,
        },
      },
      'i.occurredAt',
      'DATE_FORMAT',
    ],
    [
      'an Int variable that is not an integer',
      'query ($f: Int) { transfers(first: $f) { nodes { id } } }',
      { f: 'x' },
      'f',
      'VARIABLE_VALUE',
    ],
    [
      'an enum variable naming no value',
      'query ($m: TransferMode) { transfers(mode: $m) { nodes { id } } }',
      { m: 'SIDEWAYS' },
      'm',
      'VARIABLE_VALUE',
    ],
    [
      "an input variable's enum field naming no value",
      'mutation ($i: DisposalStepInput!) { recordDisposalStep(input: $i) { replayed } }',
      { i: { propertyId: 'P1', idempotencyKey: 'k-000001', stage: 'RAFFLE', occurredAt: '2025-01-01', price: '1.00', succeeded: true } },
      'i.stage',
      'VARIABLE_VALUE',
    ],
    [
      'an input variable missing a required field',
      'mutation ($i: DisposalStepInput!) { recordDisposalStep(input: $i) { replayed } }',
      { i: { propertyId: 'P1', idempotencyKey: 'k-000001', stage: 'REFERENCE_PRICE', occurredAt: '2025-01-01', price: '1.00' } },
      'i.succeeded',
      'VARIABLE_VALUE',
    ],
    ['a required variable not given', 'query ($c: String!) { court(code: $c) { code } }', {}, 'c', 'VARIABLE_REQUIRED'],
  ])('%s → 400 BAD_USER_INPUT, field %s', async (_label, query, variables, field, rule) => {
    const { status, err } = await refusal(query, variables);
    expect(status).toBe(400);
    expect(err.extensions).toEqual({ code: 'BAD_USER_INPUT', field, rule });
    expect(err.message.startsWith(`${field}: `)).toBe(true);
    expect(err.message).not.toMatch(/Did you mean/);
  });

  it('accepts valid Money and Date values, literal and variable (the check refuses only what is malformed)', async () => {
    const { body } = await postGraphQL(
      graph.gateway.url,
      'query ($d: Date!) { transferStatistics(from: $d, to: "2026-01-01") { from to } transfers(from: "2025-01-01", to: $d) { totalCount } }',
      { d: '2025-06-30' },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({ transferStatistics: { from: '2025-06-30', to: '2026-01-01' } });
  });

  it.each([
    ['MAX_LIST_SIZE through a literal', '{ transfers(first: 101) { nodes { id } } }', undefined, 'first', 'MAX_LIST_SIZE'],
    [
      'MAX_LIST_SIZE through a variable',
      'query ($n: Int) { overdueDisposals(first: $n) { nodes { id } } }',
      { n: 500 },
      'first',
      'MAX_LIST_SIZE',
    ],
    [
      'MAX_LIST_SIZE through the ids list',
      'query ($ids: [ID!]!) { debtors(ids: $ids) { id } }',
      { ids: Array.from({ length: 101 }, () => '11010519491231002X') },
      'ids',
      'MAX_LIST_SIZE',
    ],
    ['MAX_ALIASES', `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: __typename`).join(' ')} }`, undefined, 'query', 'MAX_ALIASES'],
    [
      'MAX_DEPTH',
      '{ court(code: "川0105") { parent { parent { parent { parent { parent { parent { parent { code } } } } } } } } }',
      undefined,
      'query',
      'MAX_DEPTH',
    ],
  ])('an operation limit (%s) names the field and the rule', async (_label, query, variables, field, rule) => {
    const { status, err } = await refusal(query, variables);
    expect(status).toBe(400);
    expect(err.extensions).toEqual({ code: 'OPERATION_LIMIT', field, rule });
  });
});
