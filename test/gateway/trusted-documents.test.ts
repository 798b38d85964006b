import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { generate } from '@graphql-codegen/cli';
import { parse, print } from 'graphql';
import type * as GraphQLModule from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGraph } from '../../scripts/graph';
import { TrustedDocuments, manifestEntries, sha256, type TrustedManifest } from '../../gateway/trustedDocuments';
import { readSupergraph } from '../../gateway/supergraph';
import { DEFAULT_SUPERGRAPH_PATH } from '../../lib/config';
import { openRaw, startTestGraph, tokenFor } from '../support/graph';
import { ROOT } from '../support/processes';

/*
 * Issue 17 item 3: trusted documents in the formats clients produce. The client preset's persisted-documents.json is
 * generated here by the real @graphql-codegen/client-preset from examples/front-end; Apollo Client's request shape
 * (its `__typename` additions, its persisted-query hash) is sent as Apollo Client sends it. Everything goes through
 * the real gateway over HTTP.
 */

const TSX_CLI = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const registry = openRaw('case-registry');
afterAll(() => registry.close());

const debtor = registry
  .prepare(
    `select person_id id, count(*) n from case_parties where role = 'DEBTOR' and person_id is not null group by person_id order by n desc, person_id limit 1`,
  )
  .get() as { id: string; n: number };

const tmp = mkdtempSync(path.join(os.tmpdir(), 'court-graph-td17-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Answer {
  status: number;
  body: { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function send(url: string, req: { method?: 'GET' | 'POST'; body?: object; search?: Record<string, string> }): Promise<Answer> {
  const target = new URL(url);
  for (const [k, v] of Object.entries(req.search ?? {})) target.searchParams.set(k, v);
  const res = await fetch(target, {
    method: req.method ?? 'POST',
    headers: {
      authorization: `Bearer ${await tokenFor('川')}`,
      ...(req.method === 'GET' ? { 'apollo-require-preflight': 'true' } : { 'content-type': 'application/json' }),
    },
    body: req.body ? JSON.stringify(req.body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

function expectNotInList(r: Answer) {
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  expect(r.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  expect(r.body).not.toHaveProperty('data');
}

function expectOverview(r: Answer) {
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
  expect(r.body.data.debtor.id).toBe(debtor.id);
  expect(r.body.data.debtor.cases).toHaveLength(debtor.n);
}

describe('issue 17 item 3: the client preset’s persisted documents', () => {
  let graph: RunningGraph;
  let manifest: Record<string, string>;
  let generatedTypes: string;
  const idOf = (name: string) => Object.entries(manifest).find(([, body]) => body.includes(`query ${name}`))![0];

  beforeAll(async () => {
    // The client preset against the API schema of the supergraph the gateway serves, as a front-end team runs it.
    const cjsGraphql = createRequire(import.meta.url)('graphql') as typeof GraphQLModule;
    const api = cjsGraphql.printSchema(Supergraph.build(readSupergraph(DEFAULT_SUPERGRAPH_PATH)).apiSchema().toGraphQLJSSchema() as never);
    writeFileSync(path.join(tmp, 'schema.graphql'), api);
    const out = path.join(tmp, 'gql') + path.sep;
    await generate(
      {
        schema: path.join(tmp, 'schema.graphql'),
        documents: [path.join(ROOT, 'examples', 'front-end', '*.graphql')],
        silent: true,
        generates: { [out]: { preset: 'client', presetConfig: { persistedDocuments: true } } },
      },
      true,
    );
    manifest = JSON.parse(readFileSync(path.join(out, 'persisted-documents.json'), 'utf8')) as Record<string, string>;
    generatedTypes = readFileSync(path.join(out, 'graphql.ts'), 'utf8');
    graph = await startTestGraph({}, { TRUSTED_DOCUMENTS: path.join(out, 'persisted-documents.json') });
  });
  afterAll(() => graph?.close());

  it('is the preset’s own manifest: each document by its sha256: hash, the same the generated documents carry', () => {
    expect(Object.keys(manifest)).toHaveLength(2);
    for (const [id, body] of Object.entries(manifest)) {
      expect(id).toBe(`sha256:${sha256(body)}`);
      expect(generatedTypes).toContain(`"__meta__":{"hash":"${id}"}`);
    }
    expect(graph.security.trustedDocuments?.size).toBe(2);
  });

  it('a document named by documentId runs (POST), with its fragments', async () => {
    expectOverview(await send(graph.gateway.url, { body: { documentId: idOf('DebtorOverview'), variables: { id: debtor.id } } }));
  });

  it('and over GET', async () => {
    const r = await send(graph.gateway.url, {
      method: 'GET',
      search: { documentId: idOf('DebtorOverview'), variables: JSON.stringify({ id: debtor.id }) },
    });
    expectOverview(r);
  });

  it('the same document by its hash in Apollo’s extension, or as its registered text, runs too', async () => {
    const hex = idOf('DebtorOverview').slice('sha256:'.length);
    expectOverview(
      await send(graph.gateway.url, {
        body: { extensions: { persistedQuery: { version: 1, sha256Hash: hex } }, variables: { id: debtor.id } },
      }),
    );
    expectOverview(await send(graph.gateway.url, { body: { query: manifest[idOf('DebtorOverview')], variables: { id: debtor.id } } }));
    const page = await send(graph.gateway.url, { body: { documentId: idOf('TransferCandidates'), variables: { first: 2 } } });
    expect(page.status).toBe(200);
    expect(page.body.data.transferCandidates.nodes.length).toBeGreaterThan(0);
  });

  it.each([
    ['an unknown documentId', () => ({ documentId: `sha256:${sha256('nothing registered')}` })],
    ['a documentId that is not a string', () => ({ documentId: 42 })],
    [
      'a documentId with another operation’s text',
      () => ({ documentId: idOf('DebtorOverview'), query: '{ court(code: "川01") { name } }' }),
    ],
    [
      'a documentId and an Apollo hash naming different documents',
      () => ({
        documentId: idOf('DebtorOverview'),
        extensions: { persistedQuery: { version: 1, sha256Hash: idOf('TransferCandidates').slice('sha256:'.length) } },
      }),
    ],
    ['the registered text with one extra space', () => ({ query: ` ${manifest[idOf('DebtorOverview')]}` })],
    ['an unregistered query', () => ({ query: '{ court(code: "川01") { name } }' })],
  ])('%s → 400 PERSISTED_QUERY_NOT_IN_LIST', async (_, payload) => {
    expectNotInList(await send(graph.gateway.url, { body: { ...payload(), variables: { id: debtor.id } } }));
  });

  it('a manifest in neither format is refused at start, naming both', () => {
    for (const bad of [[], { a: 1 }, null, { format: 'other', version: 1, operations: [] }])
      expect(() => manifestEntries(bad)).toThrow(/apollo-persisted-query-manifest/);
    expect(new TrustedDocuments({ 'sha256:x': '{ __typename }' }).size).toBe(1);
  });
});

/**
 * DebtorOverview as Apollo Client 3 sends it by default (`addTypename: true`), written out by hand: `__typename` in
 * every selection set but the operation's root, fragments included.
 */
const APOLLO_CLIENT_OVERVIEW = /* GraphQL */ `
  query DebtorOverview($id: ID!) {
    debtor(id: $id) {
      id
      name
      cases {
        ...CaseLine
        __typename
      }
      crossCourt {
        unclosedCaseCount
        courtCount
        outstandingAmount
        __typename
      }
      __typename
    }
  }
  fragment CaseLine on Case {
    number
    status
    court {
      name
      __typename
    }
    __typename
  }
`;

describe('issue 17 item 3: Apollo Client’s __typename additions are trusted only when registered (ADR 15)', () => {
  let plain: RunningGraph;
  let typed: RunningGraph;
  let typedManifest: TrustedManifest;
  const apolloBody = print(parse(APOLLO_CLIENT_OVERVIEW));

  beforeAll(async () => {
    const build = (file: string, flags: string[]) =>
      execFileSync(process.execPath, [TSX_CLI, 'scripts/trustedDocuments.ts', '--out', file, ...flags, 'examples/front-end'], {
        cwd: ROOT,
        stdio: 'pipe',
      });
    build(path.join(tmp, 'plain.json'), []);
    build(path.join(tmp, 'typed.json'), ['--with-typename']);
    typedManifest = JSON.parse(readFileSync(path.join(tmp, 'typed.json'), 'utf8')) as TrustedManifest;
    [plain, typed] = await Promise.all([
      startTestGraph({}, { TRUSTED_DOCUMENTS: path.join(tmp, 'plain.json') }),
      startTestGraph({}, { TRUSTED_DOCUMENTS: path.join(tmp, 'typed.json') }),
    ]);
  });
  afterAll(async () => {
    await plain?.close();
    await typed?.close();
  });

  /** Apollo Client's request with its persisted-query link: operation name, variables, the hash and (on retry) the text. */
  const apolloRequest = (withText: boolean) => ({
    operationName: 'DebtorOverview',
    variables: { id: debtor.id },
    extensions: { persistedQuery: { version: 1, sha256Hash: sha256(apolloBody) } },
    ...(withText ? { query: apolloBody } : {}),
  });

  it('--with-typename registers each operation a second time, exactly as Apollo Client prints it', () => {
    const overview = typedManifest.operations.filter((o) => o.name === 'DebtorOverview');
    expect(overview).toHaveLength(2);
    expect(overview.map((o) => o.body)).toContain(apolloBody);
    for (const o of typedManifest.operations) expect(o.id).toBe(sha256(o.body));
  });

  it('the explorer’s schema docs are introspection, so a client held to the list is refused them; the service pass is not', async () => {
    const docs = (token: string) =>
      fetch(`${plain.gateway.url.replace(/\/graphql$/, '')}/explorer/schema.json`, { headers: { authorization: `Bearer ${token}` } });
    const client = await docs(await tokenFor('川'));
    expect(client.status).toBe(400);
    expect(((await client.json()) as Answer['body']).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    const service = await docs(await plain.security.serviceToken());
    expect(service.status).toBe(200);
    expect(((await service.json()) as { data: { __schema: { types: unknown[] } } }).data.__schema.types.length).toBeGreaterThan(10);
  });

  it('a manifest without them refuses Apollo Client’s form, by text and by hash, and runs the form it holds', async () => {
    expectNotInList(await send(plain.gateway.url, { body: { query: apolloBody, variables: { id: debtor.id } } }));
    expectNotInList(await send(plain.gateway.url, { body: apolloRequest(false) }));
    expectNotInList(await send(plain.gateway.url, { body: apolloRequest(true) }));
    const registered = (JSON.parse(readFileSync(path.join(tmp, 'plain.json'), 'utf8')) as TrustedManifest).operations.find(
      (o) => o.name === 'DebtorOverview',
    )!;
    expectOverview(await send(plain.gateway.url, { body: { query: registered.body, variables: { id: debtor.id } } }));
  });

  it('a manifest with them runs Apollo Client’s requests, and answers the __typename it asked for', async () => {
    for (const request of [apolloRequest(false), apolloRequest(true), { query: apolloBody, variables: { id: debtor.id } }]) {
      const r = await send(typed.gateway.url, { body: request });
      expectOverview(r);
      expect(r.body.data.debtor.__typename).toBe('Debtor');
      expect(r.body.data.debtor.cases[0].__typename).toBe('Case');
      expect(r.body.data.debtor.cases[0].court.__typename).toBe('Court');
    }
  });

  it('any other addition, a __typename Apollo Client would not add included, is still another document', async () => {
    const atRoot = apolloBody.replace('query DebtorOverview($id: ID!) {\n', 'query DebtorOverview($id: ID!) {\n  __typename\n');
    expect(atRoot).not.toBe(apolloBody);
    expectNotInList(await send(typed.gateway.url, { body: { query: atRoot, variables: { id: debtor.id } } }));
    const extraField = apolloBody.replace('    id\n    name\n', '    id\n    name\n    kind\n');
    expect(extraField).not.toBe(apolloBody);
    expectNotInList(await send(typed.gateway.url, { body: { query: extraField, variables: { id: debtor.id } } }));
  });
});
