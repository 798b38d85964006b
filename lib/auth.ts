import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { COURTS_BY_CODE } from '../domain/sichuan';

/**
 * Who is asking, from verified claims only: the court the user acts for and its level (role). Court scope
 * (which cases and debtors the viewer may see) follows from these in domain/scope.ts.
 */
export type Role = 'high' | 'intermediate' | 'basic';
export interface Viewer {
  sub: string;
  court: string;
  role: Role;
}

const ROLE_OF_LEVEL = { HIGH: 'high', INTERMEDIATE: 'intermediate', BASIC: 'basic' } as const;
export const ROLES: readonly Role[] = ['high', 'intermediate', 'basic'];

/** The high court's identity, for the product's own passes (the assessment index) and in-process tests. */
export const PROVINCE_VIEWER: Viewer = { sub: 'system', court: '川', role: 'high' };

/** Why a request was refused authentication; the message is safe to show a client. */
export class AuthError extends Error {
  readonly code = 'UNAUTHENTICATED';
}

/** Algorithms a deployment may pin; the token's `alg` must be exactly the pinned one (never `none`, never HS*). */
export const SIGNING_ALGORITHMS = ['ES256', 'RS256', 'EdDSA'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** The gateway signs subgraph tokens with its own key, always ES256, valid for at most a minute. */
export const GATEWAY_ISSUER = 'court-graph-gateway';
const GATEWAY_ALG = 'ES256';
const SUBGRAPH_TOKEN_SECONDS = 60;
export const subgraphAudience = (subgraph: string) => `subgraph:${subgraph}`;

/** Claims → viewer: the court must exist and the role must be that court's level. */
function viewerOf(payload: Record<string, unknown>): Viewer {
  const { sub, court, role } = payload;
  if (typeof court !== 'string' || !COURTS_BY_CODE.has(court))
    throw new AuthError('the token names no court of the province (claim "court")');
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role))
    throw new AuthError('the token names no role (claim "role": high, intermediate or basic)');
  const expected = ROLE_OF_LEVEL[COURTS_BY_CODE.get(court)!.level];
  if (role !== expected) throw new AuthError(`role "${role}" does not match court ${court}, which is ${expected}`);
  if (typeof sub !== 'string' || sub.length === 0) throw new AuthError('the token names no subject (claim "sub")');
  return { sub, court, role: role as Role };
}

function explain(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  if (err instanceof joseErrors.JWTExpired) return new AuthError('the token has expired');
  if (err instanceof joseErrors.JWTClaimValidationFailed && err.reason === 'missing')
    return new AuthError(`the token has no "${err.claim}" claim, which this graph requires`);
  if (err instanceof joseErrors.JWTClaimValidationFailed) return new AuthError(`the token's "${err.claim}" claim is not accepted`);
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return new AuthError('the token is signed with an algorithm this graph does not accept');
  if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey)
    return new AuthError('the token signature does not verify');
  return new AuthError('the token is malformed or does not verify');
}

function bearer(header: string | undefined): string {
  if (!header) throw new AuthError('no bearer token: send Authorization: Bearer <token>');
  const m = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(header.trim());
  if (!m) throw new AuthError('the Authorization header is not "Bearer <JWT>"');
  return m[1]!;
}

export interface ClientAuthSettings {
  keys: JWTVerifyGetKey;
  algorithm: SigningAlgorithm;
  issuer: string;
  audience: string;
  /** The longest a token may be valid, from its `iat` and from now (AUTH_MAX_TOKEN_HOURS); default 12 hours. */
  maxLifetimeSeconds?: number;
}

/** AUTH_MAX_TOKEN_HOURS' default: a working day and a bit, so a stolen token is not good for long. */
export const DEFAULT_MAX_TOKEN_HOURS = 12;
/** Clock skew allowed between the identity provider and the gateway, for `iat`. */
const CLOCK_SKEW_SECONDS = 60;

const hours = (seconds: number) => `${Math.round((seconds / 3600) * 100) / 100} h`;

/**
 * A token's lifetime: it says when it was issued and when it expires, and neither its whole validity (`exp - iat`)
 * nor what is left of it (`exp - now`) exceeds the maximum, so a token minted for a century is refused.
 */
function checkLifetime(payload: { iat?: number; exp?: number }, maxSeconds: number): void {
  const now = Math.floor(Date.now() / 1000);
  const { iat, exp } = payload as { iat: number; exp: number };
  const allowed = `this graph accepts tokens valid for at most ${hours(maxSeconds)} (AUTH_MAX_TOKEN_HOURS)`;
  if (iat > now + CLOCK_SKEW_SECONDS) throw new AuthError('the token\'s "iat" lies in the future');
  if (exp - iat > maxSeconds) throw new AuthError(`the token is valid for ${hours(exp - iat)} from its "iat"; ${allowed}`);
  if (exp - now > maxSeconds) throw new AuthError(`the token expires ${hours(exp - now)} from now; ${allowed}`);
}

/**
 * Verifies a client's bearer token: pinned algorithm, signature, exp and iat (both required), nbf, iss, aud, the
 * maximum lifetime, then the court claims.
 */
export async function verifyClient(header: string | undefined, s: ClientAuthSettings): Promise<Viewer> {
  try {
    const { payload } = await jwtVerify(bearer(header), s.keys, {
      algorithms: [s.algorithm],
      issuer: s.issuer,
      audience: s.audience,
      requiredClaims: ['exp', 'iat'],
    });
    checkLifetime(payload, s.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_HOURS * 3600);
    return viewerOf(payload);
  } catch (err) {
    throw explain(err);
  }
}

/** Signs the short-lived token the gateway sends a subgraph on behalf of a verified viewer (cached ~30 s). */
export class SubgraphTokenSigner {
  private readonly cache = new Map<string, { token: string; until: number }>();
  constructor(
    private readonly key: CryptoKey,
    private readonly kid: string,
  ) {}

  async tokenFor(viewer: Viewer, subgraph: string): Promise<string> {
    const cacheKey = `${subgraph}\n${viewer.sub}\n${viewer.court}\n${viewer.role}`;
    const now = Date.now();
    const hit = this.cache.get(cacheKey);
    if (hit && hit.until > now) return hit.token;
    const token = await new SignJWT({ court: viewer.court, role: viewer.role })
      .setProtectedHeader({ alg: GATEWAY_ALG, kid: this.kid })
      .setSubject(viewer.sub)
      .setIssuer(GATEWAY_ISSUER)
      .setAudience(subgraphAudience(subgraph))
      .setIssuedAt()
      .setExpirationTime(Math.floor(now / 1000) + SUBGRAPH_TOKEN_SECONDS)
      .sign(this.key);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(cacheKey, { token, until: now + (SUBGRAPH_TOKEN_SECONDS / 2) * 1000 });
    return token;
  }
}

/** The longest after its `iat` a subgraph accepts a gateway token, whatever its `exp` says. */
const SUBGRAPH_TOKEN_MAX_AGE_SECONDS = SUBGRAPH_TOKEN_SECONDS + 5;

/** Verifies the gateway's token on a subgraph: the gateway's key, ES256, this subgraph as audience, not expired. */
export async function verifyGatewayToken(header: string | undefined, keys: JWTVerifyGetKey, subgraph: string): Promise<Viewer> {
  return (await verifyGatewayTokenClaims(bearer(header), keys, subgraph)).viewer;
}

async function verifyGatewayTokenClaims(
  token: string,
  keys: JWTVerifyGetKey,
  subgraph: string,
): Promise<{ viewer: Viewer; validUntilMs: number }> {
  try {
    const { payload } = await jwtVerify(token, keys, {
      algorithms: [GATEWAY_ALG],
      issuer: GATEWAY_ISSUER,
      audience: subgraphAudience(subgraph),
      requiredClaims: ['exp', 'iat'],
      maxTokenAge: SUBGRAPH_TOKEN_MAX_AGE_SECONDS,
    });
    // jose refuses a token once now >= exp (whole seconds), or once it is older than the maximum age after iat.
    const validUntilMs = Math.min(payload.exp! * 1000, (payload.iat! + SUBGRAPH_TOKEN_MAX_AGE_SECONDS) * 1000);
    return { viewer: viewerOf(payload), validUntilMs };
  } catch (err) {
    throw explain(err);
  }
}

/** How many verified gateway tokens a subgraph remembers (one per viewer the gateway acts for, renewed every ~30 s). */
export const GATEWAY_TOKEN_CACHE_SIZE = 10_000;

/**
 * A subgraph's verifier of gateway tokens that remembers each verified token until it expires (issue 18): the gateway
 * re-uses a token per viewer and subgraph for half its minute, so nearly every call carries a token this subgraph has
 * verified already, and the ES256 verification (0.2 ms) is done once per token rather than per call. The cache is
 * keyed by the whole token (header, claims and signature): a token that differs in any byte, such as a forgery with a
 * cached token's claims, is verified in full. A remembered result is used only while the token itself would still
 * verify (before its `exp`, and within its maximum age after `iat`), and never after; the cache is bounded, the oldest
 * entry going first. A key withdrawn from the gateway's JWKS stops new tokens at once; tokens already verified with it
 * run out within their minute.
 */
export function gatewayTokenVerifier(
  keys: JWTVerifyGetKey,
  subgraph: string,
  opts: { maxEntries?: number; now?: () => number } = {},
): { verify: (header: string | undefined) => Promise<Viewer>; size: () => number } {
  const maxEntries = opts.maxEntries ?? GATEWAY_TOKEN_CACHE_SIZE;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { viewer: Viewer; validUntilMs: number }>();
  return {
    size: () => cache.size,
    async verify(header) {
      const token = bearer(header);
      const hit = cache.get(token);
      if (hit) {
        if (now() < hit.validUntilMs) return hit.viewer;
        cache.delete(token);
      }
      const verified = await verifyGatewayTokenClaims(token, keys, subgraph);
      if (cache.size >= maxEntries) {
        for (const [key, entry] of cache) if (entry.validUntilMs <= now()) cache.delete(key);
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
      }
      cache.set(token, verified);
      return verified.viewer;
    },
  };
}

// ---- keys ------------------------------------------------------------------------------------------------

export interface KeyFiles {
  /** JWKS the gateway verifies client tokens with. */
  clientJwks: string;
  /** Private key `npm run token` signs development tokens with (development only). */
  clientPrivate: string;
  /** The gateway's private signing key for subgraph tokens. */
  gatewayPrivate: string;
  /** The gateway's public JWKS, which every subgraph verifies with. */
  gatewayJwks: string;
  /** The case registry's private key for carrier grants (ADR 14). */
  registryPrivate: string;
  /** The registry's public JWKS, which property-control verifies carrier grants with. */
  registryJwks: string;
}

export function devKeyFiles(dataDir: string): KeyFiles {
  const dir = path.join(dataDir, 'keys');
  return {
    clientJwks: path.join(dir, 'dev-client-jwks.json'),
    clientPrivate: path.join(dir, 'dev-client-private.jwk.json'),
    gatewayPrivate: path.join(dir, 'gateway-private.jwk.json'),
    gatewayJwks: path.join(dir, 'gateway-jwks.json'),
    registryPrivate: path.join(dir, 'registry-private.jwk.json'),
    registryJwks: path.join(dir, 'registry-jwks.json'),
  };
}

async function writeKeyPair(privateFile: string, jwksFile: string, kid: string, alg: SigningAlgorithm): Promise<void> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  mkdirSync(path.dirname(privateFile), { recursive: true });
  writeFileSync(privateFile, JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg }, null, 2), { mode: 0o600 });
  writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }] }, null, 2));
}

/** Writes an ES256 key pair unless both files are there already (the registry's carrier-grant key, lib/carrierGrant.ts). */
export async function writeKeyPairIfMissing(privateFile: string, jwksFile: string, kid: string): Promise<void> {
  if (!existsSync(privateFile) || !existsSync(jwksFile)) await writeKeyPair(privateFile, jwksFile, kid, 'ES256');
}

/** Creates the development client key pair and the gateway key pair where missing (`npm start` in development). */
export async function ensureDevKeys(files: KeyFiles): Promise<void> {
  if (!existsSync(files.clientPrivate) || !existsSync(files.clientJwks))
    await writeKeyPair(files.clientPrivate, files.clientJwks, `dev-${Date.now().toString(36)}`, 'ES256');
  await ensureGatewayKey(files);
}

export async function ensureGatewayKey(files: Pick<KeyFiles, 'gatewayPrivate' | 'gatewayJwks'>): Promise<void> {
  if (!existsSync(files.gatewayPrivate) || !existsSync(files.gatewayJwks))
    await writeKeyPair(files.gatewayPrivate, files.gatewayJwks, `gw-${Date.now().toString(36)}`, 'ES256');
}

export function readJwks(file: string): JWTVerifyGetKey {
  const jwks = JSON.parse(readFileSync(file, 'utf8')) as { keys: JWK[] };
  return createLocalJWKSet(jwks);
}

export function remoteJwks(url: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(url), { timeoutDuration: 5000, cooldownDuration: 30_000 });
}

export async function readPrivateKey(file: string): Promise<{ key: CryptoKey; kid: string; alg: string }> {
  const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK & { kid: string; alg: string };
  return { key: (await importJWK(jwk, jwk.alg)) as CryptoKey, kid: jwk.kid, alg: jwk.alg };
}

/** Mints a client token (development: `npm run token`; tests). */
export async function mintClientToken(
  signer: { key: CryptoKey; kid: string; alg: string },
  claims: { sub: string; court: string; role: string },
  opts: { issuer: string; audience: string; expiresInSeconds?: number; notBefore?: number },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ court: claims.court, role: claims.role })
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(opts.issuer)
    .setAudience(opts.audience)
    .setIssuedAt()
    .setExpirationTime(now + (opts.expiresInSeconds ?? 8 * 3600));
  if (opts.notBefore !== undefined) jwt.setNotBefore(opts.notBefore);
  return jwt.sign(signer.key);
}
