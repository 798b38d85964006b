import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decodeJwt, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPrivateKey } from '../../lib/auth';
import type { RunningGraph } from '../../scripts/graph';
import { startTestGraph, testDataDir } from '../support/graph';

/**
 * Issue 13, item 8: a client token has a maximum lifetime (AUTH_MAX_TOKEN_HOURS, default 12 h), through the real HTTP
 * gateway; `npm run token` keeps to it.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX_CLI = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const HOUR = 3600;
const now = () => Math.floor(Date.now() / 1000);

/** A token signed with the test province's development key, with exactly these time claims (no default added). */
async function token(times: { iat?: number; exp?: number }): Promise<string> {
  const signer = await readPrivateKey(path.join(testDataDir(), 'keys', 'dev-client-private.jwk.json'));
  const claims: JWTPayload = {
    court: '川',
    role: 'high',
    sub: 'lifetime-test',
    iss: 'court-graph-dev',
    aud: 'court-enforcement-graph',
    ...times,
  };
  return new SignJWT(claims).setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'JWT' }).sign(signer.key);
}

async function ask(url: string, bearer: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ query: '{ court(code: "川01") { name } }' }),
  });
  return { status: res.status, body: await res.json() };
}

function expectRefused(r: { status: number; body: any }, reason: RegExp) {
  expect(r.status).toBe(401);
  expect(r.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(r.body.errors?.[0]?.message).toMatch(reason);
  expect(r.body).not.toHaveProperty('data');
}

let graph: RunningGraph;
let short: RunningGraph;
beforeAll(async () => {
  [graph, short] = await Promise.all([startTestGraph(), startTestGraph({}, { AUTH_MAX_TOKEN_HOURS: 1 })]);
});
afterAll(async () => {
  await Promise.all([graph?.close(), short?.close()]);
});

describe('issue 13 item 8: tokens have a maximum lifetime', () => {
  it('refuses a token that expires 100 years from now', async () => {
    expectRefused(await ask(graph.gateway.url, await token({ iat: now(), exp: now() + 100 * 365 * 24 * HOUR })), /AUTH_MAX_TOKEN_HOURS/);
  });

  it('refuses a token issued for longer than the maximum, though little of it is left', async () => {
    expectRefused(
      await ask(graph.gateway.url, await token({ iat: now() - 23 * HOUR, exp: now() + HOUR })),
      /valid for 24 h from its "iat"/,
    );
  });

  it('refuses a token without "iat", and one without "exp"', async () => {
    expectRefused(await ask(graph.gateway.url, await token({ exp: now() + HOUR })), /no "iat" claim/);
    expectRefused(await ask(graph.gateway.url, await token({ iat: now() })), /no "exp" claim/);
  });

  it('refuses a token issued in the future', async () => {
    expectRefused(await ask(graph.gateway.url, await token({ iat: now() + HOUR, exp: now() + 2 * HOUR })), /"iat" lies in the future/);
  });

  it('accepts a token of exactly the maximum, 12 hours by default', async () => {
    const r = await ask(graph.gateway.url, await token({ iat: now(), exp: now() + 12 * HOUR }));
    expect(r.status).toBe(200);
    expect(r.body.data.court.name).toBeTruthy();
  });

  it('AUTH_MAX_TOKEN_HOURS sets the maximum', async () => {
    expectRefused(await ask(short.gateway.url, await token({ iat: now(), exp: now() + 2 * HOUR })), /at most 1 h \(AUTH_MAX_TOKEN_HOURS\)/);
    expect((await ask(short.gateway.url, await token({ iat: now(), exp: now() + HOUR / 2 }))).status).toBe(200);
  });
});

describe('issue 13 item 8: npm run token keeps to the maximum', () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    promisify(execFile)(process.execPath, [TSX_CLI, 'scripts/token.ts', '--court', '川', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: testDataDir(), NODE_ENV: 'development', ...env },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
    );

  it('refuses --hours over the maximum, naming the setting', async () => {
    const [over, overShort] = await Promise.all([run(['--hours', '13']), run(['--hours', '3'], { AUTH_MAX_TOKEN_HOURS: '2' })]);
    expect(over.code).toBe(2);
    expect(over.stdout).toBe('');
    expect(over.stderr.trim()).toBe('--hours: more than 0 and at most 12, the longest token the gateway accepts (AUTH_MAX_TOKEN_HOURS)');
    expect(overShort.code).toBe(2);
    expect(overShort.stderr).toContain('at most 2,');
  }, 30_000);

  it('mints a token of the maximum, which the gateway accepts', async () => {
    const r = await run(['--hours', '12']);
    expect(r.code, r.stderr).toBe(0);
    const minted = r.stdout.trim();
    const { iat, exp } = decodeJwt(minted);
    expect(exp! - iat!).toBe(12 * HOUR);
    expect((await ask(graph.gateway.url, minted)).status).toBe(200);
  }, 30_000);
});
