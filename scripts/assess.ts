import { parseArgs } from 'node:util';
import { toIsoDate } from '../domain/dates';
import { RULES_CONFIG } from '../domain/rules/config';
import { loadConfigOrExit } from '../lib/config';
import { COORDINATION_DB, databaseFile } from '../lib/dataFiles';
import { startGraph } from './graph';
import { loadSecurity } from '../gateway/security';
import { buildAssessmentIndex } from '../subgraphs/coordination/buildIndex';
import { openAssessmentIndex } from '../subgraphs/coordination/sources/assessmentIndex';

/**
 * `npm run assess [-- --gateway URL]`: rebuilds the coordination subgraph's assessment index in DATA_DIR. With
 * --gateway it reads through a running gateway; without, it starts the graph on DATA_DIR itself for the pass.
 */
export async function assessProvince(gatewayUrl: string, token: string, dataDir: string, today: string, opts: { unlessCurrent?: boolean } = {}): Promise<void> {
  const index = openAssessmentIndex(databaseFile(dataDir, COORDINATION_DB));
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
    console.log(`assessment index built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.candidates} of ${result.debtorsScanned} debtors meet at least one rule`);
  } finally {
    await index.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const config = loadConfigOrExit();
  const { values } = parseArgs({ options: { gateway: { type: 'string' } }, strict: true });
  const today = config.AS_OF_DATE ?? toIsoDate(new Date());
  if (values.gateway) {
    // Against a running gateway: a service token signed with that gateway's key (same DATA_DIR or GATEWAY_KEY_FILE).
    const security = await loadSecurity(config);
    await assessProvince(values.gateway, await security.serviceToken(), config.dataDir, today);
  } else {
    const graph = await startGraph({ ...config, PORT: 0, HOST: '127.0.0.1' });
    try {
      await assessProvince(graph.gateway.url, await graph.security.serviceToken(), config.dataDir, today);
    } finally {
      await graph.close();
    }
  }
}
