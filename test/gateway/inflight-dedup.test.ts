import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubgraphTokenSigner, type Viewer } from '../../lib/auth';
import { cloneJson } from '../../gateway/entityDedup';
import { fetchKey, InflightFetches, scopeKey } from '../../gateway/inflightDedup';
import { SubgraphDataSource } from '../../gateway/subgraphTransport';

/*
 * Issue 18: identical subgraph reads in flight at once for the same viewer scope go once (gateway/inflightDedup.ts).
 * A real HTTP subgraph stand-in holds every request a moment, so calls made together are in flight together, and
 * records who each request came for (the claims of the token the gateway signed).
 */
interface Seen {
  sub: string;
  court: string;
  role: string;
  body: string;
}
let server: http.Server;
let url: string;
let seen: Seen[] = [];
let failNext = false;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const claims = decodeJwt(String(req.headers.authorization).replace(/^Bearer /, ''));
      seen.push({
        sub: String(claims.sub),
        court: String(claims.court),
        role: String(claims.role),
        body: Buffer.concat(chunks).toString(),
      });
      const fail = failNext;
      setTimeout(() => {
        if (fail) {
          res.writeHead(500, { 'content-type': 'application/json' }).end('{}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { court: { code: '川', officers: [{ name: 'a' }, { name: 'b' }] } } }));
      }, 150);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function source() {
  const { privateKey } = await generateKeyPair('ES256');
  return new SubgraphDataSource(
    'personnel',
    url,
    new SubgraphTokenSigner(privateKey, 'gw-test'),
    { timeoutMs: 5000, mutationTimeoutMs: 20_000, breakerFailures: 100, breakerCooldownMs: 60_000 },
    null,
  );
}

const READ = 'query Court($code: String!) { court(code: $code) { code officers { name } } }';
const call = (s: SubgraphDataSource, viewer: Viewer, query = READ, variables: Record<string, unknown> = { code: '川' }) =>
  s.process({ kind: 'health check', request: { query, variables }, context: { viewer } } as never);

const high = (sub: string): Viewer => ({ sub, court: '川', role: 'high' });
const intermediate = (sub: string): Viewer => ({ sub, court: '川01', role: 'intermediate' });
const basic = (sub: string): Viewer => ({ sub, court: '川0104', role: 'basic' });

describe('identical in-flight subgraph reads of one viewer scope sent once (gateway/inflightDedup.ts)', () => {
  it('two high-court viewers asking the same read at once share one fetch, each with its own copy of the answer', async () => {
    seen = [];
    const s = await source();
    const [a, b] = await Promise.all([call(s, high('analyst-1')), call(s, high('analyst-2'))]);
    expect(seen).toHaveLength(1);
    expect(a.data).toEqual({ court: { code: '川', officers: [{ name: 'a' }, { name: 'b' }] } });
    expect(b.data).toEqual(a.data);
    // The gateway merges later fetches into these objects: no two requests hold the same one.
    expect(b.data).not.toBe(a.data);
    expect((b.data as { court: unknown }).court).not.toBe((a.data as { court: unknown }).court);
    expect(s.inflight.counts).toEqual({ sent: 1, shared: 1 });
    expect(s.inflight.size()).toBe(0);
  });

  it('viewers with different scopes never share a fetch, each goes with its own token', async () => {
    seen = [];
    const s = await source();
    await Promise.all([call(s, high('analyst-1')), call(s, intermediate('analyst-1')), call(s, basic('analyst-1'))]);
    expect(seen.map((r) => `${r.role} ${r.court} ${r.sub}`).sort()).toEqual([
      'basic 川0104 analyst-1',
      'high 川 analyst-1',
      'intermediate 川01 analyst-1',
    ]);
    expect(s.inflight.counts.shared).toBe(0);
  });

  it('two viewers of a court below the high court never share a fetch (per-viewer limits in the subgraphs); one viewer twice does', async () => {
    seen = [];
    const s = await source();
    await Promise.all([
      call(s, basic('clerk-1')),
      call(s, basic('clerk-2')),
      call(s, intermediate('judge-1')),
      call(s, intermediate('judge-2')),
    ]);
    expect(seen.map((r) => r.sub).sort()).toEqual(['clerk-1', 'clerk-2', 'judge-1', 'judge-2']);
    seen = [];
    const [a, b] = await Promise.all([call(s, basic('clerk-1')), call(s, basic('clerk-1'))]);
    expect(seen).toHaveLength(1);
    expect(b.data).toEqual(a.data);
    expect(b.data).not.toBe(a.data);
  });

  it('different variables or documents go apart; a mutation always goes on its own; nothing is kept once answered', async () => {
    seen = [];
    const s = await source();
    await Promise.all([call(s, high('a')), call(s, high('b'), READ, { code: '川01' }), call(s, high('c'), `${READ} `)]);
    expect(seen).toHaveLength(3);
    seen = [];
    const MUTATION = 'mutation Note($code: String!) { note(code: $code) }';
    await Promise.all([call(s, high('a'), MUTATION), call(s, high('a'), MUTATION)]);
    expect(seen).toHaveLength(2);
    seen = [];
    await call(s, high('a'));
    await call(s, high('b'));
    expect(seen).toHaveLength(2);
  });

  it('a failed fetch fails every request that shared it, and the next one goes again', async () => {
    seen = [];
    const s = await source();
    failNext = true;
    const results = await Promise.allSettled([call(s, high('a')), call(s, high('b'))]);
    failNext = false;
    expect(seen).toHaveLength(1);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const ok = await call(s, high('a'));
    expect(ok.data).toBeTruthy();
    expect(seen).toHaveLength(2);
  });
});

describe('the merge key (gateway/inflightDedup.ts)', () => {
  it('holds the scope, and the viewer unless it sees the whole province', () => {
    expect(scopeKey(high('a'))).toBe(scopeKey(high('b')));
    expect(scopeKey(basic('a'))).not.toBe(scopeKey(basic('b')));
    expect(scopeKey(intermediate('a'))).not.toBe(scopeKey(high('a')));
    const key = (v: Viewer, subgraph = 'personnel') => fetchKey(subgraph, v, { query: READ, variables: { code: '川' } });
    expect(key(high('a'))).toBe(key(high('b')));
    expect(key(high('a'), 'personnel')).not.toBe(key(high('a'), 'coordination'));
  });

  it('hands each waiter a copy made before the first caller goes on', async () => {
    const inflight = new InflightFetches<{ n: number[] }>((v) => ({ n: [...v.n] }));
    let release!: (v: { n: number[] }) => void;
    const first = inflight.run('k', () => new Promise((r) => (release = r)));
    const second = inflight.run('k', () => Promise.reject(new Error('never sent')));
    release({ n: [1] });
    const a = await first;
    a.n.push(2);
    expect((await second).n).toEqual([1]);
  });
});

describe('the copy each waiter gets (gateway/entityDedup.ts cloneJson)', () => {
  it('is a deep copy equal to the answer, sharing no object with it, and keeps a "__proto__" key a property', () => {
    const answer = JSON.parse('{"a":[{"b":1,"c":null},"x",true],"d":{"e":{"f":"建设"}},"__proto__":{"polluted":1}}') as Record<
      string,
      unknown
    >;
    const copy = cloneJson(answer);
    expect(copy).toEqual(answer);
    expect(copy).not.toBe(answer);
    expect(copy.a).not.toBe(answer.a);
    expect((copy.a as object[])[0]).not.toBe((answer.a as object[])[0]);
    expect(copy.d).not.toBe(answer.d);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['a', 'd', '__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
