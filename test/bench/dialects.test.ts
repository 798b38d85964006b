import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DIALECTS, runDialects } from '../../bench/dialects/run';
import { testToday } from '../support/graph';
import { copyTestStore } from '../support/stores';

/*
 * `npm run bench:dialects` stays out of `npm test` (it runs many minutes at 1,000,000 cases); this smoke run of one
 * short round on the test province keeps the harness from rotting: the four subgraphs and a gateway start as processes
 * on SQLite and again on PostgreSQL (the suite's server, a private copy of the province), PostgreSQL's stale assessment
 * index is replaced by a copy of SQLite's, every query is asked of both, and both dialects must give the same data.
 */
describe('bench:dialects smoke run (issue 16 item 6)', () => {
  it('starts the graph on each dialect and compares their answers to the same queries', { timeout: 600_000 }, async () => {
    const store = await copyTestStore('postgres');
    const lines: string[] = [];
    try {
      // PostgreSQL's index is made stale, so the run copies SQLite's in its place (indexFrom 'sqlite').
      const coordination = new pg.Client({ connectionString: store.databases!.urls.coordination });
      await coordination.connect();
      await coordination.query('delete from assessment_meta').finally(() => coordination.end());
      const report = await runDialects({
        dataDir: store.dir,
        asOf: testToday(),
        postgres: store.databases!,
        rounds: 1,
        seconds: 1,
        connections: 2,
        runs: 2,
        runner: 'tsx',
        indexFrom: 'sqlite',
        subgraphTimeoutMs: 30_000,
        logLevel: 'silent',
        log: (line) => lines.push(line),
      });
      expect(report.failures, lines.join('\n')).toBe(0);
      expect(lines.some((l) => /^postgres: assessment index copied from SQLite's .*: [1-9]\d* rows/.test(l))).toBe(true);
      for (const d of DIALECTS) {
        const f = report.figures[d];
        expect(f.walk[0]!.ok, `${d}: ${f.walk[0]!.firstFailure}`).toBeGreaterThan(0);
        expect(f.walkCpu.subgraphs).toBeGreaterThan(0);
        expect(f.sequential.candidates).toHaveLength(2);
        expect(f.sequential.search).toHaveLength(2);
        expect(f.sequential.candidates.every((ms) => ms > 0)).toBe(true);
      }
      expect(lines.some((l) => /^postgres\s+README's debtor walk\s+[\d.]+/.test(l))).toBe(true);
      expect(lines.some((l) => /^postgres\s+transferCandidates.*median [\d.]+×/.test(l))).toBe(true);
      expect(lines).toContain('every answer had the same data on both dialects');
    } finally {
      await store.drop();
    }
  });
});
