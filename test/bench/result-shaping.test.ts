import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/*
 * `npx tsx bench/resultShaping.ts` stays out of `npm test`; this smoke run of two calls keeps it from rotting: it
 * bundles both shapings as dist does, runs them on the heaviest walk's generated answer and fails if their texts
 * differ.
 */
describe('bench/resultShaping.ts smoke run (ADR 30)', () => {
  it('bundles, times both shapings and finds the same text', { timeout: 120_000 }, () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/resultShaping.ts', '2'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^apollo +shaping median +[\d.]+ ms/m);
    expect(run.stdout).toMatch(/^compiled +shaping median +[\d.]+ ms/m);
    expect(run.stdout).toMatch(/the same text from both$/m);
  });
});
