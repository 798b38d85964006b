import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { creditCodeCheckChar, orgCodeCheckChar } from '../../domain/identifiers';
import { IMPORT_APPLICATION_NAME } from '../../importing/postgres';
import type { RunningGraph } from '../../scripts/graph';
import { postGraphQL, startGraphOn, testToday } from '../support/graph';
import { emptyTarget, provinceTarget, type ImportTarget } from './targets';

/**
 * `npm run import` on PostgreSQL (issue 16 item 3): what only that path has — the system's URL setting chooses it; the
 * stored facts a file's rows need are fetched with one statement per kind of key, however many rows; a connection lost
 * midway leaves nothing written; the subgraphs serving from the same database answer throughout and see the import
 * whole once it commits; the case-number counters move past the imported sequences. (The guarantees both dialects
 * share — refusals, all or nothing, idempotence, a kill midway — are the rest of test/import, run on both.)
 */
const TODAY = testToday();
const YEAR = Number(TODAY.slice(0, 4));
let dir: string;
const targets: ImportTarget[] = [];
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'court-graph-import-pg-'));
});
afterEach(async () => {
  for (const t of targets.splice(0)) await t.drop();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const creditCode = (n: number) => {
  const org = `MA${String(n).padStart(6, '0')}`;
  const body = `91510104${org}${orgCodeCheckChar(org)}`;
  return body + creditCodeCheckChar(body);
};

const caseRow = (sequence: number, overrides: Record<string, unknown> = {}) => ({
  type: 'case',
  number: `(${YEAR})川0104执${sequence}号`,
  status: 'EXECUTING',
  filedAt: `${YEAR}-01-05`,
  category: 'COMMERCIAL',
  amountDue: '1000.00',
  debtors: [{ name: `示例公司${sequence}`, identifier: creditCode(sequence % 900_000), divisionCode: '510104' }],
  applicants: [{ name: '某银行', kind: 'LEGAL_PERSON' }],
  ...overrides,
});

let files = 0;
function writeRows(rows: object[]): string {
  const file = path.join(dir, `f${++files}.jsonl`);
  writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return file;
}

function runImport(args: string[], env: Record<string, string>) {
  return spawnSync(path.resolve('node_modules/.bin/tsx'), ['scripts/import.ts', ...args], {
    env: { ...process.env, AS_OF_DATE: TODAY, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('npm run import with a system on PostgreSQL', () => {
  it("imports into the database its *_DATABASE_URL names, writing no SQLite file; a system without one into DATA_DIR's file", async () => {
    const t = await emptyTarget('postgres');
    targets.push(t);
    const data = path.join(dir, 'data');
    const file = writeRows([caseRow(70001), caseRow(70002)]);
    const run = runImport(['--system', 'case-registry', '--file', file, '--data-dir', data], {
      CASE_REGISTRY_DATABASE_URL: t.databases!.urls['case-registry']!,
    });
    expect(run.stderr).not.toContain('refused');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('2 records imported into case-registry (PostgreSQL (CASE_REGISTRY_DATABASE_URL))');
    expect(existsSync(data) ? readdirSync(data).filter((f) => f.endsWith('.db')) : []).toEqual([]);
    expect(await t.records('case-registry').all('select number from cases order by number')).toEqual([
      { number: `(${YEAR})川0104执70001号` },
      { number: `(${YEAR})川0104执70002号` },
    ]);

    const officers = writeRows([
      { type: 'officer', id: 'OF900001', name: '王执行', courtCode: '川0104', post: 'JUDGE', enforcement: true },
    ]);
    const personnel = runImport(['--system', 'personnel', '--file', officers, '--data-dir', data], {
      CASE_REGISTRY_DATABASE_URL: t.databases!.urls['case-registry']!,
    });
    expect(personnel.status).toBe(0);
    expect(personnel.stdout).toContain(`1 records imported into personnel (${data})`);
    expect(existsSync(path.join(data, 'personnel.db'))).toBe(true);
  }, 300_000);

  it('refuses a bad file with exit status 1, listing row, field and rule, and writes nothing to the database', async () => {
    const t = await emptyTarget('postgres');
    targets.push(t);
    const file = writeRows([caseRow(70011), caseRow(70012, { filedAt: '2025-02-30' }), caseRow(70013, { amountDue: 5 })]);
    const run = runImport(['--system', 'case-registry', '--file', file, '--data-dir', t.dir], t.env);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('refused, nothing written — 2 bad row(s)');
    expect(run.stderr).toContain('row 2: filedAt: DATE_FORMAT');
    expect(run.stderr).toContain('row 3: amountDue: MONEY_FORMAT');
    // The schema is there (migrated first, as a subgraph starting would); no row of the file is.
    expect(await t.records('case-registry').get('select count(*) as n from cases')).toEqual({ n: 0 });
    expect(await t.records('case-registry').get('select count(*) as n from courts')).toEqual({ n: 0 });
  }, 150_000);
});

describe('import on PostgreSQL: statements', () => {
  /** A file of `n` cases and, for each, a conduct event, an excluded period and a complaint on a recorded case. */
  const file = (n: number, recorded: string[]) =>
    writeRows([
      ...Array.from({ length: n }, (_, i) => caseRow(71000 + i)),
      ...recorded.slice(0, n).flatMap((number, i) => [
        { type: 'complaint', caseNumber: number, seq: 900 + i, receivedAt: TODAY, kind: 'OTHER' },
        {
          type: 'externalCase',
          number: `(${YEAR})鲁14执${500 + i}号`,
          courtName: '德州市中级人民法院',
          debtorId: creditCode(71000 + i),
          status: 'EXECUTING',
          filedAt: `${YEAR}-02-01`,
        },
      ]),
    ]);

  it('fetches what the rows name with one statement per kind of key, and writes each table with as many, whatever the rows', async () => {
    const t = await emptyTarget('postgres');
    targets.push(t);
    const counts: number[] = [];
    for (const n of [5, 400]) {
      // Cases recorded before, for the complaints to name.
      const recorded = Array.from({ length: n }, (_, i) => `(${YEAR})川0104执${(n === 5 ? 60000 : 61000) + i}号`);
      expect(
        (
          await t.import('case-registry', writeRows(recorded.map((number, i) => caseRow((n === 5 ? 60000 : 61000) + i, { number }))), {
            today: TODAY,
          })
        ).errors,
      ).toEqual([]);
      const query = vi.spyOn(pg.Client.prototype, 'query');
      try {
        const report = await t.import('case-registry', file(n, recorded), { today: TODAY });
        expect(report.errors).toEqual([]);
        expect(report.written).toBe(3 * n);
        counts.push(query.mock.calls.length);
      } finally {
        query.mockRestore();
      }
    }
    expect(counts[1]).toBe(counts[0]);
    expect(counts[0]).toBeLessThan(60);
  }, 120_000);
});

describe('import on PostgreSQL: a connection lost midway', () => {
  it('leaves nothing written when the server ends the import’s connection during the write', async () => {
    const t = await emptyTarget('postgres');
    targets.push(t);
    await t.import('case-registry', writeRows([caseRow(72000)]), { today: TODAY });
    const before = await t.fingerprint('case-registry');
    const admin = new pg.Client({ connectionString: t.databases!.urls['case-registry']! });
    await admin.connect();
    let terminated: Promise<unknown> | null = null;
    try {
      const rows = Array.from({ length: 20_000 }, (_, i) => caseRow(72001 + i));
      await expect(
        t.import('case-registry', writeRows(rows), {
          today: TODAY,
          onProgress: (_done, _total, phase) => {
            if (phase === 'write' && !terminated)
              terminated = admin.query(
                'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and datname = current_database()',
                [IMPORT_APPLICATION_NAME],
              );
          },
        }),
      ).rejects.toThrow(/terminat|Connection|ended|ECONNRESET/i); // the same loss, as the server ends it or as the socket reports it
      expect(terminated).not.toBeNull();
      await terminated;
    } finally {
      await admin.end();
    }
    expect(await t.fingerprint('case-registry')).toBe(before);
  }, 120_000);
});

describe('import on PostgreSQL while the subgraphs serve from the same database', () => {
  let t: ImportTarget;
  let graph: RunningGraph;
  beforeAll(async () => {
    t = await provinceTarget('postgres');
    graph = await startGraphOn(t.dir, { databases: t.databases });
  });
  afterAll(async () => {
    await graph?.close();
    await t?.drop();
  });

  it('answers every query during the import, shows the import whole after it, and moves the case-number counter past it', async () => {
    const registry = t.records('case-registry');
    const { top } = (await registry.get<{ top: number }>(
      `select coalesce(max(sequence), 0) as top from cases where court_code = '川0104' and year = ? and type_code = '执'`,
      YEAR,
    ))!;
    const known = (await registry.get<{ number: string }>(`select number from cases order by number limit 1`))!.number;
    const first = top + 1;
    const rows = Array.from({ length: 5000 }, (_, i) => caseRow(first + i));
    const last = `(${YEAR})川0104执${first + rows.length - 1}号`;
    const CASE = 'query ($n: String!) { case(number: $n) { number status } }';

    let importing = true;
    const answers: { errors?: unknown; known: boolean; first: boolean; last: boolean }[] = [];
    const reads = (async () => {
      while (importing) {
        const { body } = await postGraphQL<Record<'a' | 'b' | 'c', { number: string } | null>>(
          graph.gateway.url,
          'query ($a: String!, $b: String!, $c: String!) { a: case(number: $a) { number } b: case(number: $b) { number } c: case(number: $c) { number } }',
          { a: known, b: `(${YEAR})川0104执${first}号`, c: last },
        );
        answers.push({
          errors: body.errors,
          known: body.data?.a?.number === known,
          first: body.data?.b != null,
          last: body.data?.c != null,
        });
      }
    })();
    try {
      const report = await t.import('case-registry', writeRows(rows), { today: TODAY });
      expect(report.errors).toEqual([]);
      expect(report.written).toBe(rows.length);
    } finally {
      importing = false;
      await reads;
    }
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.errors !== undefined || !a.known)).toEqual([]);
    // Whole or not at all: no answer sees the file's last case without its first, or the first without the last.
    expect(answers.filter((a) => a.first !== a.last)).toEqual([]);
    const { body } = await postGraphQL<{ case: { number: string; status: string } | null }>(graph.gateway.url, CASE, { n: last });
    expect(body.errors).toBeUndefined();
    expect(body.data!.case).toEqual({ number: last, status: 'EXECUTING' });
    const counter = await registry.get<{ last_sequence: number }>(
      `select last_sequence from case_number_counters where court_code = '川0104' and year = ? and type_code = '执'`,
      YEAR,
    );
    expect(counter!.last_sequence).toBeGreaterThanOrEqual(first + rows.length - 1);
  }, 180_000);
});
