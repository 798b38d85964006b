import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isIsoDate } from '../domain/dates';
import { DEFAULT_MAX_TOKEN_HOURS, SIGNING_ALGORITHMS } from './auth';
import type { DatabaseSettings } from './database';
import { LOG_LEVELS } from './log';

/** The runtimes a subgraph module is served by (SUBGRAPH_RUNTIME, lib/subgraphRuntime.ts). */
export const SUBGRAPH_RUNTIMES = ['apollo', 'mercurius'] as const;
export type SubgraphRuntime = (typeof SUBGRAPH_RUNTIMES)[number];

const url = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
  .optional();
/** A system's PostgreSQL database, `postgres://user:password@host:port/database` (unset: its SQLite file in DATA_DIR). */
const databaseUrl = z
  .string()
  .refine((u) => /^postgres(ql)?:\/\/[^/]/.test(u), 'must be a postgres:// URL')
  .optional();
const port = z.coerce.number().int().min(0).max(65535);

/** The rules a `<NAME>_URL` list is held to, each named by its id in the refusal (ADR 24). */
export const REPLICA_URL_RULES = {
  REPLICA_URL: 'each comma-separated entry is one replica of the subgraph: an http(s) URL such as http://10.20.0.11:4001/graphql',
  REPLICA_URL_EMPTY: 'no empty entry: no doubled, leading or trailing comma',
  REPLICA_URL_REPEATED: 'no URL twice (a replica listed twice would take twice its share)',
} as const;

/** One URL, or several comma-separated: the replicas of one subgraph, in the order given. */
export function replicaUrls(list: string | readonly string[]): string[] {
  return (typeof list === 'string' ? list.split(',') : [...list]).map((u) => u.trim()).filter(Boolean);
}

/**
 * A subgraph's `<NAME>_URL`: one URL, or a comma-separated list of its replicas' URLs, which the gateway spreads its
 * calls over (gateway/replicas.ts). Kept as the list's text, normalised (`a,b`): `replicaUrls` splits it where it is used.
 */
const replicaList = z
  .string()
  .transform((text, ctx) => {
    const entries = text.split(',').map((u) => u.trim());
    const refuse = (rule: keyof typeof REPLICA_URL_RULES, what: string) => {
      ctx.addIssue({ code: 'custom', message: `${what} (rule ${rule}: ${REPLICA_URL_RULES[rule]})` });
      return z.NEVER;
    };
    for (const [i, entry] of entries.entries()) {
      const which = `entry ${i + 1}${entry ? ` ${JSON.stringify(entry)}` : ''}`;
      if (!entry) return refuse('REPLICA_URL_EMPTY', `${which} is empty`);
      if (!URL.canParse(entry) || !/^https?:$/.test(new URL(entry).protocol))
        return refuse('REPLICA_URL', `${which} is not an http(s) URL`);
      const first = entries.indexOf(entry);
      if (first !== i) return refuse('REPLICA_URL_REPEATED', `${which} repeats entry ${first + 1}`);
    }
    return entries.join(',');
  })
  .optional();
const positive = z.coerce.number().int().min(1);

/** A comma-separated list of exact web origins (`https://portal.court.example:8443`), each as a browser sends it. */
const origins = z
  .string()
  .default('')
  .transform((list) =>
    list
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .refine(
    (list) =>
      list.every((o) => {
        try {
          return /^https?:$/.test(new URL(o).protocol) && new URL(o).origin === o;
        } catch {
          return false;
        }
      }),
    'each entry is an exact origin: scheme://host[:port], no path, no trailing slash, no wildcard',
  );

/**
 * Pinned ports for the subgraphs `npm start` hosts, as `case-registry=4101,property-control=4102`; a subgraph not
 * named listens on a free port.
 */
const subgraphPorts = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const ports: Record<string, number> = {};
    for (const entry of text
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const m = /^([a-z][a-z0-9-]*)=(\d{1,5})$/.exec(entry);
      const port = Number(m?.[2]);
      if (!m || port < 1 || port > 65535) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not <subgraph>=<port> with a port from 1 to 65535` });
        return z.NEVER;
      }
      if (m[1]! in ports || Object.values(ports).includes(port)) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" repeats a subgraph or a port` });
        return z.NEVER;
      }
      ports[m[1]!] = port;
    }
    return ports;
  });

/** The product's composed supergraph, checked in; `npm run compose` writes it. */
export const DEFAULT_SUPERGRAPH_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'supergraph.graphql');

/**
 * Every setting, read and validated once at start-up. A bad value stops the process with a message naming
 * the variable. The README's settings table documents each one.
 */
const schema = z.object({
  PORT: port.default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data').refine(isDirectoryOrCreatable, 'is not a directory (a file, or under one)'),
  /** Where `/health/*` and `/metrics` are served instead of PORT, for the monitoring network; unset = on PORT. */
  MONITORING_PORT: port.optional(),
  MONITORING_HOST: z.string().min(1).optional(),
  SUBGRAPH_PORTS: subgraphPorts,
  /** The supergraph the gateway serves; its `join__graph` entries list the subgraphs and their URLs. */
  SUPERGRAPH_PATH: z
    .string()
    .min(1)
    .default(DEFAULT_SUPERGRAPH_PATH)
    .transform((p) => path.resolve(p))
    .refine((p) => existsSync(p) && statSync(p).isFile(), 'no supergraph file at this path'),
  CASE_REGISTRY_URL: replicaList,
  PROPERTY_CONTROL_URL: replicaList,
  PERSONNEL_URL: replicaList,
  COORDINATION_URL: replicaList,
  // new-subgraph: URL settings above this line (one per catalogued subgraph, subgraphs/catalogue.ts)
  /** Each system's store on PostgreSQL (lib/database.ts); unset, the system's SQLite file in DATA_DIR. */
  CASE_REGISTRY_DATABASE_URL: databaseUrl,
  PROPERTY_CONTROL_DATABASE_URL: databaseUrl,
  PERSONNEL_DATABASE_URL: databaseUrl,
  COORDINATION_DATABASE_URL: databaseUrl,
  /** Connections each process keeps to one system's PostgreSQL database at most (its pool). */
  DATABASE_POOL_MAX: positive.max(1000).default(10),
  /** The longest one PostgreSQL statement may run before the server cancels it (statement_timeout), in ms. */
  DATABASE_STATEMENT_TIMEOUT_MS: positive.default(10_000),
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
  /** The longest a client token may be valid (`exp - iat`, and `exp - now`), in hours; `npm run token` keeps to it. */
  AUTH_MAX_TOKEN_HOURS: z.coerce.number().positive().max(720).default(DEFAULT_MAX_TOKEN_HOURS),
  GATEWAY_KEY_FILE: z.string().min(1).optional(),
  GATEWAY_JWKS_FILE: z.string().min(1).optional(),
  REGISTRY_KEY_FILE: z.string().min(1).optional(),
  REGISTRY_JWKS_FILE: z.string().min(1).optional(),
  TRUSTED_DOCUMENTS: z.string().min(1).optional(),
  /** Web origins a browser may call the gateway from (CORS); none by default. */
  CORS_ORIGINS: origins,
  /** The explorer page at `/explorer/` (gateway/explorer.ts): unset, on except in production; `on` or `off` decides. */
  EXPLORER: z.enum(['on', 'off']).optional(),
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
  /** How often `npm start` refreshes the assessment index rows of debtors that writes changed (ADR 14); 0 turns it off. */
  ASSESS_REFRESH_MS: z.coerce.number().int().min(0).default(5000),
  /** How long a write waits for a system database's lock before it is refused with SOURCE_BUSY (SQLite busy_timeout). */
  STORE_BUSY_TIMEOUT_MS: positive.default(5000),
  /** Which runtime serves the subgraphs this process hosts: Mercurius on Fastify (default, ADR 27), or Apollo Server on Express. */
  SUBGRAPH_RUNTIME: z.enum(SUBGRAPH_RUNTIMES).default('mercurius'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Distinct debtor identifiers a court viewer (sub + court) may look up per minute, per registry process. */
  IDENTIFIER_LOOKUPS_PER_MINUTE: positive.default(600),
});

/** Whether the gateway serves its explorer: as EXPLORER says, else everywhere but production. */
export function explorerOn(c: Pick<Config, 'EXPLORER' | 'production'>): boolean {
  return c.EXPLORER === undefined ? !c.production : c.EXPLORER === 'on';
}

/** One setting of the registry's, read on its own (the subgraph may run without the gateway's settings). */
export function identifierLookupsPerMinute(env: NodeJS.ProcessEnv = process.env): number {
  const parsed = schema.shape.IDENTIFIER_LOOKUPS_PER_MINUTE.safeParse(env.IDENTIFIER_LOOKUPS_PER_MINUTE);
  if (!parsed.success) {
    throw new ConfigError(
      `invalid configuration: IDENTIFIER_LOOKUPS_PER_MINUTE: a positive integer (got ${JSON.stringify(env.IDENTIFIER_LOOKUPS_PER_MINUTE)})`,
    );
  }
  return parsed.data;
}

/** The setting naming each system's PostgreSQL database. */
export const DATABASE_URL_SETTINGS = {
  'case-registry': 'CASE_REGISTRY_DATABASE_URL',
  'property-control': 'PROPERTY_CONTROL_DATABASE_URL',
  personnel: 'PERSONNEL_DATABASE_URL',
  coordination: 'COORDINATION_DATABASE_URL',
} as const;

/** The store settings of every system, as the openers take them (lib/database.ts DatabaseSettings). */
export function databaseSettingsOf(
  c: Pick<
    Config,
    (typeof DATABASE_URL_SETTINGS)[keyof typeof DATABASE_URL_SETTINGS] | 'DATABASE_POOL_MAX' | 'DATABASE_STATEMENT_TIMEOUT_MS'
  >,
): DatabaseSettings {
  return {
    urls: Object.fromEntries(Object.entries(DATABASE_URL_SETTINGS).map(([system, setting]) => [system, c[setting]])),
    poolMax: c.DATABASE_POOL_MAX,
    statementTimeoutMs: c.DATABASE_STATEMENT_TIMEOUT_MS,
  };
}

/** Every setting's name, for tools that check a settings file (deploy/systemd/*.env.example). */
export const SETTING_NAMES: readonly string[] = Object.keys(schema.shape);

export type Config = z.infer<typeof schema> & { dataDir: string; production: boolean };

export class ConfigError extends Error {}

/** DATA_DIR is a directory, or can become one: the nearest part of it that exists is a directory. */
function isDirectoryOrCreatable(dir: string): boolean {
  let at = path.resolve(dir);
  while (!existsSync(at)) {
    const up = path.dirname(at);
    if (up === at) return true;
    at = up;
  }
  return statSync(at).isDirectory();
}

/** The ports one process listens on must differ (0, a free port, always does). */
function portClash(c: z.infer<typeof schema>): string | null {
  const taken = new Map<number, string>();
  const claims: [string, number | undefined][] = [
    ['PORT', c.PORT],
    ['MONITORING_PORT', c.MONITORING_PORT],
    ...Object.entries(c.SUBGRAPH_PORTS).map(([name, p]): [string, number] => [`SUBGRAPH_PORTS (${name})`, p]),
  ];
  for (const [setting, p] of claims) {
    if (!p) continue;
    const other = taken.get(p);
    if (other) return `invalid configuration: ${setting}: port ${p} is already ${other}'s`;
    taken.set(p, setting);
  }
  return null;
}

/**
 * A server that could not listen, as one line naming the setting that chose its address: the port in use or not
 * permitted, the host not an address of this machine. Any other error is returned as it is.
 */
export function listenFailure(err: unknown, settings: { port: string; host: string }): unknown {
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string };
  if (e?.code === 'EADDRINUSE')
    return new ConfigError(`${settings.port}: port ${e.port} on ${e.address} is already in use; choose a free port`);
  if (e?.code === 'EACCES')
    return new ConfigError(`${settings.port}: not permitted to listen on port ${e.port} of ${e.address}; choose a port above 1023`);
  if (e?.code === 'EADDRNOTAVAIL' || e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN')
    return new ConfigError(`${settings.host}: ${e.address ?? e.hostname ?? 'the host'} is not an address of this machine (${e.code})`);
  return err;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    // One line per bad setting, each naming its variable.
    const lines = result.error.issues.map(
      (i) => `invalid configuration: ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`,
    );
    throw new ConfigError(lines.join('\n'));
  }
  const clash = portClash(result.data);
  if (clash) throw new ConfigError(clash);
  // A busy store must refuse (and audit) the write before the gateway gives up on it (issue 13 item 2). In a split
  // deployment each process sees only its own value; operators keep them in step (README, Settings).
  if (result.data.SUBGRAPH_MUTATION_TIMEOUT_MS <= result.data.STORE_BUSY_TIMEOUT_MS) {
    throw new ConfigError(
      `invalid configuration: SUBGRAPH_MUTATION_TIMEOUT_MS: must be longer than STORE_BUSY_TIMEOUT_MS (${result.data.STORE_BUSY_TIMEOUT_MS} ms), so a write the store is still waiting on is never reported as timed out (got ${result.data.SUBGRAPH_MUTATION_TIMEOUT_MS})`,
    );
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
