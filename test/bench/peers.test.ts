import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPeers, type EngineName, type QueryName } from '../../bench/peers/run';
import { copyTestProvince, testToday } from '../support/graph';

/*
 * `npm run bench:peers` stays out of `npm test` (it runs minutes); this smoke run of one short round on the small test
 * province keeps the harness from rotting: every engine starts on the same subgraph processes, every query is asked,
 * and the answers the product's gateway and plain Apollo give are checked against each other.
 */
describe('bench:peers smoke run (issue 18)', () => {
  it(
    'starts four subgraph processes and the three engines, and compares their answers to the same queries',
    { timeout: 600_000 },
    async () => {
      const dataDir = copyTestProvince();
      const lines: string[] = [];
      try {
        const engines: EngineName[] = ['A', 'B', 'C'];
        const queries: QueryName[] = ['walk20', 'walk1', 'walk100', 'candidates'];
        const report = await runPeers({
          dataDir,
          asOf: testToday(),
          rounds: 1,
          seconds: 1,
          connections: 2,
          engines,
          queries,
          runner: 'tsx',
          logLevel: 'silent',
          floorRuns: 2,
          singleRequests: 2,
          log: (line) => lines.push(line),
        });
        expect(report.figures.map((f) => `${f.engine} ${f.query}`).sort()).toEqual(
          engines.flatMap((e) => queries.map((q) => `${e} ${q}`)).sort(),
        );
        for (const f of report.figures) {
          // Every engine gave at least one answer with the reference's data, and used CPU of its own for it.
          expect(f.rounds[0]!.ok, `${f.engine} ${f.query}: ${f.rounds[0]!.firstFailure}`).toBeGreaterThan(0);
          expect(f.gatewayCpu).toBeGreaterThan(0);
          // The product's gateway and plain Apollo answer every request with the same data.
          if (f.engine !== 'C') expect(f.rounds[0]!.failures, `${f.engine} ${f.query}: ${f.rounds[0]!.firstFailure}`).toBe(0);
        }
        expect(lines.some((l) => /^A\s+20-debtor walk/.test(l))).toBe(true);
        expect(lines.some((l) => /A\/B [\d.]+×/.test(l))).toBe(true);
        // Each query's SQL floor: the statements its answer caused, replayed; and a single request set against it.
        for (const q of queries) {
          expect(report.floors[q]?.statements, q).toBeGreaterThan(0);
          expect(report.floors[q]!.rows, q).toBeGreaterThan(0);
          expect(report.floors[q]!.medianMs, q).toBeGreaterThan(0);
        }
        for (const f of report.figures) expect(f.singleMs, `${f.engine} ${f.query}`).toHaveLength(2);
        expect(lines.some((l) => /^A\s+heavy debtor walk\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+×\s+(-|\d+ of \d+)$/.test(l))).toBe(true);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
