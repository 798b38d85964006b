import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { NODE_BUNDLE } from '../scripts/nodeBundle';
import { queries } from './peers/run';

/*
 * `npx tsx bench/resultShaping.ts [runs]`: Apollo Gateway's result shaping against the product's compiled one
 * (gateway/resultShaping.ts), side by side on one answer the size of the heaviest 100-debtor walk
 * (bench/resultShaping/run.ts). Bundled first with the product build's options (scripts/nodeBundle.ts, the
 * value-exports plugin of ADR 29 among them), so both run as they do in dist/start.js: under tsx, every call into
 * @apollo/federation-internals would pay its re-export getters.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-result-shaping-'));
try {
  await build({
    entryPoints: [path.join(ROOT, 'bench/resultShaping/run.ts')],
    outfile: path.join(dir, 'run.mjs'),
    ...NODE_BUNDLE,
  });
  const run = spawnSync(
    process.execPath,
    [
      path.join(dir, 'run.mjs'),
      path.join(ROOT, 'schema/supergraph.graphql'),
      JSON.stringify(queries(['d-1'], ['d-1']).walk100),
      ...process.argv.slice(2),
    ],
    {
      stdio: 'inherit',
    },
  );
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
