import { generateKeyPair, SignJWT, exportJWK, createLocalJWKSet, type CryptoKey, type JWTVerifyGetKey } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  GATEWAY_ISSUER,
  gatewayTokenVerifier,
  subgraphAudience,
  SubgraphTokenSigner,
  verifyGatewayToken,
  type Viewer,
} from '../../lib/auth';

/*
 * Issue 18: the gateway re-uses a signed subgraph token per viewer and subgraph, and a subgraph remembers a verified
 * token until it expires. Neither may let a token live past its `exp`, nor let a forgery ride on a remembered token.
 */
const viewer: Viewer = { sub: 'analyst-1', court: '川01', role: 'intermediate' };
let key: CryptoKey;
let keys: ReturnType<typeof createLocalJWKSet>;
let otherKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  key = pair.privateKey;
  keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'gw-test', alg: 'ES256' }] });
  otherKey = (await generateKeyPair('ES256')).privateKey;
});
afterEach(() => vi.useRealTimers());

/** A counting key set: how many times a signature was actually verified. */
function counted() {
  let calls = 0;
  const getKey: JWTVerifyGetKey = (...args) => {
    calls++;
    return keys(...args);
  };
  return { getKey, calls: () => calls };
}

const bearer = (token: string) => `Bearer ${token}`;

describe('subgraph tokens re-used by the gateway (lib/auth.ts SubgraphTokenSigner)', () => {
  it('gives the same token for the same viewer and subgraph within half its minute, another viewer or subgraph a different one', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-28T08:00:00Z') });
    const signer = new SubgraphTokenSigner(key, 'gw-test');
    const first = await signer.tokenFor(viewer, 'personnel');
    vi.advanceTimersByTime(20_000);
    expect(await signer.tokenFor(viewer, 'personnel')).toBe(first);
    expect(await signer.tokenFor(viewer, 'case-registry')).not.toBe(first);
    expect(await signer.tokenFor({ ...viewer, sub: 'analyst-2' }, 'personnel')).not.toBe(first);
    vi.advanceTimersByTime(11_000);
    expect(await signer.tokenFor(viewer, 'personnel')).not.toBe(first);
  });

  it('a re-used token is still refused once its exp has passed', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-28T08:00:00Z') });
    const signer = new SubgraphTokenSigner(key, 'gw-test');
    const token = await signer.tokenFor(viewer, 'personnel');
    const verifier = gatewayTokenVerifier(keys, 'personnel');
    expect(await verifier.verify(bearer(token))).toEqual(viewer);
    vi.advanceTimersByTime(61_000);
    await expect(verifyGatewayToken(bearer(token), keys, 'personnel')).rejects.toThrow(/expired/);
    await expect(verifier.verify(bearer(token))).rejects.toThrow(/expired/);
  });
});

describe("a subgraph's cache of verified gateway tokens (lib/auth.ts gatewayTokenVerifier)", () => {
  it('verifies a token once and answers its repeats from the cache, with the same viewer', async () => {
    const signer = new SubgraphTokenSigner(key, 'gw-test');
    const token = await signer.tokenFor(viewer, 'personnel');
    const { getKey, calls } = counted();
    const verifier = gatewayTokenVerifier(getKey, 'personnel');
    for (let i = 0; i < 5; i++) expect(await verifier.verify(bearer(token))).toEqual(viewer);
    expect(calls()).toBe(1);
    expect(verifier.size()).toBe(1);
  });

  it('never answers from the cache after the token expires', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-28T08:00:00Z') });
    const exp = Math.floor(Date.now() / 1000) + 10;
    const token = await new SignJWT({ court: viewer.court, role: viewer.role })
      .setProtectedHeader({ alg: 'ES256', kid: 'gw-test' })
      .setSubject(viewer.sub)
      .setIssuer(GATEWAY_ISSUER)
      .setAudience(subgraphAudience('personnel'))
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(key);
    const verifier = gatewayTokenVerifier(keys, 'personnel');
    expect(await verifier.verify(bearer(token))).toEqual(viewer);
    vi.setSystemTime(exp * 1000 - 1);
    expect(await verifier.verify(bearer(token))).toEqual(viewer);
    vi.setSystemTime(exp * 1000);
    await expect(verifier.verify(bearer(token))).rejects.toThrow(/expired/);
    // The expired entry is gone, not kept to be answered later.
    expect(verifier.size()).toBe(0);
  });

  it("refuses a forged token carrying a cached token's claims, and one re-signed for another subgraph", async () => {
    const signer = new SubgraphTokenSigner(key, 'gw-test');
    const token = await signer.tokenFor(viewer, 'personnel');
    const verifier = gatewayTokenVerifier(keys, 'personnel');
    await verifier.verify(bearer(token));
    const [header, payload] = token.split('.');
    // The same header and claims, signed by a key that is not the gateway's.
    const forgedSignature = (
      await new SignJWT(JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>)
        .setProtectedHeader({ alg: 'ES256', kid: 'gw-test' })
        .sign(otherKey)
    ).split('.')[2];
    await expect(verifier.verify(bearer(`${header}.${payload}.${forgedSignature}`))).rejects.toThrow(/signature/);
    // Claims changed under the cached token's signature (another court): the signature no longer matches.
    const elevated = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), court: '川', role: 'high' }),
    ).toString('base64url');
    await expect(verifier.verify(bearer(`${header}.${elevated}.${token.split('.')[2]}`))).rejects.toThrow(/signature/);
    // A token cached at personnel is not accepted by a case-registry verifier (audience).
    await expect(gatewayTokenVerifier(keys, 'case-registry').verify(bearer(token))).rejects.toThrow(/"aud"/);
    expect(verifier.size()).toBe(1);
  });

  it('stays within its bound, dropping the oldest entry first', async () => {
    const verifier = gatewayTokenVerifier(keys, 'personnel', { maxEntries: 3 });
    const signer = new SubgraphTokenSigner(key, 'gw-test');
    const tokens = await Promise.all([1, 2, 3, 4].map((i) => signer.tokenFor({ ...viewer, sub: `analyst-${i}` }, 'personnel')));
    for (const t of tokens) await verifier.verify(bearer(t));
    expect(verifier.size()).toBe(3);
    // Every token still verifies (the dropped one in full again).
    for (const t of tokens) expect((await verifier.verify(bearer(t))).sub).toMatch(/^analyst-/);
  });
});
