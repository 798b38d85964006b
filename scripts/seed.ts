import path from 'node:path';
import { parseArgs } from 'node:util';
import { isIsoDate, toIsoDate } from '../domain/dates';
import { generateProvince } from '../seed/province';
import { createProgressBar } from '../seed/progressBar';

const USAGE = 'usage: npm run seed -- [--cases N] [--seed S] [--as-of YYYY-MM-DD] [--data-dir DIR]';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values: Record<string, string | undefined>;
try {
  ({ values } = parseArgs({
    options: { cases: { type: 'string' }, seed: { type: 'string' }, 'as-of': { type: 'string' }, 'data-dir': { type: 'string' } },
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

const cases = integer('cases', values.cases, 20_000, 100, 50_000_000);
const seed = integer('seed', values.seed, 1, 0, 2 ** 32 - 1);
const asOf = values['as-of'] ?? toIsoDate(new Date());
if (!isIsoDate(asOf)) fail(`--as-of must be a date YYYY-MM-DD, got "${asOf}"`);
const dataDir = path.resolve(values['data-dir'] ?? process.env.DATA_DIR ?? './data');

console.log(`seeding ${cases} cases (seed ${seed}, as of ${asOf}) into ${dataDir}`);
const bar = createProgressBar();
const summary = await generateProvince({ dataDir, cases, seed, asOf, onProgress: bar.update });
bar.done();
console.log(
  `done in ${(summary.elapsedMs / 1000).toFixed(1)} s: ${summary.courts} courts, ${summary.officers} officers, ${summary.cases} cases, ` +
    `${summary.persons} identified parties, ${summary.properties} properties, ${summary.measures} control measures`,
);
