import { SignJWT } from 'jose';
import {
  GATEWAY_ISSUER,
  PROVINCE_VIEWER,
  SubgraphTokenSigner,
  devKeyFiles,
  ensureDevKeys,
  ensureGatewayKey,
  readJwks,
  readPrivateKey,
  remoteJwks,
  type ClientAuthSettings,
} from '../lib/auth';
import type { Config } from '../lib/config';
import type { OperationLimits } from './limits';
import { TrustedDocuments } from './trustedDocuments';
import type { JWTVerifyGetKey } from 'jose';

export type SecuritySettings = Pick<
  Config,
  | 'dataDir'
  | 'production'
  | 'AUTH_JWKS_FILE'
  | 'AUTH_JWKS_URL'
  | 'AUTH_ISSUER'
  | 'AUTH_AUDIENCE'
  | 'AUTH_ALGORITHM'
  | 'AUTH_MAX_TOKEN_HOURS'
  | 'GATEWAY_KEY_FILE'
  | 'GATEWAY_JWKS_FILE'
  | 'TRUSTED_DOCUMENTS'
  | 'MAX_DEPTH'
  | 'MAX_ALIASES'
  | 'MAX_DIRECTIVES'
  | 'MAX_TOKENS'
  | 'MAX_COST'
  | 'MAX_LIST_SIZE'
  | 'MAX_BODY_BYTES'
  | 'MAX_CONCURRENT_PER_VIEWER'
  | 'RATE_PER_VIEWER_PER_MINUTE'
  | 'VIEWER_COST_PER_MINUTE'
  | 'HEAVY_REQUEST_COST'
>;

/** Audience of the gateway's own service tokens (the assessment-index pass). */
const SERVICE_AUDIENCE = 'court-graph-service';

export interface Security {
  client: ClientAuthSettings;
  service: ClientAuthSettings;
  signer: SubgraphTokenSigner;
  gatewayKeys: JWTVerifyGetKey;
  /** A short-lived high-court token the product's own passes use against the gateway. */
  serviceToken: () => Promise<string>;
  limits: OperationLimits;
  maxBodyBytes: number;
  trustedDocuments: TrustedDocuments | null;
  production: boolean;
}

/**
 * Keys and limits for a graph. In development the client key pair (`npm run token` signs with it) and the gateway
 * key pair are created in DATA_DIR/keys when missing; production verifies clients against the configured JWKS.
 */
export async function loadSecurity(s: SecuritySettings): Promise<Security> {
  const dev = devKeyFiles(s.dataDir);
  const gatewayFiles = { gatewayPrivate: s.GATEWAY_KEY_FILE ?? dev.gatewayPrivate, gatewayJwks: s.GATEWAY_JWKS_FILE ?? dev.gatewayJwks };
  await ensureGatewayKey(gatewayFiles);
  let clientKeys: JWTVerifyGetKey;
  if (s.AUTH_JWKS_URL) clientKeys = remoteJwks(s.AUTH_JWKS_URL);
  else if (s.AUTH_JWKS_FILE) clientKeys = readJwks(s.AUTH_JWKS_FILE);
  else {
    if (s.production) throw new Error('production needs AUTH_JWKS_FILE or AUTH_JWKS_URL');
    await ensureDevKeys(dev);
    clientKeys = readJwks(dev.clientJwks);
  }
  const gatewayKey = await readPrivateKey(gatewayFiles.gatewayPrivate);
  const gatewayKeys = readJwks(gatewayFiles.gatewayJwks);
  return {
    client: {
      keys: clientKeys,
      algorithm: s.AUTH_ALGORITHM,
      issuer: s.AUTH_ISSUER,
      audience: s.AUTH_AUDIENCE,
      maxLifetimeSeconds: s.AUTH_MAX_TOKEN_HOURS * 3600,
    },
    service: { keys: gatewayKeys, algorithm: 'ES256', issuer: GATEWAY_ISSUER, audience: SERVICE_AUDIENCE },
    signer: new SubgraphTokenSigner(gatewayKey.key, gatewayKey.kid),
    gatewayKeys,
    serviceToken: () =>
      new SignJWT({ court: PROVINCE_VIEWER.court, role: PROVINCE_VIEWER.role })
        .setProtectedHeader({ alg: 'ES256', kid: gatewayKey.kid })
        .setSubject(PROVINCE_VIEWER.sub)
        .setIssuer(GATEWAY_ISSUER)
        .setAudience(SERVICE_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('2h')
        .sign(gatewayKey.key),
    limits: operationLimitsOf(s),
    maxBodyBytes: s.MAX_BODY_BYTES,
    trustedDocuments: s.TRUSTED_DOCUMENTS ? TrustedDocuments.fromFile(s.TRUSTED_DOCUMENTS) : null,
    production: s.production,
  };
}

/** The operation limits and viewer budgets the settings name (the README's Security defaults when unset). */
export function operationLimitsOf(
  s: Pick<
    SecuritySettings,
    | 'MAX_DEPTH'
    | 'MAX_ALIASES'
    | 'MAX_DIRECTIVES'
    | 'MAX_TOKENS'
    | 'MAX_COST'
    | 'MAX_LIST_SIZE'
    | 'MAX_CONCURRENT_PER_VIEWER'
    | 'RATE_PER_VIEWER_PER_MINUTE'
    | 'VIEWER_COST_PER_MINUTE'
    | 'HEAVY_REQUEST_COST'
  >,
): OperationLimits {
  return {
    maxDepth: s.MAX_DEPTH,
    maxAliases: s.MAX_ALIASES,
    maxDirectives: s.MAX_DIRECTIVES,
    maxTokens: s.MAX_TOKENS,
    maxCost: s.MAX_COST,
    maxListSize: s.MAX_LIST_SIZE,
    viewerBudget: {
      maxConcurrent: s.MAX_CONCURRENT_PER_VIEWER,
      requestsPerMinute: s.RATE_PER_VIEWER_PER_MINUTE,
      costPerMinute: s.VIEWER_COST_PER_MINUTE,
      heavyRequestCost: s.HEAVY_REQUEST_COST,
    },
  };
}
