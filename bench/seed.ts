import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SYSTEMS, databaseFile } from '../lib/dataFiles';
import { generateProvince } from '../seed/province';

/**
 * Seeding speed: the generator at the sizes users ask for, recorded side by side in one run.
 * Usage: npx tsx bench/seed.ts [sizes...]   (default: 20000 200000 1000000)
 * Target (issue #2): 1,000,000 cases in under 3 minutes on the 2-core reference machine.
 */
const sizes = process.argv.slice(2).map(Number);
const runs = sizes.length ? sizes : [20_000, 200_000, 1_000_000];

console.log(`node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown cpu'}`);
console.log('cases       seconds   cases/s   MB on disk   persons   properties   measures');
for (const cases of runs) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-seed-'));
  try {
    const summary = await generateProvince({ dataDir, cases, seed: 1, asOf: '2026-11-28' });
    const bytes = SYSTEMS.reduce((n, s) => n + statSync(databaseFile(dataDir, s)).size, 0);
    const secs = summary.elapsedMs / 1000;
    console.log(
      `${String(cases).padEnd(10)}  ${secs.toFixed(1).padStart(7)}  ${Math.round(cases / secs)
        .toString()
        .padStart(
          8,
        )}  ${(bytes / 1e6).toFixed(0).padStart(11)}  ${String(summary.persons).padStart(8)}  ${String(summary.properties).padStart(11)}  ${String(summary.measures).padStart(9)}`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
