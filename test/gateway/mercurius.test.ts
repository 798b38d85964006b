import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devKeyFiles, PROVINCE_VIEWER } from '../../lib/auth';
import type { RunningGraph } from '../../scripts/graph';
import { SUBGRAPHS, type SubgraphName } from '../../subgraphs/catalogue';
import { copyTestProvince, openRaw, startTestGraph, testToday, tokenFor } from '../support/graph';
import { freePort, killGroup, spawnTsx, waitUntilServing } from '../support/processes';
import { DEBTOR_WALK } from '../support/operations';

/**
 * Issue 17 item 6: Mercurius on Fastify as the alternative subgraph runtime. The same province is served twice, once
 * with every subgraph on Apollo Server and once on Mercurius (SUBGRAPH_RUNTIME), and every answer is compared byte for
 * byte: the README's debtor walk and other operations through the gateway, the subgraphs' `_entities` contract and
 * `_service`, refusals with their codes, the gateway token check, and health.
 */
let apollo: RunningGraph;
let mercurius: RunningGraph;

beforeAll(async () => {
  [apollo, mercurius] = await Promise.all([
    startTestGraph({}, { SUBGRAPH_RUNTIME: 'apollo' }),
    startTestGraph({}, { SUBGRAPH_RUNTIME: 'mercurius' }),
  ]);
});
afterAll(async () => {
  await Promise.all([apollo?.close(), mercurius?.close()]);
});

const registry = openRaw('case-registry');
const property = openRaw('property-control');
afterAll(() => [registry, property].forEach((db) => db.close()));

type Answer = { status: number; json: { data?: any; errors?: any[] } };

async function rawPost(url: string, body: unknown, authorization?: string): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(body),
  });
  // Apollo Server ends its JSON with a newline, Fastify does not: the answer is compared as JSON, not bytes.
  return { status: res.status, json: (await res.json()) as { data?: any; errors?: any[] } };
}

/** The same request to the same place in both graphs: the Apollo runtime's answer, then Mercurius's. */
async function both(
  pick: (g: RunningGraph) => string,
  body: unknown,
  authorization?: (g: RunningGraph, url: string) => Promise<string | undefined>,
): Promise<[Answer, Answer]> {
  const [a, m] = await Promise.all(
    [apollo, mercurius].map(async (g) => {
      const url = pick(g);
      return rawPost(url, body, authorization ? await authorization(g, url) : undefined);
    }),
  );
  return [a!, m!];
}

const asHighCourt = async () => `Bearer ${await tokenFor('川')}`;
const gatewayToken = (name: SubgraphName) => async (g: RunningGraph) => `Bearer ${await g.security.signer.tokenFor(PROVINCE_VIEWER, name)}`;

describe('the same answers from Apollo Server and Mercurius subgraphs', () => {
  it('serves the graph on Mercurius', () => {
    expect(Object.keys(mercurius.hosted).sort()).toEqual(SUBGRAPHS.map((s) => s.name).sort());
  });

  it('answers the README debtor walk identically through the gateway', async () => {
    const { id } = property
      .prepare(
        `select p.owner_id id from properties p join measures m on m.property_id = p.id where p.owner_id is not null group by p.owner_id order by count(distinct m.court_code) desc, p.owner_id limit 1`,
      )
      .get() as { id: string };
    const [a, m] = await both((g) => g.gateway.url, { query: DEBTOR_WALK, variables: { id } }, asHighCourt);
    expect(a.status).toBe(200);
    expect(a.json.errors).toBeUndefined();
    expect(a.json.data.debtor.cases.length).toBeGreaterThan(1);
    expect(m).toEqual(a);
  });

  it.each([
    [
      'the assessment and candidates',
      '{ transferCandidates(first: 5) { nodes { debtor { id transferAssessment { recommendedMode rules { id met } } } urgency } } }',
    ],
    ['a refusal naming the field and rule', '{ debtor(id: "91510100MA61R8XK40") { id } }'],
    ['a case that does not exist', '{ case(number: "(2024)川0105执1号") { number } }'],
    [
      'court staffing and reports',
      '{ courts(prefecture: "川01") { code enforcementStaffCount transferHandling { transferredCases share } } }',
    ],
  ])('answers %s identically', async (_what, query) => {
    const [a, m] = await both((g) => g.gateway.url, { query }, asHighCourt);
    expect(m).toEqual(a);
  });

  it.each(SUBGRAPHS.map((s) => s.name))('%s: _service and _entities over HTTP are identical, and the token is required', async (name) => {
    const url = (g: RunningGraph) => g.subgraphUrls[name]!;
    const [sa, sm] = await both(url, { query: '{ _service { sdl } }' }, gatewayToken(name));
    expect(sa.status).toBe(200);
    expect(sm.status).toBe(200);
    expect(sm.json.data._service.sdl === sa.json.data._service.sdl, 'the same SDL').toBe(true);

    const debtor = registry
      .prepare(`select person_id id from case_parties where role = 'DEBTOR' and person_id is not null limit 1`)
      .get() as {
      id: string;
    };
    const propertyId = property.prepare('select id from properties limit 1').get() as { id: string };
    // The product's four; a subgraph added since (npm run new-subgraph) brings its own contract test on both runtimes.
    const selections: Partial<Record<SubgraphName, { reps: object[]; selection: string }>> = {
      'case-registry': {
        reps: [
          { __typename: 'Court', code: '川0105' },
          { __typename: 'Court', code: '川0199' },
          { __typename: 'Debtor', id: debtor.id },
        ],
        selection: '... on Court { code name level } ... on Debtor { id name cases { number status } }',
      },
      'property-control': {
        reps: [
          { __typename: 'Property', id: propertyId.id },
          { __typename: 'Debtor', id: debtor.id },
        ],
        selection: '... on Property { id kind measures { id status court { code } } } ... on Debtor { properties { id } }',
      },
      personnel: {
        reps: [{ __typename: 'Court', code: '川0105' }],
        selection: '... on Court { enforcementStaffCount officers { id name } }',
      },
      coordination: { reps: [{ __typename: 'Court', code: '川0105', receivedTransferCases: [] }], selection: '... on Court { code }' },
    };
    const chosen = selections[name];
    if (chosen) {
      const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ${chosen.selection} } }`;
      const [ea, em] = await both(url, { query, variables: { r: chosen.reps } }, gatewayToken(name));
      expect(ea.status).toBe(200);
      expect(ea.json.errors).toBeUndefined();
      expect(em).toEqual(ea);
    }

    // A query error: the same status and code.
    const [va, vm] = await both(url, { query: '{ _service { nope } }' }, gatewayToken(name));
    expect(va.status).toBe(400);
    expect(vm.json.errors?.[0].extensions.code).toBe(va.json.errors?.[0].extensions.code);
    expect(va.json.errors?.[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(vm.status).toBe(va.status);

    // No token, a client's token, another subgraph's token: refused alike.
    const other = name === 'personnel' ? 'coordination' : 'personnel';
    for (const auth of [undefined, asHighCourt, gatewayToken(other)]) {
      const [ua, um] = await both(url, { query: '{ _service { sdl } }' }, auth);
      expect(ua.status).toBe(401);
      expect(um).toEqual(ua);
    }
  });

  it('reports health alike', async () => {
    for (const name of SUBGRAPHS.map((s) => s.name)) {
      const [a, m] = await Promise.all(
        [apollo, mercurius].map(async (g) => {
          const base = g.subgraphUrls[name]!.replace(/\/graphql$/, '');
          const live = await fetch(`${base}/health/live`);
          const ready = await fetch(`${base}/health/ready`);
          return { live: [live.status, await live.json()], ready: [ready.status, await ready.json()] };
        }),
      );
      expect(m).toEqual(a);
      expect(a!.ready[0]).toBe(200);
    }
  });

  it('finishes an in-flight request, then closes', async () => {
    const g = await startTestGraph({ today: () => testToday() }, { SUBGRAPH_RUNTIME: 'mercurius' });
    const inFlight = fetch(g.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await asHighCourt() },
      body: JSON.stringify({ query: '{ courts { code enforcementStaffCount officers { id } } }' }),
    });
    await new Promise((r) => setTimeout(r, 20));
    const closing = g.close();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { courts: unknown[] } }).data.courts.length).toBeGreaterThan(100);
    await closing;
    await expect(fetch(g.subgraphUrls['personnel']!.replace(/\/graphql$/, '/health/live'))).rejects.toThrow();
  });
});

describe('start:subgraph with SUBGRAPH_RUNTIME=mercurius', () => {
  it('serves one subgraph as its own production process on Mercurius, and exits 0 on SIGTERM', async () => {
    const dir = copyTestProvince();
    const port = await freePort();
    const child = spawnTsx(['scripts/runSubgraph.ts', 'personnel'], {
      NODE_ENV: 'production',
      SUBGRAPH_RUNTIME: 'mercurius',
      DATA_DIR: dir,
      GATEWAY_JWKS_FILE: devKeyFiles(dir).gatewayJwks,
      AUTH_JWKS_FILE: path.join(dir, 'keys', 'dev-client-jwks.json'),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    });
    try {
      await waitUntilServing(child, `http://127.0.0.1:${port}/health/ready`, 30_000);
      expect(child.stdout()).toContain('(mercurius)');
      const unauthenticated = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ _service { sdl } }"}',
      });
      expect(unauthenticated.status).toBe(401);
      expect(child.proc.kill('SIGTERM')).toBe(true);
      expect(await child.exited).toEqual({ code: 0, signal: null });
    } finally {
      await killGroup(child);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
