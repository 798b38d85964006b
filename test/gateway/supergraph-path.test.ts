import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph, productSubgraphs } from '../../gateway/compose';
import { devKeyFiles, readJwks, type Viewer } from '../../lib/auth';
import { ConfigError, loadConfig } from '../../lib/config';
import { serveSubgraph, type RunningServer, type SubgraphModule } from '../../lib/subgraphServer';
import { planSubgraphs, startGraph, type RunningGraph } from '../../scripts/graph';
import { postGraphQL, testDataDir, testToday, tokenFor } from '../support/graph';

/*
 * Issue 12, item 7: the gateway serves any supergraph. A small two-subgraph graph, composed here, served through the
 * product's gateway (auth, limits, transport) by SUPERGRAPH_PATH alone — no gateway code names its subgraphs.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

const DOCKETS = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query {
    docket(id: ID!): Docket
    dockets(first: Int = 10): [Docket!]!
  }
  type Docket @key(fields: "id") {
    id: ID!
    title: String!
  }
`);

const CLERKS = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Docket @key(fields: "id") {
    id: ID!
    clerk: String!
    "The court the gateway's token said the request acts for."
    viewedBy: String!
  }
`);

const TITLES: Record<string, string> = { d1: 'first docket', d2: 'second docket' };

/** A subgraph module over a fixed answer; it sees the viewer only through the gateway token serveSubgraph verified. */
function module(name: string, typeDefs: ReturnType<typeof parse>, resolvers: object, calls: string[]): SubgraphModule<{ viewer: Viewer }> {
  return {
    name,
    typeDefs,
    resolvers,
    createContext: (viewer) => {
      calls.push(name);
      return { viewer };
    },
    ping: async () => {},
    close: async () => {},
  };
}

describe('SUPERGRAPH_PATH: the gateway serves another supergraph (issue 12)', () => {
  const calls: string[] = [];
  let dockets: RunningServer;
  let clerks: RunningServer;
  let graph: RunningGraph;
  let dir: string;
  let supergraphPath: string;

  beforeAll(async () => {
    const gatewayKeys = readJwks(devKeyFiles(testDataDir()).gatewayJwks);
    const host = { port: 0, host: '127.0.0.1', gatewayKeys };
    dockets = await serveSubgraph(
      module(
        'dockets',
        DOCKETS,
        {
          Query: {
            docket: (_: unknown, { id }: { id: string }) => (TITLES[id] ? { id, title: TITLES[id] } : null),
            dockets: (_: unknown, { first }: { first: number }) =>
              Object.entries(TITLES)
                .slice(0, first)
                .map(([id, title]) => ({ id, title })),
          },
          Docket: { __resolveReference: ({ id }: { id: string }) => (TITLES[id] ? { id, title: TITLES[id] } : null) },
        },
        calls,
      ),
      host,
    );
    clerks = await serveSubgraph(
      module(
        'clerks',
        CLERKS,
        {
          Docket: {
            __resolveReference: ({ id }: { id: string }) => ({ id, clerk: `clerk of ${id}` }),
            viewedBy: (_: unknown, __: unknown, ctx: { viewer: Viewer }) => ctx.viewer.court,
          },
        },
        calls,
      ),
      host,
    );
    dir = mkdtempSync(path.join(os.tmpdir(), 'court-graph-supergraph-'));
    supergraphPath = path.join(dir, 'supergraph.graphql');
    writeFileSync(
      supergraphPath,
      composeSupergraph([
        { name: 'dockets', url: dockets.url, typeDefs: DOCKETS },
        { name: 'clerks', url: clerks.url, typeDefs: CLERKS },
      ]),
    );
    graph = await startGraph({
      PORT: 0,
      HOST: '127.0.0.1',
      dataDir: testDataDir(),
      AS_OF_DATE: testToday(),
      LOG_LEVEL: 'silent',
      SUPERGRAPH_PATH: loadConfig({ SUPERGRAPH_PATH: supergraphPath }).SUPERGRAPH_PATH,
    });
  });

  afterAll(async () => {
    await graph?.close();
    await Promise.all([dockets?.close(), clerks?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes its subgraphs from the supergraph’s join__graph, hosts none of the product’s, and calls each at its URL', () => {
    expect(graph.hosted).toEqual({});
    expect(graph.subgraphUrls).toEqual({ dockets: dockets.url, clerks: clerks.url });
  });

  it('a request without a token is 401 and reaches no subgraph', async () => {
    calls.length = 0;
    const res = await fetch(graph.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ docket(id: "d1") { title } }' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(calls).toEqual([]);
  });

  it('an operation over a limit is 400 OPERATION_LIMIT and reaches no subgraph', async () => {
    calls.length = 0;
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: docket(id: "d1") { id }`).join(' ');
    const { status, body } = await postGraphQL(graph.gateway.url, `{ ${aliases} }`);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_LIMIT', rule: 'MAX_ALIASES' });
    const list = await postGraphQL(graph.gateway.url, '{ dockets(first: 101) { id } }');
    expect(list.status).toBe(400);
    expect(list.body.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_LIMIT', rule: 'MAX_LIST_SIZE' });
    expect(calls).toEqual([]);
  });

  it('with a good token, answers with data from both subgraphs, each acting for the token’s court', async () => {
    calls.length = 0;
    const { status, body } = await postGraphQL<{ docket: { id: string; title: string; clerk: string; viewedBy: string } }>(
      graph.gateway.url,
      '{ docket(id: "d2") { id title clerk viewedBy } }',
      undefined,
      { as: '川01' },
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ docket: { id: 'd2', title: 'second docket', clerk: 'clerk of d2', viewedBy: '川01' } });
    expect(calls).toEqual(['dockets', 'clerks']);
  });

  it('the subgraphs refuse a call that does not carry the gateway’s token', async () => {
    const res = await fetch(clerks.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('川')}` },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    expect(res.status).toBe(401);
  });

  it('readiness names the supergraph’s subgraphs', async () => {
    const res = await fetch(graph.gateway.url.replace('/graphql', '/health/ready'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ready',
      supergraph: 'loaded',
      failing: [],
      subgraphs: { dockets: 'ready', clerks: 'ready' },
    });
  });

  it('`SUPERGRAPH_PATH=<that file> npm start` serves it, seeding nothing', async () => {
    const child = spawn(TSX, ['scripts/start.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        SUPERGRAPH_PATH: supergraphPath,
        DATA_DIR: testDataDir(),
        PORT: '0',
        HOST: '127.0.0.1',
        AS_OF_DATE: testToday(),
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout!.on('data', (c: Buffer) => {
          out += c.toString('utf8');
          const ready = /gateway ready at (\S+)/.exec(out);
          if (ready) resolve(ready[1]!);
        });
        child.once('exit', (code) => reject(new Error(`npm start exited ${code}\n${out}\n${err}`)));
      });
      expect(out).not.toContain('seeding');
      expect(out).toMatch(/subgraph dockets\s+http:\/\/127\.0\.0\.1:\d+\/graphql\n/);
      const { status, body } = await postGraphQL<{ docket: { title: string; clerk: string } }>(url, '{ docket(id: "d1") { title clerk } }');
      expect(status).toBe(200);
      expect(body.data).toEqual({ docket: { title: 'first docket', clerk: 'clerk of d1' } });
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }
  }, 60_000);
});

describe('SUPERGRAPH_PATH setting', () => {
  it('defaults to the checked-in supergraph', () => {
    expect(loadConfig({}).SUPERGRAPH_PATH).toBe(path.join(ROOT, 'schema', 'supergraph.graphql'));
  });

  it('a path with no file stops start-up with one line naming SUPERGRAPH_PATH', () => {
    expect(() => loadConfig({ SUPERGRAPH_PATH: '/nonexistent/supergraph.graphql' })).toThrow(ConfigError);
    expect(() => loadConfig({ SUPERGRAPH_PATH: '/nonexistent/supergraph.graphql' })).toThrow(
      /^invalid configuration: SUPERGRAPH_PATH: no supergraph file at this path \(got "\/nonexistent\/supergraph.graphql"\)$/,
    );
  });
});

describe('which subgraphs npm start hosts', () => {
  const config = loadConfig({});
  const elsewhere = 'http://10.1.2.3:4003/graphql';

  // In the supergraph's order (composition sorts join__Graph by name).
  it('on the checked-in supergraph: all four of the product’s, as before', () => {
    expect(planSubgraphs(config)).toEqual([
      { name: 'case-registry', host: true },
      { name: 'coordination', host: true },
      { name: 'personnel', host: true },
      { name: 'property-control', host: true },
    ]);
  });

  it('a URL setting overrides the supergraph; a product subgraph composed at another URL is called there', () => {
    const sdl = composeSupergraph(productSubgraphs().map((s) => (s.name === 'personnel' ? { ...s, url: elsewhere } : s)));
    expect(planSubgraphs({ ...config, CASE_REGISTRY_URL: 'http://10.1.2.3:4001/graphql' }, sdl)).toEqual([
      { name: 'case-registry', url: 'http://10.1.2.3:4001/graphql' },
      { name: 'coordination', host: true },
      { name: 'personnel', url: elsewhere },
      { name: 'property-control', host: true },
    ]);
  });
});
