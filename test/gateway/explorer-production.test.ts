import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyTestProvince, testToday, tokenFor } from '../support/graph';
import { freePort, killGroup, spawnTsx, waitUntilServing, type Child } from '../support/processes';

/*
 * Issue 17 item 1: `npm start` with NODE_ENV=production serves no explorer unless EXPLORER=on; with it on, the page is
 * there but the schema's docs keep production's policy (no introspection).
 */

let dir: string;
const children: Child[] = [];
beforeAll(() => {
  dir = copyTestProvince();
});
afterAll(async () => {
  await Promise.all(children.map(killGroup));
  rmSync(dir, { recursive: true, force: true });
});

/** A production `npm start` on the test province, with `env` over its settings; resolves once it serves. */
async function startProduction(env: Record<string, string>): Promise<{ base: string; child: Child }> {
  const port = await freePort();
  const child = spawnTsx(['scripts/start.ts'], {
    NODE_ENV: 'production',
    // A production start needs the identity provider's keys: the test province's development client key stands in.
    AUTH_JWKS_FILE: path.join(dir, 'keys', 'dev-client-jwks.json'),
    DATA_DIR: dir,
    PORT: String(port),
    HOST: '127.0.0.1',
    AS_OF_DATE: testToday(),
    LOG_LEVEL: 'warn',
    ...env,
  });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  await waitUntilServing(child, `${base}/health/live`);
  return { base, child };
}

const BROWSER = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('issue 17 item 1: the explorer in production', () => {
  it('NODE_ENV=production alone: no explorer, no redirect', async () => {
    const { base, child } = await startProduction({});
    expect((await fetch(`${base}/explorer/`, { headers: BROWSER })).status).toBe(404);
    expect((await fetch(`${base}/explorer/assets/graphiql.js`)).status).toBe(404);
    expect((await fetch(`${base}/`, { headers: BROWSER, redirect: 'manual' })).status).toBe(404);
    // A browser at /graphql meets the endpoint itself, as before the explorer.
    expect((await fetch(`${base}/graphql`, { headers: BROWSER, redirect: 'manual' })).status).toBe(401);
    await killGroup(child);
  }, 120_000);

  it('EXPLORER=on: the page is served, and the schema docs stay closed as introspection is', async () => {
    const { base, child } = await startProduction({ EXPLORER: 'on' });
    const root = await fetch(`${base}/`, { headers: BROWSER, redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/explorer/');
    const page = await fetch(`${base}/explorer/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="./assets/graphiql.js"');
    const docs = await fetch(`${base}/explorer/schema.json`, { headers: { authorization: `Bearer ${await tokenFor('川')}` } });
    const body = (await docs.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    expect(docs.status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body).not.toHaveProperty('data');
    // Operations still run from it, as from any client.
    const walk = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('川')}` },
      body: JSON.stringify({ query: '{ court(code: "川01") { name } }' }),
    });
    expect(walk.status).toBe(200);
    await killGroup(child);
  }, 120_000);

  it('EXPLORER takes on or off only, and says so', async () => {
    const child = spawnTsx(['scripts/start.ts'], { EXPLORER: 'yes', DATA_DIR: dir, PORT: '0' });
    children.push(child);
    const exit = await child.exited;
    expect(exit.code).toBe(2);
    expect(child.stderr()).toContain('invalid configuration: EXPLORER: Invalid option: expected one of "on"|"off" (got "yes")');
  }, 60_000);
});
