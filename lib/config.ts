import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isIsoDate } from '../domain/dates';
import { SIGNING_ALGORITHMS } from './auth';
import { LOG_LEVELS } from './log';

const url = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
  .optional();
const port = z.coerce.number().int().min(0).max(65535);
const positive = z.coerce.number().int().min(1);

/** The product's composed supergraph, checked in; `npm run compose` writes it. */
export const DEFAULT_SUPERGRAPH_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'supergraph.graphql');

/**
 * Every setting, read and validated once at start-up. A bad value stops the process with a message naming
 * the variable. The README's settings table documents each one.
 */
const schema = z.object({
  PORT: port.default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  /** The supergraph the gateway serves; its `join__graph` entries list the subgraphs and their URLs. */
  SUPERGRAPH_PATH: z
    .string()
    .min(1)
    .default(DEFAULT_SUPERGRAPH_PATH)
    .transform((p) => path.resolve(p))
    .refine((p) => existsSync(p) && statSync(p).isFile(), 'no supergraph file at this path'),
  CASE_REGISTRY_URL: url,
  PROPERTY_CONTROL_URL: url,
  PERSONNEL_URL: url,
  COORDINATION_URL: url,
  SEED_CASES: z.coerce.number().int().min(100).max(50_000_000).default(20_000),
  SEED: z.coerce.number().int().min(0).default(1),
  AS_OF_DATE: z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD').optional(),
  /** `production` turns off introspection and field suggestions, requires configured keys, allows trusted documents. */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  AUTH_JWKS_FILE: z.string().min(1).optional(),
  AUTH_JWKS_URL: url,
  AUTH_ISSUER: z.string().min(1).default('court-graph-dev'),
  AUTH_AUDIENCE: z.string().min(1).default('court-enforcement-graph'),
  AUTH_ALGORITHM: z.enum(SIGNING_ALGORITHMS).default('ES256'),
  GATEWAY_KEY_FILE: z.string().min(1).optional(),
  GATEWAY_JWKS_FILE: z.string().min(1).optional(),
  TRUSTED_DOCUMENTS: z.string().min(1).optional(),
  MAX_DEPTH: positive.default(6),
  MAX_ALIASES: positive.default(15),
  MAX_DIRECTIVES: positive.default(50),
  MAX_TOKENS: positive.default(1000),
  MAX_COST: positive.default(400_000),
  MAX_LIST_SIZE: positive.default(100),
  MAX_BODY_BYTES: positive.default(100_000),
  SUBGRAPH_TIMEOUT_MS: positive.default(5000),
  /** A mutation's subgraph time-out: longer than the store's lock wait, so a busy store refuses before the gateway gives up. */
  SUBGRAPH_MUTATION_TIMEOUT_MS: positive.default(20_000),
  MAX_CONCURRENT_PER_VIEWER: positive.default(8),
  RATE_PER_VIEWER_PER_MINUTE: positive.default(600),
  VIEWER_COST_PER_MINUTE: positive.default(2_000_000),
  HEAVY_REQUEST_COST: positive.default(40_000),
  BREAKER_FAILURES: positive.default(5),
  BREAKER_COOLDOWN_MS: positive.default(10_000),
  SHUTDOWN_GRACE_MS: positive.default(10_000),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});

export type Config = z.infer<typeof schema> & { dataDir: string; production: boolean };

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    // One line per bad setting, each naming its variable.
    const lines = result.error.issues.map(
      (i) => `invalid configuration: ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`,
    );
    throw new ConfigError(lines.join('\n'));
  }
  const production = result.data.NODE_ENV === 'production';
  if (production && !result.data.AUTH_JWKS_FILE && !result.data.AUTH_JWKS_URL) {
    throw new ConfigError(
      "invalid configuration: AUTH_JWKS_FILE or AUTH_JWKS_URL: production verifies client tokens against the court identity provider's keys; set one",
    );
  }
  return { ...result.data, dataDir: path.resolve(result.data.DATA_DIR), production };
}

/** Loads the configuration or exits with status 2 and the reason. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
