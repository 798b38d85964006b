import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../bench/peers/run';
import { copyTestProvince } from '../support/graph';

/*
 * bench/revisions.ts stays out of `npm test` (it needs a second built checkout and runs minutes); this smoke run sets
 * this checkout against itself, under tsx, on the small test province, one pair: both stacks start, answer the
 * heaviest walk with the same data, and the figures are printed.
 */
describe('bench/revisions.ts smoke run (issue 18)', () => {
  it('starts two stacks, asks each in turn, checks their answers alike and prints both figures', { timeout: 300_000 }, () => {
    const dataDir = copyTestProvince();
    try {
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', 'bench/revisions.ts', '--other', ROOT, '--data', dataDir, '--pairs', '1', '--runner', 'tsx'],
        { cwd: ROOT, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } },
      );
      expect(out).toMatch(/heaviest 100-debtor walk, 1 pairs one request at a time, under tsx, .*; every answer had the same data/);
      expect(out).toMatch(/^this\s+p50 [\d.]+ ms\s+min [\d.]+ ms/m);
      expect(out).toMatch(/^other\s+p50 [\d.]+ ms\s+min [\d.]+ ms/m);
      expect(out).toMatch(/^this\/other p50: [\d.]+$/m);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
