import { existsSync } from 'node:fs';
import { SignJWT, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { devKeyFiles, readJwks, readPrivateKey, writeKeyPairIfMissing } from './auth';

/**
 * Carrier grants (ADR 14): the case registry, which alone knows which court carries a case lineage today, signs a
 * short-lived statement "court C carries the lineage of measure M" for that court; property-control, which alone
 * writes measures, verifies it with the registry's public key and lets C renew or release M. Neither subgraph calls
 * the other: the client carries the grant from one to the other, and cannot forge or widen it.
 */
export const CARRIER_GRANT_ISSUER = 'court-graph-case-registry';
export const CARRIER_GRANT_AUDIENCE = 'property-control';
/** How long a grant is good for: long enough to fill in a renewal, short enough that a later move soon overrides it. */
export const CARRIER_GRANT_SECONDS = 600;
const ALG = 'ES256';

/** The registry's grant key pair: its private key signs (registry only), its public JWKS verifies (property-control). */
export interface CarrierGrantKeys {
  privateFile: string;
  jwksFile: string;
}

/** The grant keys a graph on DATA_DIR uses: REGISTRY_KEY_FILE / REGISTRY_JWKS_FILE, else DATA_DIR/keys/registry-*.json. */
export function carrierGrantKeysOf(config: { dataDir: string; REGISTRY_KEY_FILE?: string; REGISTRY_JWKS_FILE?: string }): CarrierGrantKeys {
  const dev = devKeyFiles(config.dataDir);
  return { privateFile: config.REGISTRY_KEY_FILE ?? dev.registryPrivate, jwksFile: config.REGISTRY_JWKS_FILE ?? dev.registryJwks };
}

/** Creates the registry's grant key pair where missing, before any subgraph that signs or verifies starts. */
export function ensureCarrierGrantKeys(keys: CarrierGrantKeys): Promise<void> {
  return writeKeyPairIfMissing(keys.privateFile, keys.jwksFile, `registry-${Date.now().toString(36)}`);
}

export interface CarrierGrant {
  measureId: string;
  /** The court carrying the measure's lineage when the grant was signed. */
  court: string;
  /** The newest case of the lineage then, which that court executes. */
  caseNumber: string;
}

/** Signs grants with the registry's key, created where missing (as the gateway's own key is). */
export class CarrierGrantSigner {
  private key: ReturnType<typeof readPrivateKey> | null = null;
  constructor(private readonly files: CarrierGrantKeys) {}

  private signingKey() {
    this.key ??= (async () => {
      await ensureCarrierGrantKeys(this.files);
      return readPrivateKey(this.files.privateFile);
    })();
    return this.key;
  }

  async sign(grant: CarrierGrant): Promise<string> {
    const { key, kid } = await this.signingKey();
    return new SignJWT({ court: grant.court, case: grant.caseNumber })
      .setProtectedHeader({ alg: ALG, kid })
      .setSubject(grant.measureId)
      .setIssuer(CARRIER_GRANT_ISSUER)
      .setAudience(CARRIER_GRANT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + CARRIER_GRANT_SECONDS)
      .sign(key);
  }
}

/** Verifies grants with the registry's public JWKS (read once it exists). */
export class CarrierGrantVerifier {
  private keys: JWTVerifyGetKey | null = null;
  constructor(private readonly files: Pick<CarrierGrantKeys, 'jwksFile'>) {}

  /** The grant, or a reason in words why it does not hold (bad signature, expired, not the registry's). */
  async verify(token: string): Promise<CarrierGrant | { refused: string }> {
    if (!this.keys) {
      if (!existsSync(this.files.jwksFile)) return { refused: "property-control has no copy of the registry's grant key" };
      this.keys = readJwks(this.files.jwksFile);
    }
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        algorithms: [ALG],
        issuer: CARRIER_GRANT_ISSUER,
        audience: CARRIER_GRANT_AUDIENCE,
        requiredClaims: ['exp', 'sub'],
        maxTokenAge: CARRIER_GRANT_SECONDS + 5,
      });
      if (typeof payload.court !== 'string' || typeof payload.case !== 'string') return { refused: 'the grant names no court' };
      return { measureId: payload.sub!, court: payload.court, caseNumber: payload.case };
    } catch (err) {
      const code = (err as { code?: string }).code;
      return { refused: code === 'ERR_JWT_EXPIRED' ? 'the grant has expired; read a new one' : 'the grant is not one the registry signed' };
    }
  }
}
