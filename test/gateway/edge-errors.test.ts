import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sha256, type TrustedManifest } from '../../gateway/trustedDocuments';
import { log } from '../../lib/log';
import type { RunningGraph } from '../../scripts/graph';
import { startTestGraph, testDataDir, tokenFor } from '../support/graph';

/**
 * Issue 13, items 6 and 7, through the real HTTP gateway: production answers without schema hints; a subgraph's
 * refusal reaches the client without its addresses, paths or uncatalogued extensions; the requests that made the
 * gateway answer 500 (operation selection, a subscription) are 400s with a catalogued code and a log line.
 */

type Err = { message: string; extensions?: Record<string, unknown> };
interface Reply {
  status: number;
  text: string;
  body: { data?: any; errors?: Err[] };
}

async function post(url: string, payload: Record<string, unknown>): Promise<Reply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('川')}` },
    body: JSON.stringify(payload),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as Reply['body'] };
}

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('issue 13 item 6: production suggests nothing', () => {
  let prod: RunningGraph;
  beforeAll(async () => {
    prod = await startTestGraph(
      {},
      { production: true, NODE_ENV: 'production', AUTH_JWKS_FILE: path.join(testDataDir(), 'keys', 'dev-client-jwks.json') },
    );
    cleanups.push(() => prod.close());
  });

  it('a bad enum variable is refused without "Did you mean", the rest of the message kept', async () => {
    const r = await post(prod.gateway.url, {
      query: 'query Courts($level: CourtLevel) { courts(level: $level) { code } }',
      variables: { level: 'BASICC' },
    });
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.body.errors?.[0]?.message).toContain('Value "BASICC" does not exist in "CourtLevel" enum.');
    expect(r.text).not.toMatch(/Did you mean/);
    expect(r.text).not.toContain('"BASIC\\"');
  });

  it('a misspelt input field in a variable is refused without suggesting the right one', async () => {
    const r = await post(prod.gateway.url, {
      query: 'mutation Renew($input: RenewMeasureInput!) { renewMeasure(input: $input) { replayed } }',
      variables: { input: { measureID: 'M1', expiresAt: '2027-01-01', idempotencyKey: 'edge-errors-0001' } },
    });
    expect(r.status).toBe(400);
    expect(r.body.errors?.length).toBeGreaterThan(0);
    expect(r.body.errors?.every((e) => e.extensions?.code === 'BAD_USER_INPUT')).toBe(true);
    expect(r.text).toContain('"measureID\\" is not defined by type');
    expect(r.text).not.toMatch(/Did you mean/);
  });
});

describe('issue 13 item 6: a subgraph refusal passes on only what the catalogue knows', () => {
  let graph: RunningGraph;
  let stub: Server;
  let answer: Record<string, unknown> = {};
  beforeAll(async () => {
    // A stand-in personnel subgraph on loopback that refuses every call with HTTP 400.
    stub = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [answer] }));
      });
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => stub.close(resolve)));
    const url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/graphql`;
    graph = await startTestGraph({}, { PERSONNEL_URL: url });
    cleanups.push(() => graph.close());
  });

  const staffOf = () => post(graph.gateway.url, { query: '{ court(code: "川01") { name enforcementStaffCount } }' });

  it('a catalogued code keeps its message, without the host name, the address or the file path; an uncatalogued rule and a path-like field are dropped', async () => {
    answer = {
      message:
        'staff: connect ECONNREFUSED roster-db.court.internal:5432 (10.20.30.40) reading /var/lib/court-graph/personnel.db\nat Database.prepare (/srv/app/node_modules/x.js:1:2)',
      extensions: { code: 'BAD_USER_INPUT', rule: 'ROSTER_DB_LOCKED', field: '../../etc/passwd', stacktrace: ['at /srv/app'] },
    };
    const r = await staffOf();
    expect(r.status).toBe(200);
    expect(r.body.data?.court?.name).toBeTruthy();
    expect(r.body.data?.court?.enforcementStaffCount).toBeNull();
    const e = r.body.errors?.[0];
    expect(e?.extensions).toEqual({ code: 'BAD_USER_INPUT', serviceName: 'personnel' });
    expect(e?.message).toMatch(/^staff: connect ECONNREFUSED/);
    for (const secret of [
      'roster-db',
      'court.internal',
      '5432',
      '10.20.30.40',
      '/var/lib',
      'personnel.db',
      '/srv/app',
      'ROSTER_DB_LOCKED',
      'passwd',
    ])
      expect(r.text).not.toContain(secret);
  });

  it('a catalogued rule and an input path pass on', async () => {
    answer = { message: 'ids[2]: not a court code', extensions: { code: 'BAD_USER_INPUT', rule: 'COURT_CODE_FORMAT', field: 'ids[2]' } };
    const e = (await staffOf()).body.errors?.[0];
    expect(e?.extensions).toEqual({ code: 'BAD_USER_INPUT', rule: 'COURT_CODE_FORMAT', field: 'ids[2]', serviceName: 'personnel' });
    expect(e?.message).toBe('ids[2]: not a court code');
  });

  it('an uncatalogued code is reported with a fixed message', async () => {
    answer = { message: 'SQLITE_CORRUPT: database disk image is malformed at /data/personnel.db', extensions: { code: 'SQLITE_CORRUPT' } };
    const r = await staffOf();
    expect(r.body.errors?.[0]).toMatchObject({
      message: 'subgraph personnel refused this part of the query',
      extensions: { code: 'SOURCE_ERROR', serviceName: 'personnel' },
    });
    expect(r.text).not.toContain('SQLITE');
    expect(r.text).not.toContain('/data/');
  });
});

describe('issue 13 item 7: operation selection is refused with a code and a log line, never a 500', () => {
  let graph: RunningGraph;
  let trusted: RunningGraph;
  const registered = 'query CourtName { court(code: "川01") { name } }';
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'court-graph-edge-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const manifest: TrustedManifest = {
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: sha256(registered), name: 'CourtName', type: 'query', body: registered }],
    };
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    graph = await startTestGraph();
    cleanups.push(() => graph.close());
    trusted = await startTestGraph({}, { TRUSTED_DOCUMENTS: path.join(dir, 'manifest.json') });
    cleanups.push(() => trusted.close());
  });

  async function expectRefused(url: string, payload: Record<string, unknown>, code: string, reason: RegExp) {
    const info = vi.spyOn(log, 'info');
    try {
      const r = await post(url, payload);
      expect(r.status, r.text).toBe(400);
      expect(r.body.errors?.[0]?.extensions?.code).toBe(code);
      expect(r.body.errors?.[0]?.message).toMatch(reason);
      expect(r.body).not.toHaveProperty('data');
      const line = info.mock.calls.find(([fields, msg]) => msg === 'refused' && (fields as { code?: string }).code === code);
      expect(line, 'a log line names the refusal').toBeTruthy();
      expect((line![0] as { reason: string }).reason).toMatch(reason);
    } finally {
      info.mockRestore();
    }
  }

  it('two operations and no operationName', async () => {
    await expectRefused(
      graph.gateway.url,
      { query: 'query A { court(code: "川01") { name } } query B { court(code: "川03") { name } }' },
      'OPERATION_RESOLUTION_FAILURE',
      /holds 2 operations/,
    );
  });

  it('an operationName the document does not have', async () => {
    await expectRefused(
      graph.gateway.url,
      { query: 'query A { court(code: "川01") { name } }', operationName: 'Nope' },
      'OPERATION_RESOLUTION_FAILURE',
      /no operation named "Nope"/,
    );
  });

  it('a subscription', async () => {
    await expectRefused(graph.gateway.url, { query: 'subscription S { __typename }' }, 'OPERATION_TYPE_NOT_SUPPORTED', /no subscriptions/);
  });

  it('a trusted document run under an operationName it does not have, by body and by hash', async () => {
    await expectRefused(trusted.gateway.url, { query: registered, operationName: 'Other' }, 'OPERATION_RESOLUTION_FAILURE', /"Other"/);
    await expectRefused(
      trusted.gateway.url,
      { operationName: 'Other', extensions: { persistedQuery: { version: 1, sha256Hash: sha256(registered) } } },
      'OPERATION_RESOLUTION_FAILURE',
      /"Other"/,
    );
  });

  it('the operations still run when named rightly', async () => {
    const r = await post(graph.gateway.url, {
      query: 'query A { court(code: "川01") { name } } query B { court(code: "川03") { name } }',
      operationName: 'B',
    });
    expect(r.status).toBe(200);
    expect(r.body.data?.court?.name).toBeTruthy();
    const t = await post(trusted.gateway.url, { query: registered, operationName: 'CourtName' });
    expect(t.status).toBe(200);
    expect(t.body.data?.court?.name).toBeTruthy();
  });
});
