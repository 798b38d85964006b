import { toIsoDate } from '../domain/dates';
import type { Config } from '../lib/config';
import { generateProvince, isSeeded } from '../seed/province';
import { createProgressBar } from '../seed/progressBar';

/** Seeds the embedded default province into DATA_DIR unless its databases are already there. */
export async function ensureSeeded(config: Pick<Config, 'dataDir' | 'SEED_CASES' | 'SEED' | 'AS_OF_DATE'>): Promise<void> {
  if (isSeeded(config.dataDir)) return;
  console.log(`first run: seeding a province of ${config.SEED_CASES} cases into ${config.dataDir}`);
  const asOf = config.AS_OF_DATE ?? toIsoDate(new Date());
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
