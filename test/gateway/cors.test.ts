import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config';
import type { RunningGraph } from '../../scripts/graph';
import { startTestGraph, tokenFor } from '../support/graph';

/**
 * Issue 13, item 12: a page on another origin can call the gateway when CORS_ORIGINS lists that origin, and only
 * then. Real fetch requests carrying Origin, through the real HTTP gateway.
 */

const PORTAL = 'http://127.0.0.1:5173';
const OTHER = 'http://evil.example:8080';

let graph: RunningGraph;
let closed: RunningGraph;
beforeAll(async () => {
  [graph, closed] = await Promise.all([startTestGraph({}, { CORS_ORIGINS: [PORTAL, 'https://portal.court.example'] }), startTestGraph()]);
});
afterAll(async () => {
  await Promise.all([graph?.close(), closed?.close()]);
});

const preflight = (url: string, origin: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  });

const query = async (url: string, origin: string) =>
  fetch(url, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('川')}` },
    body: JSON.stringify({ query: '{ court(code: "川01") { name } }' }),
  });

const corsHeaders = (res: Response) => [...res.headers.keys()].filter((h) => h.startsWith('access-control-'));

describe('issue 13 item 12: CORS for the origins in CORS_ORIGINS', () => {
  it('answers a preflight from an allowed origin with 204, without a token', async () => {
    const res = await preflight(graph.gateway.url, PORTAL);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization, content-type, apollo-require-preflight, x-request-id');
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('vary')).toMatch(/Origin/);
    expect(await res.text()).toBe('');
  });

  it('lets the allowed page read the answer and its request id', async () => {
    const res = await query(graph.gateway.url, PORTAL);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect(res.headers.get('access-control-expose-headers')).toBe('x-request-id');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(((await res.json()) as any).data.court.name).toBeTruthy();
  });

  it('a refusal is readable by the allowed page too (a 401 without a token)', async () => {
    const res = await fetch(graph.gateway.url, {
      method: 'POST',
      headers: { origin: PORTAL, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe(PORTAL);
  });

  it('gives a disallowed origin no CORS headers, preflight or request', async () => {
    const pre = await preflight(graph.gateway.url, OTHER);
    expect(pre.status).not.toBe(204);
    expect(corsHeaders(pre)).toEqual([]);
    const res = await query(graph.gateway.url, OTHER);
    expect(corsHeaders(res)).toEqual([]);
    // An origin that only starts like an allowed one is another origin.
    expect(corsHeaders(await preflight(graph.gateway.url, `${PORTAL}0`))).toEqual([]);
  });

  it('sends no CORS headers at all when CORS_ORIGINS is unset (the default)', async () => {
    const pre = await preflight(closed.gateway.url, PORTAL);
    expect(pre.status).not.toBe(204);
    expect(corsHeaders(pre)).toEqual([]);
    expect(corsHeaders(await query(closed.gateway.url, PORTAL))).toEqual([]);
  });

  it('CORS_ORIGINS takes exact origins only', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, http://127.0.0.1:5173' }).CORS_ORIGINS).toEqual([
      'https://a.example',
      'http://127.0.0.1:5173',
    ]);
    expect(loadConfig({}).CORS_ORIGINS).toEqual([]);
    for (const bad of ['*', 'https://a.example/', 'https://a.example/app', 'a.example', 'ftp://a.example'])
      expect(() => loadConfig({ CORS_ORIGINS: bad }), bad).toThrow(/CORS_ORIGINS/);
  });
});
