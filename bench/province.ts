import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildAssessmentIndex, openAssessmentStore } from '../jobs/assess';
import { startGraph } from '../scripts/graph';
import { measureProvince } from '../seed/calibration';
import { generateProvince } from '../seed/province';

/**
 * The generated province against its calibration targets (bench/province.md, issue 15 items 8–12).
 * Usage: npx tsx bench/province.ts [--cases N] [--seed S] [--as-of YYYY-MM-DD] [--no-assess] [--keep] [--subgraph-timeout-ms MS]
 * Seeds a fresh province into a temporary directory, builds the assessment index through the graph (as npm run assess
 * does; --no-assess skips it and the candidate figures), and prints every figure seed/calibration.ts measures; --keep
 * leaves the directory in place and names it. --subgraph-timeout-ms raises the gateway's subgraph time-out for the index
 * pass (default 60,000 here: on a loaded shared machine a 200,000-case pass overran the product's 5,000).
 */
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '1' },
    'as-of': { type: 'string', default: '2026-06-30' },
    'no-assess': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'subgraph-timeout-ms': { type: 'string', default: '60000' },
  },
});
const cases = Number(values.cases);
const seed = Number(values.seed);
const asOf = values['as-of']!;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-province-'));
try {
  const summary = await generateProvince({ dataDir, cases, seed, asOf });
  console.log(`seeded ${summary.cases} cases (seed ${seed}, as of ${asOf}) in ${(summary.elapsedMs / 1000).toFixed(1)} s`);
  if (!values['no-assess']) {
    const started = Date.now();
    const graph = await startGraph({
      PORT: 0,
      HOST: '127.0.0.1',
      dataDir,
      AS_OF_DATE: asOf,
      LOG_LEVEL: 'silent',
      SUBGRAPH_TIMEOUT_MS: Number(values['subgraph-timeout-ms']),
    });
    const index = openAssessmentStore(dataDir);
    try {
      await buildAssessmentIndex({ gatewayUrl: graph.gateway.url, token: await graph.security.serviceToken(), index, today: asOf });
    } finally {
      await index.close();
      await graph.close();
    }
    console.log(`assessment index built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  console.log(JSON.stringify(measureProvince(dataDir), null, 2));
} finally {
  if (values.keep) console.log(`kept ${dataDir}`);
  else rmSync(dataDir, { recursive: true, force: true });
}
