import { RULES_CONFIG } from '../../domain/rules/config';
import { postgresSettingsFor, type DatabaseSettings } from '../../lib/database';
import { COORDINATION_DB, databaseFile } from '../../lib/dataFiles';
import type { AssessmentIndexStore } from '../../subgraphs/coordination/sources/source';
import { openCoordinationSqlite } from '../../subgraphs/coordination/sources/sqlite';
import { copyRoster } from '../roster';
import { buildAssessmentIndex } from './buildIndex';

/**
 * The coordination subgraph's read models, opened for the pass to write: in its PostgreSQL database when
 * COORDINATION_DATABASE_URL names one (migrated when the subgraph starts), else in the data directory's file.
 */
export function openAssessmentStore(dataDir: string, databases?: DatabaseSettings): AssessmentIndexStore {
  return openCoordinationSqlite(databaseFile(dataDir, COORDINATION_DB), { postgres: postgresSettingsFor(databases, COORDINATION_DB) });
}

/** Rebuilds the coordination subgraph's court-load snapshot and assessment index in `dataDir` through a running gateway. */
export async function assessProvince(
  gatewayUrl: string,
  token: string,
  dataDir: string,
  today: string,
  opts: { unlessCurrent?: boolean; databases?: DatabaseSettings } = {},
): Promise<void> {
  // The registry's copy of the roster (ADR 14) is refreshed by the same out-of-band pass.
  await copyRoster(gatewayUrl, token, dataDir, opts.databases).then(
    (r) => console.log(`roster copied: ${r.officers} officers of ${r.courts} courts`),
    (err: unknown) => console.error(`roster not copied: ${err instanceof Error ? err.message : String(err)}`),
  );
  const index = openAssessmentStore(dataDir, opts.databases);
  const started = Date.now();
  try {
    // npm start keeps an index already judged today under the same rules: the pass takes minutes on a large
    // province. Seeding removes the read models, so new data always gets a new pass.
    const meta = opts.unlessCurrent ? await index.meta() : null;
    if (meta && meta.assessedOn === today && meta.configVersion === RULES_CONFIG.version && (await index.courtLoads())) {
      console.log(`assessment index is current (built ${meta.builtAt}); npm run assess rebuilds it`);
      return;
    }
    const result = await buildAssessmentIndex({
      gatewayUrl,
      token,
      index,
      today,
      // Redrawn in place on a terminal; in a log, one line per 50,000 debtors.
      onProgress: (scanned, candidates) => {
        if (process.stderr.isTTY) process.stderr.write(`\rassessing: ${scanned} debtors scanned, ${candidates} candidates`);
        else if (scanned % 50_000 < 2000) process.stderr.write(`assessing: ${scanned} debtors scanned, ${candidates} candidates\n`);
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    console.log(
      `assessment index built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.candidates} of ${result.debtorsScanned} debtors meet at least one rule`,
    );
  } finally {
    await index.close();
  }
}
