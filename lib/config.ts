import path from 'node:path';
import { z } from 'zod';
import { isIsoDate } from '../domain/dates';

const url = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
  .optional();
const port = z.coerce.number().int().min(0).max(65535);

/**
 * Every setting, read and validated once at start-up. A bad value stops the process with a message naming
 * the variable. The README's settings table documents each one.
 */
const schema = z.object({
  PORT: port.default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  CASE_REGISTRY_URL: url,
  PROPERTY_CONTROL_URL: url,
  PERSONNEL_URL: url,
  COORDINATION_URL: url,
  SEED_CASES: z.coerce.number().int().min(100).max(50_000_000).default(20_000),
  SEED: z.coerce.number().int().min(0).default(1),
  AS_OF_DATE: z
    .string()
    .refine(isIsoDate, 'must be a date YYYY-MM-DD')
    .optional(),
});

export type Config = z.infer<typeof schema> & { dataDir: string };

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...result.data, dataDir: path.resolve(result.data.DATA_DIR) };
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
