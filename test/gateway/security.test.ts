import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Lexer, Source, TokenKind } from 'graphql';
import {
  SignJWT,
  base64url,
  decodeJwt,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGraph } from '../../scripts/graph';
import { sha256, type TrustedManifest } from '../../gateway/trustedDocuments';
import { buildManifest } from '../../scripts/trustedDocuments';
import { openRaw, startTestGraph, testDataDir, tokenFor } from '../support/graph';
import { SUBGRAPHS } from '../../subgraphs/catalogue';

/**
 * Issue 5, item by item, through the real HTTP gateway (and, for the subgraph trust, the subgraphs' own ports):
 * every test sends the attacking input and checks the defended outcome.
 */

// ---- small helpers -----------------------------------------------------------------------------------------

type Err = { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> };
type Body = { data?: any; errors?: Err[] };
interface Reply {
  status: number;
  text: string;
  body: Body;
  /** SQL statements the systems ran while the request was served: 0 for a request refused at the gateway's edge. */
  statements: number;
  headers: Headers;
}

/** Every graph this file starts counts its systems' SQL statements here (SubgraphOptions.onQuery). */
let sqlStatements = 0;
const countStatements = { onQuery: () => void sqlStatements++ };

const ISSUER = 'court-graph-dev';
const AUDIENCE = 'court-enforcement-graph';
const GATEWAY_ISSUER = 'court-graph-gateway';
const now = () => Math.floor(Date.now() / 1000);
const keysDir = () => path.join(testDataDir(), 'keys');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX_CLI = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** One HTTP request, with the SQL statements the systems ran meanwhile (this file's requests run one at a time). */
async function send(
  url: string,
  opts: { method?: string; auth?: string | null; headers?: Record<string, string>; body?: string; search?: Record<string, string> } = {},
): Promise<Reply> {
  const u = new URL(url);
  for (const [k, v] of Object.entries(opts.search ?? {})) u.searchParams.append(k, v);
  const headers: Record<string, string> = {
    ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(opts.auth ? { authorization: opts.auth } : {}),
    ...opts.headers,
  };
  const before = sqlStatements;
  const res = await fetch(u, { method: opts.method ?? 'POST', headers, body: opts.body });
  const text = await res.text();
  const statements = sqlStatements - before;
  let body: Body = {};
  try {
    body = JSON.parse(text) as Body;
  } catch {
    // not JSON: body stays empty, the text is still checked
  }
  return { status: res.status, text, body, statements, headers: res.headers };
}

/** A GraphQL POST as a court (its development token) or with an explicit bearer token. */
async function gql(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  as: string | { token: string } = '川',
  headers: Record<string, string> = {},
): Promise<Reply> {
  const token = typeof as === 'string' ? await tokenFor(as) : as.token;
  return send(url, { auth: `Bearer ${token}`, body: JSON.stringify({ query, variables }), headers });
}

/** A header value carrying these UTF-8 bytes as they go on the wire (fetch accepts only Latin-1 strings). */
const rawUtf8 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

const codes = (r: Reply) => (r.body.errors ?? []).map((e) => e.extensions?.code);

function expectUnauthenticated(r: Reply) {
  expect(r.status).toBe(401);
  expect(r.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(r.body).not.toHaveProperty('data');
}

/**
 * Issue 13 item 4: a record asked for by a key the client chose, outside the viewer's scope, reads as not found (the
 * field null, no error), exactly as a well-formed key no record has.
 */
function expectHidden(r: Reply, field: string) {
  expect(r.status).toBe(200);
  expect(r.body).toEqual({ data: { [field]: null } });
}

function expectLimit(r: Reply, rule: string) {
  expect(r.status).toBe(400);
  expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_LIMIT', rule });
  expect(r.body).not.toHaveProperty('data');
  // Refused before any system was read (how fast, bench/limits.ts measures: a timed assertion here only tested the load).
  expect(r.statements).toBe(0);
}

/** Accepted by the limits: executed (200) and no OPERATION_LIMIT error. */
function expectNotLimited(r: Reply) {
  expect(codes(r)).not.toContain('OPERATION_LIMIT');
  expect(r.status).toBe(200);
  expect(r.body.data).toBeTruthy();
}

function readJwk(file: string): JWK & { kid: string } {
  return JSON.parse(readFileSync(path.join(keysDir(), file), 'utf8')) as JWK & { kid: string };
}

interface Signer {
  key: CryptoKey;
  kid: string;
}

async function signerOf(file: string): Promise<Signer> {
  const jwk = readJwk(file);
  return { key: (await importJWK(jwk, 'ES256')) as CryptoKey, kid: jwk.kid };
}

/** A JWT with exactly these claims and header (nothing added), signed with `key`. */
function sign(
  payload: JWTPayload,
  key: CryptoKey | Uint8Array,
  header: { alg: string; kid?: string; [k: string]: unknown },
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader(header).sign(key);
}

const clientClaims = (over: JWTPayload = {}): JWTPayload => ({
  sub: 'attacker',
  court: '川01',
  role: 'intermediate',
  iss: ISSUER,
  aud: AUDIENCE,
  iat: now(),
  exp: now() + 600,
  ...over,
});

const gatewayClaims = (subgraph: string, over: JWTPayload = {}): JWTPayload => ({
  sub: 'attacker',
  court: '川',
  role: 'high',
  iss: GATEWAY_ISSUER,
  aud: `subgraph:${subgraph}`,
  iat: now(),
  exp: now() + 60,
  ...over,
});

/** A stand-in subgraph on a port of its own that records what the gateway sends and fails the way it is told. */
interface FakeSubgraph {
  url: string;
  port: number;
  mode: 'json500' | 'html500' | 'error200';
  requests: { headers: IncomingHttpHeaders; body: string }[];
  close: () => Promise<void>;
}

async function startFakeSubgraph(): Promise<FakeSubgraph> {
  const fake = { mode: 'json500', requests: [] } as unknown as FakeSubgraph;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      fake.requests.push({ headers: req.headers, body });
      const trace = [
        `Error: connect ECONNREFUSED to the roster database behind ${fake.url}`,
        '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)',
        '    at Roster.query (/srv/court-graph/personnel/roster.ts:42:11)',
      ];
      const errors = [
        {
          message: trace.join('\n'),
          extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: trace, exception: { stacktrace: trace }, url: fake.url },
        },
      ];
      if (fake.mode === 'html500') {
        res.writeHead(500, { 'content-type': 'text/html' });
        res.end(`<!DOCTYPE html><html><body><pre>${trace.join('<br>')}</pre><p>${fake.url}</p></body></html>`);
      } else if (fake.mode === 'json500') {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors }));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: null, errors }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.port = (server.address() as AddressInfo).port;
  fake.url = `http://127.0.0.1:${fake.port}/graphql`;
  fake.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake;
}

// ---- the shared graph (defaults) and the records the tests pick from -------------------------------------------

let graph: RunningGraph;
let clientKey: Signer;
let gatewayKey: Signer;

const registry = openRaw('case-registry');
const propertyDb = openRaw('property-control');

/** Courts and records picked by SQL: X and Y are basic courts of 川01, Z a basic court of another prefecture. */
const pick = (() => {
  const basic = (where: string) =>
    (
      registry
        .prepare(
          `select c.executing_court code, count(*) n from cases c join courts k on k.code = c.executing_court
           where k.level = 'BASIC' and k.special = 0 and ${where} group by 1 order by n desc, code`,
        )
        .all() as { code: string }[]
    ).map((r) => r.code);
  const [X, Y] = basic(`k.parent = '川01'`) as [string, string];
  const Z = basic(`k.parent <> '川01'`)[0]!;
  const scope01 = (registry.prepare(`select code from courts where code = '川01' or parent = '川01'`).all() as { code: string }[]).map(
    (r) => r.code,
  );
  const caseOf = (court: string) =>
    (registry.prepare('select number from cases where executing_court = ? order by number limit 1').get(court) as { number: string })
      .number;
  const params = { x: X, scope: JSON.stringify(scope01) };
  /** An identified debtor whose cases (as debtor) satisfy `having` (@x is court X, @scope 川01's courts as JSON). */
  const debtor = (having: string) =>
    (
      registry
        .prepare(
          `select p.person_id id from case_parties p join cases c on c.number = p.case_number
           where p.role = 'DEBTOR' and p.person_id is not null
           group by p.person_id having ${having} order by p.person_id limit 1`,
        )
        .get(params) as { id: string } | undefined
    )?.id;
  const inScope01 = `c.executing_court in (select value from json_each(@scope))`;
  /** A property whose measures satisfy `having`. */
  const property = (having: string) =>
    (
      propertyDb
        .prepare(`select property_id id from measures group by property_id having ${having} order by property_id limit 1`)
        .get(params) as { id: string } | undefined
    )?.id;
  const measureIn01 = `court_code in (select value from json_each(@scope))`;
  return {
    X,
    Y,
    Z,
    scope01,
    caseX: caseOf(X),
    caseY: caseOf(Y),
    caseZ: caseOf(Z),
    /** Visible to X, with cases in other courts too. */
    debtorX: debtor(`sum(c.executing_court = @x) > 0 and sum(c.executing_court <> @x) > 0`)!,
    /** Visible to 川01 (a case in its scope) but not to X. */
    debtorSibling: debtor(`sum(c.executing_court = @x) = 0 and sum(${inScope01}) > 0`)!,
    /** No case anywhere in 川01's scope. */
    debtorOutside: debtor(`sum(${inScope01}) = 0`)!,
    propertyX: property(`sum(court_code = @x) > 0`)!,
    /** Held under a case X executes and under a case another court executes. */
    propertyShared: (
      propertyDb
        .prepare(
          `select m.property_id id from measures m group by m.property_id having sum(m.case_number in (select value from json_each(@cases))) > 0
              and sum(m.case_number not in (select value from json_each(@cases))) > 0 order by m.property_id limit 1`,
        )
        .get({
          cases: JSON.stringify(
            (registry.prepare('select number from cases where executing_court = ?').all(X) as { number: string }[]).map((r) => r.number),
          ),
        }) as { id: string }
    ).id,
    propertySibling: property(`sum(court_code = @x) = 0 and sum(${measureIn01}) > 0`)!,
    propertyOutside: property(`sum(${measureIn01}) = 0`)!,
  };
})();

beforeAll(async () => {
  graph = await startTestGraph(countStatements);
  clientKey = await signerOf('dev-client-private.jwk.json');
  gatewayKey = await signerOf('gateway-private.jwk.json');
  // Warm-up: the first request's start-up work is done before the tests below.
  await gql(graph.gateway.url, '{ court(code: "川01") { code } }');
  await gql(graph.gateway.url, `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: __typename`).join(' ')} }`);
});
afterAll(async () => {
  await graph?.close();
  registry.close();
  propertyDb.close();
});

it('the SQL picks found every record the tests need', () => {
  for (const [k, v] of Object.entries(pick)) expect(v, k).toBeTruthy();
  expect(new Set([pick.X, pick.Y, pick.Z]).size).toBe(3);
});

// ---- 1. authentication -------------------------------------------------------------------------------------

describe('1. authentication: every bad token is HTTP 401, code UNAUTHENTICATED and no data', () => {
  const QUERY = '{ court(code: "川01") { name } }';
  const withBearer = (token: string) => send(graph.gateway.url, { auth: `Bearer ${token}`, body: JSON.stringify({ query: QUERY }) });

  it('a valid token works (200 and data), so the refusals below are the token’s fault', async () => {
    const r = await withBearer(await sign(clientClaims(), clientKey.key, { alg: 'ES256', kid: clientKey.kid }));
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.court.name).toBeTruthy();
  });

  it('no Authorization header', async () => {
    const r = await send(graph.gateway.url, { body: JSON.stringify({ query: QUERY }) });
    expectUnauthenticated(r);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('an expired token', async () => {
    expectUnauthenticated(
      await withBearer(
        await sign(clientClaims({ iat: now() - 7200, exp: now() - 3600 }), clientKey.key, { alg: 'ES256', kid: clientKey.kid }),
      ),
    );
  });

  it('a token not yet valid (nbf in the future)', async () => {
    expectUnauthenticated(
      await withBearer(await sign(clientClaims({ nbf: now() + 3600 }), clientKey.key, { alg: 'ES256', kid: clientKey.kid })),
    );
  });

  it('a token without exp', async () => {
    const claims = clientClaims();
    delete claims.exp;
    expectUnauthenticated(await withBearer(await sign(claims, clientKey.key, { alg: 'ES256', kid: clientKey.kid })));
  });

  it('the wrong issuer', async () => {
    expectUnauthenticated(
      await withBearer(await sign(clientClaims({ iss: 'someone-else' }), clientKey.key, { alg: 'ES256', kid: clientKey.kid })),
    );
  });

  it('the wrong audience', async () => {
    expectUnauthenticated(
      await withBearer(await sign(clientClaims({ aud: 'another-api' }), clientKey.key, { alg: 'ES256', kid: clientKey.kid })),
    );
  });

  it('alg: none (unsigned, empty signature)', async () => {
    const part = (o: object) => base64url.encode(JSON.stringify(o));
    const token = `${part({ alg: 'none', typ: 'JWT' })}.${part(clientClaims({ court: '川', role: 'high' }))}.`;
    expectUnauthenticated(await withBearer(token));
    // The same with alg "None" and a junk signature.
    expectUnauthenticated(
      await withBearer(`${part({ alg: 'None', typ: 'JWT' })}.${part(clientClaims({ court: '川', role: 'high' }))}.AAAA`),
    );
  });

  it.each([
    [
      'the public JWK as JSON',
      async () =>
        new TextEncoder().encode(
          JSON.stringify((JSON.parse(readFileSync(path.join(keysDir(), 'dev-client-jwks.json'), 'utf8')) as { keys: JWK[] }).keys[0]),
        ),
    ],
    ['the JWKS file’s bytes', async () => new Uint8Array(readFileSync(path.join(keysDir(), 'dev-client-jwks.json')))],
    [
      'the public key as SPKI PEM',
      async () => {
        const jwk = (JSON.parse(readFileSync(path.join(keysDir(), 'dev-client-jwks.json'), 'utf8')) as { keys: JWK[] }).keys[0]!;
        return new TextEncoder().encode(await exportSPKI((await importJWK(jwk, 'ES256', { extractable: true })) as CryptoKey));
      },
    ],
  ])('HS256 signed with the public key (key confusion): %s as the HMAC secret', async (_, secret) => {
    const token = await sign(clientClaims({ court: '川', role: 'high' }), await secret(), { alg: 'HS256', kid: clientKey.kid, typ: 'JWT' });
    expectUnauthenticated(await withBearer(token));
  });

  it('a token signed by another, freshly generated ES256 key (same kid)', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    expectUnauthenticated(
      await withBearer(await sign(clientClaims({ court: '川', role: 'high' }), privateKey, { alg: 'ES256', kid: clientKey.kid })),
    );
  });

  it('a token that embeds its own verification key (header jwk) signed by that key', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(publicKey);
    expectUnauthenticated(await withBearer(await sign(clientClaims({ court: '川', role: 'high' }), privateKey, { alg: 'ES256', jwk })));
  });

  it('a valid token whose payload was edited to a higher court (signature kept)', async () => {
    const genuine = await tokenFor(pick.X);
    const [header, , signature] = genuine.split('.');
    const payload = { ...decodeJwt(genuine), court: '川', role: 'high' };
    expectUnauthenticated(await withBearer(`${header}.${base64url.encode(JSON.stringify(payload))}.${signature}`));
  });

  it.each([
    ['court 川01 with role basic', { court: '川01', role: 'basic' }],
    ['a basic court with role high', { court: '川0104', role: 'high' }],
    ['a court the province does not have', { court: '川99', role: 'basic' }],
    ['no court claim', { court: undefined }],
    ['no subject', { sub: undefined }],
  ])('a correctly signed token whose claims do not hold: %s', async (_, over) => {
    expectUnauthenticated(
      await withBearer(await sign(clientClaims(over as JWTPayload), clientKey.key, { alg: 'ES256', kid: clientKey.kid })),
    );
  });

  it('a token the gateway signed for a subgraph, replayed to the gateway', async () => {
    expectUnauthenticated(
      await withBearer(await sign(gatewayClaims('case-registry'), gatewayKey.key, { alg: 'ES256', kid: gatewayKey.kid })),
    );
  });

  it.each([['Bearer garbage'], ['Bearer a.b.c'], ['Bearer '], ['Basic YWRtaW46YWRtaW4='], ['garbage']])(
    'a garbage Authorization header: %s',
    async (auth) => {
      expectUnauthenticated(await send(graph.gateway.url, { auth, body: JSON.stringify({ query: QUERY }) }));
    },
  );
});

// ---- 2. court scope ----------------------------------------------------------------------------------------

describe('2. court scope through the gateway (high 川, intermediate 川01, basic X of 川01)', () => {
  const CASE = 'query ($n: String!) { case(number: $n) { number executingCourt { code } } }';
  const DEBTOR = 'query ($id: ID!) { debtor(id: $id) { id name } }';
  const PROPERTY = 'query ($id: ID!) { property(id: $id) { id measures { court { code } } } }';
  const readCase = (as: string, n: string) => gql(graph.gateway.url, CASE, { n }, as);

  it('the high court reads a case of a basic court of 川01 and one of another prefecture', async () => {
    for (const n of [pick.caseX, pick.caseZ]) {
      const r = await readCase('川', n);
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.case.number).toBe(n);
    }
  });

  it('川01 reads its prefecture’s case; another prefecture’s case reads as not found (null, no error: issue 13)', async () => {
    const own = await readCase('川01', pick.caseX);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data.case).toEqual({ number: pick.caseX, executingCourt: { code: pick.X } });
    expectHidden(await readCase('川01', pick.caseZ), 'case');
  });

  it('basic court X reads its own case; a sibling basic court’s case reads as not found, and so does another prefecture’s', async () => {
    const own = await readCase(pick.X, pick.caseX);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data.case.number).toBe(pick.caseX);
    expectHidden(await readCase(pick.X, pick.caseY), 'case');
    expectHidden(await readCase(pick.X, pick.caseZ), 'case');
  });

  it('debtor(id): visible to a court with a case against it, not found (null, no error) to others', async () => {
    const high = await gql(graph.gateway.url, DEBTOR, { id: pick.debtorOutside }, '川');
    expect(high.body.data.debtor.id).toBe(pick.debtorOutside);
    expectHidden(await gql(graph.gateway.url, DEBTOR, { id: pick.debtorOutside }, '川01'), 'debtor');
    const sibling01 = await gql(graph.gateway.url, DEBTOR, { id: pick.debtorSibling }, '川01');
    expect(sibling01.body.data.debtor.id).toBe(pick.debtorSibling);
    const x = await gql(graph.gateway.url, DEBTOR, { id: pick.debtorX }, pick.X);
    expect(x.body.errors).toBeUndefined();
    expect(x.body.data.debtor.id).toBe(pick.debtorX);
    const forbidden = await gql(graph.gateway.url, DEBTOR, { id: pick.debtorSibling }, pick.X);
    expectHidden(forbidden, 'debtor');
    expect(forbidden.text).not.toContain(high.body.data.debtor.name);
  });

  it('debtors(ids): the invisible one is a null element without an error (as an unknown one), the visible one is returned', async () => {
    const r = await gql(
      graph.gateway.url,
      'query ($ids: [ID!]!) { debtors(ids: $ids) { id } }',
      { ids: [pick.debtorX, pick.debtorSibling] },
      pick.X,
    );
    expect(r.status).toBe(200);
    expect(r.body.data.debtors).toEqual([{ id: pick.debtorX }, null]);
    expect(r.body.errors).toBeUndefined();
  });

  it('a basic court’s debtor { cases } lists only the cases that court executes (checked by SQL)', async () => {
    const all = registry
      .prepare(
        `select distinct c.number, c.executing_court court from case_parties p join cases c on c.number = p.case_number where p.person_id = ? and p.role = 'DEBTOR'`,
      )
      .all(pick.debtorX) as { number: string; court: string }[];
    const own = all
      .filter((c) => c.court === pick.X)
      .map((c) => c.number)
      .sort();
    expect(own.length).toBeGreaterThan(0);
    expect(all.length).toBeGreaterThan(own.length);
    const q = 'query ($id: ID!) { debtor(id: $id) { cases { number } unclosedCases { number executingCourt { code } } } }';
    const x = await gql(graph.gateway.url, q, { id: pick.debtorX }, pick.X);
    expect(x.body.errors).toBeUndefined();
    expect(x.body.data.debtor.cases.map((c: { number: string }) => c.number).sort()).toEqual(own);
    for (const c of x.body.data.debtor.unclosedCases) expect(c.executingCourt.code).toBe(pick.X);
    const high = await gql(graph.gateway.url, q, { id: pick.debtorX }, '川');
    expect(high.body.data.debtor.cases.map((c: { number: string }) => c.number).sort()).toEqual(all.map((c) => c.number).sort());
  });

  it('property(id): visible to a court holding a measure on it, not found when every measure is by a court outside scope', async () => {
    const own = await gql(graph.gateway.url, PROPERTY, { id: pick.propertyX }, pick.X);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data.property.id).toBe(pick.propertyX);
    expectHidden(await gql(graph.gateway.url, PROPERTY, { id: pick.propertySibling }, pick.X), 'property');
    expectHidden(await gql(graph.gateway.url, PROPERTY, { id: pick.propertyOutside }, pick.X), 'property');
    expectHidden(await gql(graph.gateway.url, PROPERTY, { id: pick.propertyOutside }, '川01'), 'property');
    const sibling01 = await gql(graph.gateway.url, PROPERTY, { id: pick.propertySibling }, '川01');
    expect(sibling01.body.data.property.id).toBe(pick.propertySibling);
    const high = await gql(graph.gateway.url, PROPERTY, { id: pick.propertyOutside }, '川');
    expect(high.body.data.property.id).toBe(pick.propertyOutside);
  });

  it('a property seized by X and by another court: X sees it and every measure, the other court’s case null with FORBIDDEN', async () => {
    const r = await gql(
      graph.gateway.url,
      'query ($id: ID!) { property(id: $id) { id measures { id court { code } case { number status } } } }',
      { id: pick.propertyShared },
      pick.X,
    );
    expect(r.body.data.property.id).toBe(pick.propertyShared);
    // `status` makes the gateway ask the registry for the case (a key field alone it answers itself).
    const measures = r.body.data.property.measures as { id: string; case: { number: string; status: string } | null }[];
    const expected = propertyDb
      .prepare('select id, case_number from measures where property_id = ? order by id')
      .all(pick.propertyShared) as { id: string; case_number: string }[];
    expect(measures.map((m) => m.id).sort()).toEqual(expected.map((m) => m.id));
    // A measure's case is visible when the registry has it executed by X (not by who imposed the measure).
    const executedByX = (number: string) =>
      (registry.prepare('select executing_court from cases where number = ?').get(number) as { executing_court: string })
        .executing_court === pick.X;
    for (const m of expected)
      expect(measures.find((x) => x.id === m.id)!.case?.number ?? null).toBe(executedByX(m.case_number) ? m.case_number : null);
    const hidden = expected.filter((m) => !executedByX(m.case_number)).length;
    expect(codes(r)).toEqual(Array(hidden).fill('FORBIDDEN'));
  });

  it('transferCandidates: FORBIDDEN to a basic court; 川01 gets only its prefecture; asking for another prefecture is FORBIDDEN', async () => {
    const Q = 'query ($p: String) { transferCandidates(prefecture: $p, first: 100) { nodes { debtor { id } summary { prefectures } } } }';
    const basic = await gql(graph.gateway.url, Q, {}, pick.X);
    expect(codes(basic)).toEqual(['FORBIDDEN']);
    expect(basic.body.data?.transferCandidates ?? null).toBeNull();

    const mine = await gql(graph.gateway.url, Q, {}, '川01');
    expect(mine.body.errors).toBeUndefined();
    const nodes = mine.body.data.transferCandidates.nodes as { debtor: { id: string }; summary: { prefectures: string[] } }[];
    expect(nodes.length).toBeGreaterThan(0);
    for (const n of nodes) expect(n.summary.prefectures).toContain('川01');
    const high = await gql(graph.gateway.url, Q, { p: '川01' }, '川');
    expect(nodes.map((n) => n.debtor.id)).toEqual(
      high.body.data.transferCandidates.nodes.map((n: { debtor: { id: string } }) => n.debtor.id),
    );

    const other = await gql(graph.gateway.url, Q, { p: '川03' }, '川01');
    expect(codes(other)).toEqual(['FORBIDDEN']);
    expect(other.body.data?.transferCandidates ?? null).toBeNull();
  });

  it('rebalancePlan: FORBIDDEN to a basic court and to 川01 for a court outside its prefecture, through the gateway and _entities', async () => {
    const Q = 'query ($c: String!) { rebalancePlan(fromCourt: $c, maxCases: 2) { fromCourt { code } openCases { number } } }';
    for (const r of [await gql(graph.gateway.url, Q, { c: pick.X }, pick.X), await gql(graph.gateway.url, Q, { c: pick.Z }, '川01')]) {
      expect(codes(r)).toEqual(['FORBIDDEN']);
      expect(r.body.data?.rebalancePlan ?? null).toBeNull();
    }
    const mine = await gql(graph.gateway.url, Q, { c: pick.X }, '川01');
    expect(mine.body.errors).toBeUndefined();
    expect(mine.body.data.rebalancePlan.fromCourt.code).toBe(pick.X);
    expect(mine.body.data.rebalancePlan.openCases.length).toBeGreaterThan(0);

    const registryToken = await graph.security.signer.tokenFor({ sub: 'scope-test', court: '川01', role: 'intermediate' }, 'case-registry');
    const r = await gql(
      graph.subgraphUrls['case-registry'],
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on RebalancePlan { openCases { number } } } }',
      {
        r: [
          { __typename: 'RebalancePlan', id: `${pick.X}||2` },
          { __typename: 'RebalancePlan', id: `${pick.Z}||2` },
        ],
      },
      { token: registryToken },
    );
    expect(r.body.data._entities[0].openCases).toEqual(mine.body.data.rebalancePlan.openCases);
    expect(r.body.data._entities[1]).toBeNull();
    expect(codes(r)).toEqual(['FORBIDDEN']);

    // Coordination computes the proposal from the facts the gateway hands it, and checks the court itself.
    const court = (code: string) => ({
      code,
      level: 'BASIC',
      prefecture: code.slice(0, 3),
      divisionCode: null,
      openCaseCount: 100,
    });
    const plan = (code: string) => ({
      __typename: 'RebalancePlan',
      id: `${code}||2`,
      maxCases: 2,
      fromCourts: [court(code)],
      courts: [court(code)],
      openCases: [],
      // The roster's staffing and property-control's lineage measures, flat on the plan (ADR 21).
      staffedCourts: [{ code, enforcementStaffCount: 5 }],
      openCaseMeasures: [],
    });
    const coordinationToken = await graph.security.signer.tokenFor(
      { sub: 'scope-test', court: '川01', role: 'intermediate' },
      'coordination',
    );
    const c = await gql(
      graph.subgraphUrls.coordination,
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on RebalancePlan { proposal { moves { why } } } } }',
      { r: [plan(pick.X), plan(pick.Z)] },
      { token: coordinationToken },
    );
    expect(c.body.data._entities).toEqual([{ proposal: { moves: [] } }, null]);
    expect(codes(c)).toEqual(['FORBIDDEN']);
  });

  it('Court.transferHandling: X reads its own report; another court’s is null with FORBIDDEN, the court itself still answered', async () => {
    const Q = 'query ($c: String!) { court(code: $c) { code transferHandling { transferredCases } } }';
    const own = await gql(graph.gateway.url, Q, { c: pick.X }, pick.X);
    expect(own.body.errors).toBeUndefined();
    // X's own report is the one the high court reads for X.
    const high = await gql(graph.gateway.url, Q, { c: pick.X }, '川');
    expect(own.body.data.court).toEqual(high.body.data.court);
    expect(typeof own.body.data.court.transferHandling.transferredCases).toBe('number');
    const other = await gql(graph.gateway.url, Q, { c: pick.Z }, pick.X);
    expect(other.body.data.court).toEqual({ code: pick.Z, transferHandling: null });
    expect(codes(other)).toEqual(['FORBIDDEN']);
  });

  it('_entities is not part of the client API: the gateway refuses it as a validation error', async () => {
    const r = await gql(
      graph.gateway.url,
      `{ _entities(representations: [{ __typename: "Case", number: ${JSON.stringify(pick.caseZ)} }]) { ... on Case { number } } }`,
      {},
      pick.X,
    );
    expect(r.status).toBe(400);
    expect(codes(r)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(r.body).not.toHaveProperty('data');
    expect(r.text).not.toContain(pick.caseZ.slice(1));
  });

  it('the subgraphs enforce scope themselves: _entities with a valid gateway token for X still refuses other courts’ records', async () => {
    const viewer = { sub: 'scope-test', court: pick.X, role: 'basic' as const };
    const registryToken = await graph.security.signer.tokenFor(viewer, 'case-registry');
    const r = await gql(
      graph.subgraphUrls['case-registry'],
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Case { number } ... on Debtor { id } ... on CrossCourtSummary { debtorId unclosedCaseCount } } }',
      {
        r: [
          { __typename: 'Case', number: pick.caseX },
          { __typename: 'Case', number: pick.caseY },
          { __typename: 'Debtor', id: pick.debtorX },
          { __typename: 'Debtor', id: pick.debtorSibling },
          { __typename: 'CrossCourtSummary', debtorId: pick.debtorX },
          { __typename: 'CrossCourtSummary', debtorId: pick.debtorSibling },
        ],
      },
      { token: registryToken },
    );
    expect(r.status).toBe(200);
    const [summaryX] = r.body.data._entities.splice(4, 1);
    expect(summaryX).toMatchObject({ debtorId: pick.debtorX, unclosedCaseCount: expect.any(Number) });
    expect(r.body.data._entities).toEqual([{ number: pick.caseX }, null, { id: pick.debtorX }, null, null]);
    expect(codes(r)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);

    const propertyToken = await graph.security.signer.tokenFor(viewer, 'property-control');
    const p = await gql(
      graph.subgraphUrls['property-control'],
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Property { id } } }',
      {
        r: [
          { __typename: 'Property', id: pick.propertyX },
          { __typename: 'Property', id: pick.propertyOutside },
        ],
      },
      { token: propertyToken },
    );
    expect(p.body.data._entities).toEqual([{ id: pick.propertyX }, null]);
    expect(codes(p)).toEqual(['FORBIDDEN']);
  });

  it('the registry holds decisions and the cases they covered to the same scope under _entities as under root fields', async () => {
    const decision = (where: string) =>
      registry
        .prepare(
          `select t.id, tc.from_case fromCase from transfers t join transfer_cases tc on tc.transfer_id = t.id where ${where} order by t.id limit 1`,
        )
        .get({ scope: JSON.stringify(pick.scope01) }) as { id: string; fromCase: string } | undefined;
    const inside = decision(`t.deciding_court = '川01'`);
    // No court the decision touches (deciding, receiving, sending, or the court of a case it opened) is 川01's.
    const outside = decision(`not exists (
      select 1 from (select t.deciding_court k union all select t.receiving_court
                     union all select c.executing_court from transfer_cases y join cases c on c.number in (y.from_case, y.to_case) where y.transfer_id = t.id) w
      where w.k in (select value from json_each(@scope)))`);
    expect(inside, 'a decision by 川01').toBeDefined();
    expect(outside, 'a decision touching no court of 川01').toBeDefined();

    const token = await graph.security.signer.tokenFor({ sub: 'scope-test', court: '川01', role: 'intermediate' }, 'case-registry');
    const r = await gql(
      graph.subgraphUrls['case-registry'],
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Transfer { id } ... on TransferredCase { id carriedOn { number } } } }',
      {
        r: [
          { __typename: 'Transfer', id: inside!.id },
          { __typename: 'Transfer', id: outside!.id },
          { __typename: 'TransferredCase', id: `${outside!.id}|${outside!.fromCase}` },
        ],
      },
      { token },
    );
    expect(r.body.data._entities).toEqual([{ id: inside!.id }, null, null]);
    expect(codes(r)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(r.text).not.toContain(outside!.fromCase.slice(1, -1));
  });
});

// ---- 3. identity masking -----------------------------------------------------------------------------------

describe('3. identity numbers in debtorSearch are masked unless the viewer has a case against the debtor', () => {
  const SEARCH = 'query ($n: String!) { debtorSearch(name: $n, first: 100) { name candidate identifier debtor { id } } }';
  /** An identified debtor with a name no other record shares, with (or without) a case executed by X. */
  const person = (withCaseInX: boolean) =>
    registry
      .prepare(
        `select ps.id, ps.name from persons ps
         where length(ps.id) = 18
           and (select count(*) from persons q where q.name = ps.name) = 1
           and exists (select 1 from case_parties p where p.person_id = ps.id and p.role = 'DEBTOR')
           and ${withCaseInX ? '' : 'not'} exists (
             select 1 from case_parties p join cases c on c.number = p.case_number
             where p.person_id = ps.id and p.role = 'DEBTOR' and c.executing_court = ?)
         order by ps.id limit 1`,
      )
      .get(pick.X) as { id: string; name: string };
  const rowFor = (r: Reply, name: string) => {
    expect(r.body.errors).toBeUndefined();
    const rows = (
      r.body.data.debtorSearch as { name: string; candidate: boolean; identifier: string | null; debtor: { id: string } | null }[]
    ).filter((m) => m.name === name && !m.candidate);
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };

  it('a basic court with no case against the debtor sees a masked identifier and no debtor; the high court sees both', async () => {
    const p = person(false);
    const basic = rowFor(await gql(graph.gateway.url, SEARCH, { n: p.name }, pick.X), p.name);
    expect(basic.identifier).toMatch(/^\w{6}\*+\w{4}$/);
    expect(basic.identifier).toBe(`${p.id.slice(0, 6)}${'*'.repeat(p.id.length - 10)}${p.id.slice(-4)}`);
    expect(basic.debtor).toBeNull();
    const high = rowFor(await gql(graph.gateway.url, SEARCH, { n: p.name }, '川'), p.name);
    expect(high.identifier).toBe(p.id);
    expect(high.debtor).toEqual({ id: p.id });
  });

  it('the full identifier never appears anywhere in the basic court’s answer', async () => {
    const p = person(false);
    const r = await gql(
      graph.gateway.url,
      'query ($n: String!) { debtorSearch(name: $n, first: 100) { name identifier debtor { id } cases { number } possibleDebtors { id } } }',
      { n: p.name },
      pick.X,
    );
    expect(r.status).toBe(200);
    expect(r.text).not.toContain(p.id);
  });

  it('a basic court with a case against the debtor sees the full identifier and the debtor', async () => {
    const p = person(true);
    const row = rowFor(await gql(graph.gateway.url, SEARCH, { n: p.name }, pick.X), p.name);
    expect(row.identifier).toBe(p.id);
    expect(row.debtor).toEqual({ id: p.id });
  });
});

// ---- 4. gateway → subgraph trust ---------------------------------------------------------------------------

describe('4. gateway → subgraph trust: a subgraph answers only the gateway’s token for it', () => {
  const registryUrl = () => graph.subgraphUrls['case-registry'];
  const direct = (query: string, auth: string | null = null, variables?: Record<string, unknown>) =>
    send(registryUrl(), { auth, body: JSON.stringify({ query, variables }) });
  const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Case { number executingCourt { code } } } }`;
  const reps = () => ({ r: [{ __typename: 'Case', number: pick.caseZ }] });
  const gatewayToken = (subgraph: string, over: JWTPayload = {}) =>
    sign(gatewayClaims(subgraph, over), gatewayKey.key, { alg: 'ES256', kid: gatewayKey.kid });

  it('every hosted subgraph listens on a loopback port of its own (so these tests reach it directly)', () => {
    for (const { name } of SUBGRAPHS) {
      expect(graph.subgraphUrls[name]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    }
  });

  it('no token → 401, no data (every subgraph)', async () => {
    for (const url of Object.values(graph.subgraphUrls))
      expectUnauthenticated(await send(url, { body: JSON.stringify({ query: '{ __typename }' }) }));
  });

  it('{ _service { sdl } } without a token → 401 (every subgraph)', async () => {
    for (const url of Object.values(graph.subgraphUrls)) {
      const r = await send(url, { body: JSON.stringify({ query: '{ _service { sdl } }' }) });
      expectUnauthenticated(r);
      expect(r.text).not.toContain('@key');
    }
  });

  it('_service over GET without a token → 401', async () => {
    expectUnauthenticated(
      await send(registryUrl(), {
        method: 'GET',
        search: { query: '{ _service { sdl } }' },
        headers: { 'apollo-require-preflight': 'true' },
      }),
    );
  });

  it('an _entities query without a token → 401', async () => {
    const r = await direct(ENTITIES, null, reps());
    expectUnauthenticated(r);
    expect(r.text).not.toContain(pick.Z);
  });

  it('a gateway-signed token for another subgraph (audience subgraph:property-control) → 401', async () => {
    expectUnauthenticated(await direct(ENTITIES, `Bearer ${await gatewayToken('property-control')}`, reps()));
  });

  it('an expired gateway token → 401', async () => {
    expectUnauthenticated(
      await direct(ENTITIES, `Bearer ${await gatewayToken('case-registry', { iat: now() - 600, exp: now() - 300 })}`, reps()),
    );
  });

  it('a gateway token issued long ago with a far expiry (older than a minute) → 401', async () => {
    expectUnauthenticated(
      await direct(ENTITIES, `Bearer ${await gatewayToken('case-registry', { iat: now() - 3600, exp: now() + 3600 })}`, reps()),
    );
  });

  it('a gateway token with another issuer → 401', async () => {
    expectUnauthenticated(await direct(ENTITIES, `Bearer ${await gatewayToken('case-registry', { iss: ISSUER })}`, reps()));
  });

  it('a client token (the development client key, valid at the gateway) sent directly → 401', async () => {
    expectUnauthenticated(await direct(ENTITIES, `Bearer ${await tokenFor('川')}`, reps()));
    // Even one minted for the subgraph's audience with the client key.
    const forged = await sign(gatewayClaims('case-registry'), clientKey.key, { alg: 'ES256', kid: gatewayKey.kid });
    expectUnauthenticated(await direct(ENTITIES, `Bearer ${forged}`, reps()));
  });

  it('HS256 signed with the gateway’s public JWKS → 401', async () => {
    const secret = new Uint8Array(readFileSync(path.join(keysDir(), 'gateway-jwks.json')));
    expectUnauthenticated(
      await direct(ENTITIES, `Bearer ${await sign(gatewayClaims('case-registry'), secret, { alg: 'HS256', kid: gatewayKey.kid })}`, reps()),
    );
  });

  it('a correctly signed gateway token for that subgraph → 200 with data (the refusals above are the token’s fault)', async () => {
    const r = await direct(ENTITIES, `Bearer ${await gatewayToken('case-registry')}`, reps());
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data._entities).toEqual([{ number: pick.caseZ, executingCourt: { code: pick.Z } }]);
    const sdl = await direct('{ _service { sdl } }', `Bearer ${await gatewayToken('case-registry')}`);
    expect(sdl.status).toBe(200);
    expect(sdl.body.data._service.sdl).toContain('type Case');
  });

  it('forged identity headers with a basic court’s token do not widen its scope', async () => {
    const forged = {
      'x-court': rawUtf8('川'),
      'x-user': 'president',
      'x-role': 'high',
      'x-forwarded-user': 'president',
      'x-viewer': rawUtf8('{"court":"川","role":"high"}'),
    };
    expectHidden(
      await gql(graph.gateway.url, 'query ($n: String!) { case(number: $n) { number } }', { n: pick.caseY }, pick.X, forged),
      'case',
    );
    expectHidden(
      await gql(graph.gateway.url, 'query ($id: ID!) { debtor(id: $id) { id } }', { id: pick.debtorSibling }, pick.X, forged),
      'debtor',
    );
  });
});

// ---- a graph whose personnel subgraph is a failing stand-in (sections 4, 5 and 6) ------------------------------

describe('with a stand-in personnel subgraph', () => {
  let fake: FakeSubgraph;
  let fakeGraph: RunningGraph;
  beforeAll(async () => {
    fake = await startFakeSubgraph();
    // A breaker that never opens, so every request below reaches the stand-in.
    fakeGraph = await startTestGraph(countStatements, { PERSONNEL_URL: fake.url, BREAKER_FAILURES: 1_000_000 });
    await gql(fakeGraph.gateway.url, '{ court(code: "川01") { code } }');
  });
  afterAll(async () => {
    await fakeGraph?.close();
    await fake?.close();
  });

  describe('4. no client header reaches a subgraph', () => {
    it('forged identity headers and the client’s token are stripped; the subgraph gets a gateway token for the verified court only', async () => {
      fake.requests.length = 0;
      const clientToken = await tokenFor(pick.X);
      const forged = {
        'x-court': rawUtf8('川'),
        'x-user': 'president',
        'x-role': 'high',
        'x-forwarded-user': 'president',
        cookie: 'session=president',
        'x-forwarded-for': '10.0.0.1',
      };
      await gql(fakeGraph.gateway.url, '{ court(code: "川01") { name enforcementStaffCount } }', {}, pick.X, forged);
      expect(fake.requests.length).toBeGreaterThan(0);
      for (const { headers } of fake.requests) {
        for (const name of Object.keys(forged)) expect(headers, name).not.toHaveProperty(name);
        expect(headers.authorization).toMatch(/^Bearer /);
        const token = headers.authorization!.slice('Bearer '.length);
        expect(token).not.toBe(clientToken);
        const claims = decodeJwt(token);
        expect(claims).toMatchObject({ iss: GATEWAY_ISSUER, aud: 'subgraph:personnel', court: pick.X, role: 'basic' });
        expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(60);
      }
    });
  });

  describe('5. a refused operation never reaches a subgraph', () => {
    it('an over-limit operation touching personnel is refused with no request to it', async () => {
      fake.requests.length = 0;
      const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: court(code: "川01") { enforcementStaffCount }`).join(' ');
      expectLimit(await gql(fakeGraph.gateway.url, `{ ${aliases} }`), 'MAX_ALIASES');
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('6. a subgraph failure with a stack trace never reaches the client', () => {
    const leaks = (r: Reply) => {
      expect(r.text).not.toMatch(/stack/i);
      expect(r.text).not.toMatch(/\bat /);
      expect(r.text).not.toContain(fake.url);
      expect(r.text).not.toContain(String(fake.port));
      expect(r.text).not.toContain('127.0.0.1');
      expect(r.text).not.toContain('/srv/');
      expect(r.text).not.toContain('ECONNREFUSED');
    };
    const personnelError = (r: Reply) => {
      const e = (r.body.errors ?? []).find((x) => x.extensions?.serviceName === 'personnel');
      expect(e, r.text).toBeDefined();
      expect(typeof e!.extensions!.code).toBe('string');
      expect(Object.keys(e!.extensions!).sort()).toEqual(expect.arrayContaining(['code', 'serviceName']));
      return e!;
    };

    it.each([['json500' as const], ['html500' as const], ['error200' as const]])(
      'the stand-in fails (%s): no stack, URL or port in the response; code and serviceName personnel',
      async (mode) => {
        fake.mode = mode;
        const r = await gql(fakeGraph.gateway.url, '{ court(code: "川01") { name enforcementStaffCount } }');
        leaks(r);
        personnelError(r);
      },
    );

    it.each([['json500' as const], ['error200' as const]])(
      'partial data (%s): court.name still comes back while the personnel field fails',
      async (mode) => {
        fake.mode = mode;
        const r = await gql(fakeGraph.gateway.url, '{ court(code: "川01") { name enforcementStaffCount } }');
        leaks(r);
        personnelError(r);
        expect(r.body.data?.court?.name).toBeTruthy();
      },
    );

    it('partial data where the schema allows it: a nullable personnel root field fails, the registry’s court comes back', async () => {
      fake.mode = 'json500';
      const r = await gql(fakeGraph.gateway.url, '{ court(code: "川01") { name } officer(id: "O-1") { name } }');
      leaks(r);
      personnelError(r);
      expect(r.body.data.court.name).toBeTruthy();
      expect(r.body.data.officer).toBeNull();
    });
  });
});

// ---- 5. operation limits -----------------------------------------------------------------------------------

describe('5. operation limits (defaults), each at the limit and one over; refusals in well under 100 ms', () => {
  const ids = () =>
    (
      registry
        .prepare(
          `select distinct person_id id from case_parties where role = 'DEBTOR' and person_id is not null order by person_id limit 101`,
        )
        .all() as { id: string }[]
    ).map((r) => r.id);
  const run = (query: string, variables?: Record<string, unknown>) => gql(graph.gateway.url, query, variables);

  it('depth 6 accepted, 7 refused (MAX_DEPTH)', async () => {
    expectNotLimited(await run('{ court(code: "川01") { parent { children { parent { children { code } } } } } }'));
    expectLimit(await run('{ court(code: "川01") { parent { children { parent { children { parent { code } } } } } } }'), 'MAX_DEPTH');
  });

  it('a fragment named __schema does not exempt its depth', async () => {
    const frag = 'fragment __schema on Query { court(code: "川01") { parent { children { parent { children { parent { code } } } } } } }';
    expectLimit(await run(`query { ...__schema } ${frag}`), 'MAX_DEPTH');
    // Also with an introspection field beside it.
    expectLimit(await run(`query { __schema { queryType { name } } ...__schema } ${frag}`), 'MAX_DEPTH');
  });

  it('a fragment reused deeper counts at its real depth', async () => {
    const frag = 'fragment F on Court { children { parent { code } } }';
    // Used shallow only: depth 4, accepted.
    expectNotLimited(await run(`{ court(code: "川01") { ...F } } ${frag}`));
    // Used again three levels down: depth 7.
    expectLimit(await run(`{ court(code: "川01") { ...F parent { children { parent { ...F } } } } } ${frag}`), 'MAX_DEPTH');
    // Through an inline fragment too.
    expectLimit(await run(`{ court(code: "川01") { parent { ... on Court { children { parent { ...F } } } } } } ${frag}`), 'MAX_DEPTH');
  });

  it('aliases 15 accepted, 16 refused (MAX_ALIASES)', async () => {
    const q = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: court(code: "川01") { code }`).join(' ')} }`;
    const ok = await run(q(15));
    expectNotLimited(ok);
    expect(Object.keys(ok.body.data)).toHaveLength(15);
    expectLimit(await run(q(16)), 'MAX_ALIASES');
  });

  it('directives 50 accepted, 51 refused (MAX_DIRECTIVES)', async () => {
    const q = (n: number) => `{ court(code: "川01") { ${Array.from({ length: n }, () => 'code @include(if: true)').join(' ')} } }`;
    expectNotLimited(await run(q(50)));
    expectLimit(await run(q(51)), 'MAX_DIRECTIVES');
  });

  it('tokens 1000 accepted, 1001 refused (MAX_TOKENS)', async () => {
    // Distinct response names in turn, so that graphql-js's own overlap check stays within its budget.
    const names = ['code', 'name', 'level', 'prefecture', 'prefectureName', 'divisionCode', 'special', '__typename'];
    const q = (fields: number) =>
      `{ court(code: "川01") { ${Array.from({ length: fields }, (_, i) => names[i % names.length]).join(' ')} } }`;
    const count = (source: string) => {
      const lexer = new Lexer(new Source(source));
      let n = 0;
      while (lexer.advance().kind !== TokenKind.EOF) n++;
      return n;
    };
    expect(count(q(990))).toBe(1000);
    expect(count(q(991))).toBe(1001);
    expectNotLimited(await run(q(990)));
    expectLimit(await run(q(991)), 'MAX_TOKENS');
    // A document five times over the limit (still under the body limit) is refused as fast.
    expectLimit(await run(q(5000)), 'MAX_TOKENS');
  });

  it('list size: transferCandidates(first: 100) accepted, first: 101 refused (MAX_LIST_SIZE), literal or variable', async () => {
    const ok = await run('{ transferCandidates(first: 100) { nodes { urgency } } }');
    expectNotLimited(ok);
    expect(ok.body.data.transferCandidates.nodes.length).toBeLessThanOrEqual(100);
    expectLimit(await run('{ transferCandidates(first: 101) { nodes { urgency } } }'), 'MAX_LIST_SIZE');
    expectLimit(await run('query ($n: Int) { transferCandidates(first: $n) { nodes { urgency } } }', { n: 101 }), 'MAX_LIST_SIZE');
  });

  it('list size: debtors(ids) with 100 ids accepted, 101 refused (MAX_LIST_SIZE), literal or variable', async () => {
    const all = ids();
    expect(all).toHaveLength(101);
    const ok = await run('query ($ids: [ID!]!) { debtors(ids: $ids) { id } }', { ids: all.slice(0, 100) });
    expectNotLimited(ok);
    expect(ok.body.data.debtors).toHaveLength(100);
    expectLimit(await run(`{ debtors(ids: ${JSON.stringify(all)}) { id } }`), 'MAX_LIST_SIZE');
    expectLimit(await run('query ($ids: [ID!]!) { debtors(ids: $ids) { id } }', { ids: all }), 'MAX_LIST_SIZE');
  });

  it('list size: a size given only as a variable’s default value is capped too', async () => {
    expectLimit(await run('query ($n: Int = 101) { transferCandidates(first: $n) { nodes { urgency } } }'), 'MAX_LIST_SIZE');
  });

  it('list size: a paginated field’s own default page size is capped too (debtorPage defaults to first: 1000)', async () => {
    // The limit reads the schema's default for `first` (1000 > MAX_LIST_SIZE 100), so the request is refused.
    expectLimit(await run('{ debtorPage { nodes { id } } }'), 'MAX_LIST_SIZE');
  });

  it('cost: 400000 accepted, 400001 refused (MAX_COST), by the measured list sizes (@listSize in the SDL)', async () => {
    // debtors 2 + n × (cases 2 + 20 × (measures 2 + 5 × (court 2 + 1 × (officers 2 + 60 × id 1)))) = 2 + 6442 n; with 62
    // debtors 399,406, and each root __typename 1: 594 of them reach 400,000 exactly.
    const some = { ids: ids().slice(0, 62) };
    const q = (extra: number) =>
      `query ($ids: [ID!]!) { debtors(ids: $ids) { cases { measures { court { officers { id } } } } } ${'__typename '.repeat(extra)}}`;
    expectNotLimited(await run(q(594), some));
    expectLimit(await run(q(595), some), 'MAX_COST');
  });

  it('cost counts a connection’s first (README: “times the first/ids size of every list it sits in”)', async () => {
    // By the documented rule: 2 + nodes 2 + 100 candidates × (receivingCourts 2 + 20 × (court 2 + 60 officers × 4 fields))
    // = 4 + 100 × 4882 = 488,204 > 400,000. Sizing the nodes by the list's own assumed size would let it through.
    const q = (first: number) =>
      `{ transferCandidates(first: ${first}) { nodes { receivingCourts { court { officers { id name post isLeader } } } } } }`;
    expectLimit(await run(q(100)), 'MAX_COST');
    // The same shape with first: 5 (≈ 24,400) is accepted.
    expectNotLimited(await run(q(5)));
  });

  it('over GET, the limits see the same operation Apollo runs (1000 padding parameters before the query)', async () => {
    // Express's query-string parser stops at 1000 parameters; Apollo reads the whole query string.
    const padding = Array.from({ length: 1000 }, (_, i) => `p${i}=`).join('&');
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: court(code: "川01") { code }`).join(' ');
    const url = `${graph.gateway.url}?${padding}&query=${encodeURIComponent(`{ ${aliases} }`)}`;
    const r = await send(url, { method: 'GET', auth: `Bearer ${await tokenFor('川')}`, headers: { 'apollo-require-preflight': 'true' } });
    expect(r.status, r.text.slice(0, 300)).toBe(400);
    expect(r.body).not.toHaveProperty('data');
  });

  it('over GET, variables hidden from the limits the same way cannot lift a list-size cap', async () => {
    const padding = Array.from({ length: 1000 }, (_, i) => `p${i}=`).join('&');
    const query = encodeURIComponent('query ($n: Int) { debtorPage(first: $n) { nodes { id } } }');
    const url = `${graph.gateway.url}?query=${query}&${padding}&variables=${encodeURIComponent(JSON.stringify({ n: 1000 }))}`;
    const r = await send(url, { method: 'GET', auth: `Bearer ${await tokenFor('川')}`, headers: { 'apollo-require-preflight': 'true' } });
    const nodes = (r.body.data?.debtorPage?.nodes ?? []) as unknown[];
    expect(nodes.length, r.text.slice(0, 300)).toBeLessThanOrEqual(100);
  });

  it('a body of exactly MAX_BODY_BYTES is accepted; one byte more is 413 PAYLOAD_TOO_LARGE', async () => {
    const token = await tokenFor('川');
    const bodyOf = (bytes: number) => {
      const base = JSON.stringify({ query: '{ court(code: "川01") { code } }' });
      const pad = bytes - Buffer.byteLength(base);
      const text = JSON.stringify({ query: `{ court(code: "川01") { code } }${' '.repeat(pad)}` });
      expect(Buffer.byteLength(text)).toBe(bytes);
      return text;
    };
    const ok = await send(graph.gateway.url, { auth: `Bearer ${token}`, body: bodyOf(100_000) });
    expectNotLimited(ok);
    // The count sees the registry read an accepted request makes, so a refusal's 0 means nothing was read.
    expect(ok.statements).toBeGreaterThan(0);
    const over = await send(graph.gateway.url, { auth: `Bearer ${token}`, body: bodyOf(100_001) });
    expect(over.status).toBe(413);
    expect(over.body.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(over.body).not.toHaveProperty('data');
    expect(over.statements).toBe(0);
  });

  it('a batched array body is 400 BATCHING_NOT_ALLOWED (two operations or one)', async () => {
    const token = await tokenFor('川');
    const op = { query: '{ court(code: "川01") { code } }' };
    for (const body of [[op, op], [op]]) {
      const r = await send(graph.gateway.url, { auth: `Bearer ${token}`, body: JSON.stringify(body) });
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('BATCHING_NOT_ALLOWED');
      expect(r.text).not.toContain('"data"');
      expect(r.statements).toBe(0);
    }
  });

  describe('every limit is a setting (MAX_DEPTH 3, MAX_COST 7, MAX_LIST_SIZE 5, MAX_BODY_BYTES 2000)', () => {
    let low: RunningGraph;
    beforeAll(async () => {
      low = await startTestGraph(countStatements, { MAX_DEPTH: 3, MAX_COST: 7, MAX_LIST_SIZE: 5, MAX_BODY_BYTES: 2000 });
      await gql(low.gateway.url, '{ court(code: "川01") { code } }');
    });
    afterAll(() => low?.close());

    it('depth 3 accepted, 4 refused', async () => {
      expectNotLimited(await gql(low.gateway.url, '{ court(code: "川01") { parent { code } } }'));
      expectLimit(await gql(low.gateway.url, '{ court(code: "川01") { parent { parent { code } } } }'), 'MAX_DEPTH');
    });

    it('cost 7 accepted, 8 refused', async () => {
      expectNotLimited(await gql(low.gateway.url, '{ court(code: "川01") { code name level prefecture special } }'));
      expectLimit(await gql(low.gateway.url, '{ court(code: "川01") { code name level prefecture special divisionCode } }'), 'MAX_COST');
    });

    it('list size 5 accepted, 6 refused', async () => {
      // pageInfo only, so the cost (2 + 2 + 1) stays under this graph's MAX_COST of 7.
      expectNotLimited(await gql(low.gateway.url, '{ transferCandidates(first: 5) { pageInfo { hasNextPage } } }'));
      expectLimit(await gql(low.gateway.url, '{ transferCandidates(first: 6) { pageInfo { hasNextPage } } }'), 'MAX_LIST_SIZE');
    });

    it('a `first` variable left unset or null counts as the schema default (20), so it is refused too', async () => {
      const q = 'query ($n: Int) { transferCandidates(first: $n) { pageInfo { hasNextPage } } }';
      expectLimit(await gql(low.gateway.url, q), 'MAX_LIST_SIZE');
      expectLimit(await gql(low.gateway.url, q, { n: null }), 'MAX_LIST_SIZE');
      expectNotLimited(await gql(low.gateway.url, q, { n: 5 }));
    });

    it('a body over 2000 bytes is 413', async () => {
      const r = await send(low.gateway.url, {
        auth: `Bearer ${await tokenFor('川')}`,
        body: JSON.stringify({ query: `{ court(code: "川01") { code } }${' '.repeat(2000)}` }),
      });
      expect(r.status).toBe(413);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    });
  });
});

// ---- 6. HTTP hygiene ---------------------------------------------------------------------------------------

describe('6. HTTP hygiene', () => {
  it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['multipart/form-data; boundary=x']])(
    'a simple-request POST (content-type %s, no apollo-require-preflight) is refused by CSRF prevention with 400',
    async (contentType) => {
      const r = await send(graph.gateway.url, {
        auth: `Bearer ${await tokenFor('川')}`,
        headers: { 'content-type': contentType },
        body: JSON.stringify({ query: '{ court(code: "川01") { name } }' }),
      });
      expect(r.status).toBe(400);
      expect(r.text).toMatch(/CSRF|Cross-Site Request Forgery|preflight/i);
      expect(r.text).not.toContain('"data"');
    },
  );

  it('a GET query without a preflight header is refused by CSRF prevention (400)', async () => {
    const r = await send(graph.gateway.url, {
      method: 'GET',
      auth: `Bearer ${await tokenFor('川')}`,
      search: { query: '{ court(code: "川01") { name } }' },
    });
    expect(r.status).toBe(400);
    expect(r.text).not.toContain('"data"');
  });

  it('a GET query with apollo-require-preflight works (so the refusals are CSRF’s)', async () => {
    const r = await send(graph.gateway.url, {
      method: 'GET',
      auth: `Bearer ${await tokenFor('川')}`,
      headers: { 'apollo-require-preflight': 'true' },
      search: { query: '{ court(code: "川01") { name } }' },
    });
    expect(r.status).toBe(200);
    expect(r.body.data.court.name).toBeTruthy();
  });

  it('a mutation over GET is 405, even with a valid token and the preflight header', async () => {
    // A measure that does not exist: nothing could be written even if the refusal failed.
    const r = await send(graph.gateway.url, {
      method: 'GET',
      auth: `Bearer ${await tokenFor('川')}`,
      headers: { 'apollo-require-preflight': 'true' },
      search: {
        query:
          'mutation { releaseMeasure(input: { measureId: "M-DOES-NOT-EXIST", idempotencyKey: "security-get-mutation" }) { replayed } }',
      },
    });
    expect(r.status).toBe(405);
    expect(r.text).not.toContain('"data"');
  });

  it('in development a misspelt field is answered with a suggestion', async () => {
    const r = await gql(graph.gateway.url, '{ debtr(id: "x") { id } }');
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.message).toMatch(/Did you mean/);
  });

  describe('production mode', () => {
    let prod: RunningGraph;
    beforeAll(async () => {
      prod = await startTestGraph(countStatements, {
        production: true,
        NODE_ENV: 'production',
        AUTH_JWKS_FILE: path.join(testDataDir(), 'keys', 'dev-client-jwks.json'),
      });
    });
    afterAll(() => prod?.close());

    it('answers ordinary queries (so the refusals below are production’s)', async () => {
      const r = await gql(prod.gateway.url, '{ court(code: "川01") { name } }');
      expect(r.status).toBe(200);
      expect(r.body.data.court.name).toBeTruthy();
    });

    it.each([
      ['{ __schema { types { name } } }'],
      ['{ __type(name: "Debtor") { fields { name } } }'],
      ['query { ...I } fragment I on Query { __schema { queryType { name } } }'],
    ])('refuses introspection: %s', async (query) => {
      const r = await gql(prod.gateway.url, query);
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(r.body).not.toHaveProperty('data');
      expect(r.text).not.toContain('Debtor"');
      expect(r.text).not.toContain('transferCandidates');
    });

    it('a misspelt field gives no suggestion', async () => {
      const r = await gql(prod.gateway.url, '{ debtr(id: "x") { id } }');
      expect(r.status).toBe(400);
      expect(r.body.errors?.length).toBeGreaterThan(0);
      expect(r.text).not.toMatch(/Did you mean/);
      expect(r.text).not.toContain('"debtor"');
    });

    it('a misspelt argument or type gives no suggestion either', async () => {
      const r = await gql(prod.gateway.url, '{ debtor(idd: "x") { id } }');
      expect(r.status).toBe(400);
      expect(r.text).not.toMatch(/Did you mean/);
    });

    it('the production gateway still refuses a bad token', async () => {
      expectUnauthenticated(await send(prod.gateway.url, { auth: 'Bearer a.b.c', body: JSON.stringify({ query: '{ __typename }' }) }));
    });
  });
});

// ---- 7. trusted documents ----------------------------------------------------------------------------------

describe('7. trusted documents: only registered operations run', () => {
  let td: RunningGraph;
  let manifest: TrustedManifest;
  const op = (name: string) => manifest.operations.find((o) => o.name === name)!;
  let debtorId: string;
  let tmp: string | undefined;

  beforeAll(async () => {
    // Built by the command the issue asks for (`npm run trusted-documents`), from the front-end's registered documents
    // (debtor.graphql; the typed-client example's operations/ are not part of this manifest).
    tmp = mkdtempSync(path.join(os.tmpdir(), 'court-graph-td-'));
    const file = path.join(tmp, 'manifest.json');
    execFileSync(process.execPath, [TSX_CLI, 'scripts/trustedDocuments.ts', '--out', file, 'examples/front-end/debtor.graphql'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    manifest = JSON.parse(readFileSync(file, 'utf8')) as TrustedManifest;
    td = await startTestGraph(countStatements, { TRUSTED_DOCUMENTS: file });
    debtorId = pick.debtorOutside;
  });
  afterAll(async () => {
    await td?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const post = async (payload: object) => send(td.gateway.url, { auth: `Bearer ${await tokenFor('川')}`, body: JSON.stringify(payload) });

  it('the manifest holds the front-end’s operations, each keyed by the SHA-256 of its body', () => {
    expect(manifest.operations.map((o) => o.name).sort()).toEqual(['DebtorOverview', 'TransferCandidates']);
    for (const o of manifest.operations) expect(o.id).toBe(sha256(o.body));
  });

  it('buildManifest (scripts/trustedDocuments.ts) builds the same manifest in-process as the command', () => {
    const dir = path.join(ROOT, 'examples', 'front-end');
    expect(buildManifest([path.join(dir, 'debtor.graphql')])).toEqual(manifest);
  });

  it('the gateway’s own service token (the assessment-index pass) is not held to the manifest; a client token is', async () => {
    const unregistered = JSON.stringify({ query: '{ court(code: "川01") { code } }' });
    const service = await send(td.gateway.url, { auth: `Bearer ${await td.security.serviceToken()}`, body: unregistered });
    expect(service.status, service.text).toBe(200);
    expect(service.body.data.court.code).toBe('川01');
    const client = await send(td.gateway.url, { auth: `Bearer ${await tokenFor('川')}`, body: unregistered });
    expect(client.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });

  it('the service token only reads: a mutation under it is refused with 403 before any subgraph, even beside a query', async () => {
    const auth = `Bearer ${await td.security.serviceToken()}`;
    const mutation =
      'mutation M { assignSupervisor(input: { transferId: "T000001", supervisor: "川01-0001", idempotencyKey: "svc-write" }) { replayed } }';
    for (const body of [{ query: mutation }, { query: `query Q { court(code: "川01") { code } } ${mutation}`, operationName: 'M' }]) {
      const r = await send(td.gateway.url, { auth, body: JSON.stringify(body) });
      expect(r.status, r.text).toBe(403);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(r.body).not.toHaveProperty('data');
    }
    const overGet = await send(td.gateway.url, {
      method: 'GET',
      auth,
      search: { query: mutation },
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(overGet.status, overGet.text).toBe(403);
    // Without operation text the gateway could not tell a query from a mutation: refused too.
    const hashOnly = await send(td.gateway.url, {
      auth,
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: op('DebtorOverview').id } } }),
    });
    expect(hashOnly.status, hashOnly.text).toBe(400);
    expect(hashOnly.body.errors?.[0]?.message).toContain('operation text');
  });

  it('a registered operation sent by its body runs', async () => {
    const r = await post({ query: op('DebtorOverview').body, variables: { id: debtorId } });
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.debtor.id).toBe(debtorId);
  });

  it('a registered operation sent by extensions.persistedQuery.sha256Hash alone runs', async () => {
    const r = await post({
      extensions: { persistedQuery: { version: 1, sha256Hash: op('TransferCandidates').id } },
      variables: { first: 3 },
    });
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.transferCandidates.nodes.length).toBeGreaterThan(0);
  });

  it('a registered operation by hash alone over GET runs', async () => {
    const r = await send(td.gateway.url, {
      method: 'GET',
      auth: `Bearer ${await tokenFor('川')}`,
      headers: { 'apollo-require-preflight': 'true' },
      search: {
        extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: op('TransferCandidates').id } }),
        variables: JSON.stringify({ first: 3 }),
      },
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body.errors, r.text).toBeUndefined();
    expect(r.body.data?.transferCandidates?.nodes?.length).toBeGreaterThan(0);
  });

  it.each([
    ['an unregistered query', { query: '{ court(code: "川01") { name } }' }],
    ['introspection', { query: '{ __schema { types { name } } }' }],
    ['a registered body with one extra space', { query: ' {{BODY}}' }],
    ['an unknown hash', { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('nothing registered') } } }],
    [
      'a registered hash with a different body',
      { query: '{ debtorPage(first: 100) { nodes { id name } } }', extensions: { persistedQuery: { version: 1, sha256Hash: '{{HASH}}' } } },
    ],
  ])('%s → 400 PERSISTED_QUERY_NOT_IN_LIST', async (_, template) => {
    const payload = JSON.parse(
      JSON.stringify(template)
        .replace('{{BODY}}', JSON.stringify(op('DebtorOverview').body).slice(1, -1))
        .replace('{{HASH}}', op('TransferCandidates').id),
    ) as object;
    const r = await post({ ...payload, variables: { id: debtorId } });
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect(r.body).not.toHaveProperty('data');
  });

  it('an unregistered query over GET is refused too', async () => {
    const r = await send(td.gateway.url, {
      method: 'GET',
      auth: `Bearer ${await tokenFor('川')}`,
      headers: { 'apollo-require-preflight': 'true' },
      search: { query: '{ court(code: "川01") { name } }' },
    });
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });
});
