import path from 'node:path';
import { parseArgs } from 'node:util';
import { isIsoDate, toIsoDate } from '../domain/dates';
import { SeedRefused } from '../seed/dataDir';
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

console.log(`seeding ${cases} cases (seed ${seed}, as of ${asOf}) into ${dataDir}`);
const bar = createProgressBar();
let summary;
try {
  summary = await generateProvince({ dataDir, cases, seed, asOf, onProgress: bar.update, force });
} catch (err) {
  if (err instanceof SeedRefused) fail(err.message);
  throw err;
} finally {
  bar.done();
}
console.log(
  `done in ${(summary.elapsedMs / 1000).toFixed(1)} s: ${summary.courts} courts, ${summary.officers} officers, ${summary.cases} cases, ` +
    `${summary.persons} identified parties, ${summary.properties} properties, ${summary.measures} control measures`,
);
