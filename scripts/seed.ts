import path from 'node:path';
import { parseArgs } from 'node:util';
import { isIsoDate, toIsoDate } from '../domain/dates';
import { databaseSettingsOf, loadConfigOrExit } from '../lib/config';
import { postgresSettingsFor, type PostgresSettings } from '../lib/database';
import { BulkLoadRefused } from '../lib/postgresBulk';
import { SeedRefused } from '../seed/dataDir';
import { assertPostgresTargetsEmpty, loadProvinceIntoPostgres } from '../seed/postgres';
import { generateProvince } from '../seed/province';
import { createProgressBar } from '../seed/progressBar';

const USAGE = 'usage: npm run seed -- [--cases N] [--seed S] [--as-of YYYY-MM-DD] [--data-dir DIR] [--force]';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      cases: { type: 'string' },
      seed: { type: 'string' },
      'as-of': { type: 'string' },
      'data-dir': { type: 'string' },
      force: { type: 'boolean' },
    },
    strict: true,
  }));
} catch (err) {
  fail((err as Error).message);
}

const integer = (flag: string, raw: string | undefined, fallback: number, min: number, max: number): number => {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) fail(`--${flag} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) fail(`--${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
};

const text = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);
const cases = integer('cases', text(values.cases), 20_000, 100, 50_000_000);
const seed = integer('seed', text(values.seed), 1, 0, 2 ** 32 - 1);
const asOf = text(values['as-of']) ?? toIsoDate(new Date());
if (!isIsoDate(asOf)) fail(`--as-of must be a date YYYY-MM-DD, got "${asOf}"`);
const dataDir = path.resolve(text(values['data-dir']) ?? process.env.DATA_DIR ?? './data');
const force = values.force === true;
// The synthetic province is for development and tests; a production data directory holds the courts' records.
if (process.env.NODE_ENV === 'production') fail('NODE_ENV=production never seeds: the seeder writes a synthetic province');

// Systems given a <SYSTEM>_DATABASE_URL are loaded into PostgreSQL from the generated files (seed/postgres.ts).
const databases = databaseSettingsOf(loadConfigOrExit({ ...process.env, DATA_DIR: dataDir }));
const targets: Record<string, PostgresSettings> = {};
for (const system of ['case-registry', 'property-control', 'personnel', 'coordination']) {
  const settings = postgresSettingsFor(databases, system);
  if (settings) targets[system] = settings;
}
const onPostgres = Object.keys(targets);
console.log(
  `seeding ${cases} cases (seed ${seed}, as of ${asOf}) into ${dataDir}` +
    (onPostgres.length ? `, then COPY into PostgreSQL for ${onPostgres.join(', ')}` : ''),
);
const bar = createProgressBar();
let summary;
let copyMs = 0;
try {
  // A database holding rows is refused before anything is generated (the data directory is left as it was).
  if (onPostgres.length && !force) await assertPostgresTargetsEmpty(targets);
  summary = await generateProvince({ dataDir, cases, seed, asOf, onProgress: bar.update, force });
  if (onPostgres.length) {
    const started = performance.now();
    await loadProvinceIntoPostgres(dataDir, targets, { force, onProgress: bar.update });
    copyMs = performance.now() - started;
  }
} catch (err) {
  if (err instanceof SeedRefused || err instanceof BulkLoadRefused) fail(err.message);
  throw err;
} finally {
  bar.done();
}
console.log(
  `done in ${((summary.elapsedMs + copyMs) / 1000).toFixed(1)} s${onPostgres.length ? ` (PostgreSQL COPY ${(copyMs / 1000).toFixed(1)} s)` : ''}: ${summary.courts} courts, ${summary.officers} officers, ${summary.cases} cases, ` +
    `${summary.persons} identified parties, ${summary.properties} properties, ${summary.measures} control measures`,
);
