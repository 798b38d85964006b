import { existsSync } from 'node:fs';
import { toIsoDate } from '../domain/dates';
import type { Config } from '../lib/config';
import { databaseFile, SYSTEMS } from '../lib/dataFiles';
import { inspectDataDir } from '../seed/dataDir';
import type { SubgraphPlan } from './graph';

export type SeedDecision = { seed: false } | { seed: true; reason: string } | { refuse: string };

/**
 * Whether `npm start` seeds, from the subgraph plan and DATA_DIR alone. Only the databases of the systems this process
 * hosts are looked at (a subgraph reached by URL has no local file checked at all). When one of them is missing, the
 * embedded default's first run seeds a synthetic province, and only then: never with NODE_ENV=production, never when
 * one of the product's systems is reached by URL (its data is real, and a synthetic province beside it is not), and
 * never into a directory holding a database the generator did not write (seed/dataDir.ts).
 */
export function seedDecision(config: Pick<Config, 'dataDir' | 'production'>, plan: readonly SubgraphPlan[]): SeedDecision {
  const hosted = SYSTEMS.filter((s) => plan.some((p) => p.name === s && 'host' in p));
  const missing = hosted.filter((s) => !existsSync(databaseFile(config.dataDir, s)));
  if (missing.length === 0) return { seed: false };
  const files = missing.map((s) => databaseFile(config.dataDir, s)).join(', ');
  if (config.production) {
    return {
      refuse:
        `DATA_DIR: no ${files}. NODE_ENV=production never seeds: load the system's data (npm run import), ` +
        `or set its *_URL to where the system runs`,
    };
  }
  const remote = SYSTEMS.filter((s) => !hosted.includes(s));
  if (remote.length > 0) {
    return {
      refuse:
        `DATA_DIR: no ${files}. Not seeding: ${remote.join(', ')} ${remote.length > 1 ? 'are' : 'is'} reached by URL, and a ` +
        `synthetic province is seeded only for the embedded default (every system hosted here); load ${missing.join(', ')} ` +
        `(npm run import) or set ${missing.length > 1 ? 'their' : 'its'} *_URL`,
    };
  }
  const state = inspectDataDir(config.dataDir);
  if (state.kind === 'foreign') {
    return {
      refuse:
        `DATA_DIR: no ${files}, and not seeding ${config.dataDir}: it holds ${state.files.join(', ')}, which the generator did ` +
        `not write. The seeder only creates a fresh data directory: point DATA_DIR at an empty one`,
    };
  }
  return { seed: true, reason: state.kind === 'fresh' ? 'first run' : `generated data directory missing ${missing.join(', ')}` };
}

/** Seeds the embedded default province into DATA_DIR when `seedDecision` says so; exits 2 with the reason when it refuses. */
export async function ensureSeeded(
  config: Pick<Config, 'dataDir' | 'production' | 'SEED_CASES' | 'SEED' | 'AS_OF_DATE'>,
  plan: readonly SubgraphPlan[],
): Promise<void> {
  const decision = seedDecision(config, plan);
  if ('refuse' in decision) {
    console.error(decision.refuse);
    process.exit(2);
  }
  if (!decision.seed) return;
  console.log(`${decision.reason}: seeding a province of ${config.SEED_CASES} cases into ${config.dataDir}`);
  const asOf = config.AS_OF_DATE ?? toIsoDate(new Date());
  // The generator is loaded only to seed: a start on a seeded DATA_DIR does without it (issue 18: first answer fast).
  const [{ generateProvince }, { createProgressBar }] = await Promise.all([import('../seed/province'), import('../seed/progressBar')]);
  const bar = createProgressBar();
  const summary = await generateProvince({
    dataDir: config.dataDir,
    cases: config.SEED_CASES,
    seed: config.SEED,
    asOf,
    onProgress: bar.update,
  });
  bar.done();
  console.log(
    `seeded ${summary.cases} cases, ${summary.persons} parties, ${summary.properties} properties, ${summary.measures} measures, ${summary.officers} officers in ${(summary.elapsedMs / 1000).toFixed(1)} s`,
  );
}
