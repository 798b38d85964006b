import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heavyDebtors, queries } from '../../bench/peers/run';
import { serialiseResult } from '../../gateway/apollo';
import type { Viewer } from '../../lib/auth';
import { operationKey } from '../../gateway/inflightDedup';
import type { RunningGraph } from '../../scripts/graph';
import { startTestGraph, testDataDir, tokenFor } from '../support/graph';
import { metric } from '../support/replicas';

/*
 * Issue 18 (ADR 28): identical client queries executing at once for the same viewer scope are executed once, and each
 * request is answered with that one result, serialised once. Real HTTP through the gateway on the test province.
 */
let graph: RunningGraph;
beforeAll(async () => {
  graph = await startTestGraph({}, { MONITORING_PORT: 0 });
});
afterAll(() => graph.close());

const shared = async () =>
  metric(await (await fetch(`${graph.gateway.monitoringUrl}/metrics`)).text(), 'gateway_operations_shared_total', {}) ?? 0;

async function post(body: string, token: string): Promise<{ status: number; text: string; type: string | null; length: string | null }> {
  const res = await fetch(graph.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type'), length: res.headers.get('content-length') };
}

describe('identical queries of one viewer scope executed once (gateway/apollo.ts shareIdenticalQueries)', () => {
  it('high-court viewers asking the 20-debtor walk at once share one execution, each answered with the same body as alone', async () => {
    const walk = queries(heavyDebtors(testDataDir(), 20)).walk20;
    const body = JSON.stringify({ query: walk.query, variables: walk.variables });
    const alone = await post(body, await tokenFor('川', { sub: 'analyst-alone' }));
    expect(alone.status).toBe(200);
    expect(JSON.parse(alone.text).errors).toBeUndefined();
    const before = await shared();
    const tokens = await Promise.all(Array.from({ length: 8 }, (_, i) => tokenFor('川', { sub: `analyst-${i}` })));
    const answers = await Promise.all(tokens.map((t) => post(body, t)));
    // Large enough that each is sent the one encoding of the body (gateway/server.ts shareBodyBytes), with the same headers.
    expect(alone.text.length).toBeGreaterThan(64 * 1024);
    expect(alone.type).toBe('application/json; charset=utf-8');
    expect(Number(alone.length)).toBe(Buffer.byteLength(alone.text));
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.text).toBe(alone.text);
      expect([a.type, a.length]).toEqual([alone.type, alone.length]);
    }
    expect(await shared()).toBeGreaterThan(before);
  });

  it('viewers of a court below the high court never share an execution with each other', async () => {
    const query = JSON.stringify({ query: '{ courts(level: BASIC) { code name enforcementStaffCount } }' });
    const before = await shared();
    const tokens = await Promise.all(Array.from({ length: 6 }, (_, i) => tokenFor('川0104', { sub: `clerk-${i}` })));
    const answers = await Promise.all(tokens.map((t) => post(query, t)));
    for (const a of answers) expect(a.status).toBe(200);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(await shared()).toBe(before);
  });
});

describe('the operation key and the response body (gateway/inflightDedup.ts, gateway/apollo.ts)', () => {
  it('keys on the scope, the document, the operation name and the variables', () => {
    const high = (sub: string): Viewer => ({ sub, court: '川', role: 'high' });
    const key = (viewer: Viewer = high('a'), variables: unknown = { id: 1 }, operationName = 'Q', queryHash = 'h') =>
      operationKey(viewer, { queryHash, operationName, variables });
    expect(key(high('a'))).toBe(key(high('b')));
    expect(key({ sub: 'a', court: '川0104', role: 'basic' })).not.toBe(key({ sub: 'b', court: '川0104', role: 'basic' }));
    expect(key(high('a'), { id: 2 })).not.toBe(key());
    expect(key(high('a'), { id: 1 }, 'R')).not.toBe(key());
    expect(key(high('a'), { id: 1 }, 'Q', 'other')).not.toBe(key());
  });

  it('writes what JSON.stringify writes, and one text for one data object', () => {
    const data = { debtors: [{ id: '1', name: '建设' }] };
    const results = [
      { data },
      { errors: [{ message: 'x', extensions: { code: 'C' } }], data },
      { data, extensions: { cost: 3 } },
      { data: null, errors: [{ message: 'y' }] },
      { errors: [{ message: 'z' }] },
      { data: undefined, errors: undefined, extensions: undefined },
    ];
    for (const r of results) expect(serialiseResult(r)).toBe(`${JSON.stringify(r)}\n`);
    expect(serialiseResult({ data })).toBe(serialiseResult({ errors: undefined, data, extensions: undefined }));
  });
});
