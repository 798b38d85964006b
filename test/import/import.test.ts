import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar, orgCodeCheckChar } from '../../domain/identifiers';
import { DIALECTS } from '../support/graph';
import { emptyTarget, type ImportTarget } from './targets';

/**
 * Issue #6 item 5: import without loss — validated rows, all or nothing, atomic, idempotent. On both dialects (issue 16
 * items 3 and 5): into each system's SQLite file in a data directory, or into its PostgreSQL database.
 */
const TODAY = '2026-06-30';
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'court-graph-import-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const creditCode = (n: number) => {
  const org = `MA${String(n).padStart(6, '0')}`;
  const body = `91510104${org}${orgCodeCheckChar(org)}`;
  return body + creditCodeCheckChar(body);
};

function caseLine(i: number, overrides: Record<string, unknown> = {}) {
  return JSON.stringify({
    type: 'case',
    number: `(2025)川0104执${10000 + i}号`,
    status: 'EXECUTING',
    filedAt: '2025-03-02',
    category: 'COMMERCIAL',
    amountDue: '1000.00',
    debtors: [{ name: `示例公司${i}`, identifier: creditCode(i), divisionCode: '510104' }],
    applicants: [{ name: '某银行', kind: 'LEGAL_PERSON' }],
    ...overrides,
  });
}

function writeLines(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const count = async (t: ImportTarget, table: string) =>
  (await t.records('case-registry').get<{ n: number }>(`select count(*) as n from ${table}`))!.n;

describe.each(DIALECTS)('import on %s', (dialect) => {
  let t: ImportTarget;
  beforeAll(async () => {
    t = await emptyTarget(dialect);
  });
  afterAll(() => t?.drop());
  /** A fresh empty target per test that writes (the suite's own stays for the tests that only refuse). */
  const fresh: ImportTarget[] = [];
  const freshTarget = async () => {
    const f = await emptyTarget(dialect);
    fresh.push(f);
    return f;
  };
  afterEach(async () => {
    for (const f of fresh.splice(0)) await f.drop();
  });

  it('loads the documented examples for all three systems into an empty store', async () => {
    const f = await freshTarget();
    for (const system of ['case-registry', 'property-control', 'personnel'] as const) {
      const report = await f.import(system, path.join('examples/import', `${system}.jsonl`), { today: TODAY });
      expect(report.errors).toEqual([]);
      expect(report.written).toBeGreaterThan(0);
    }
    expect(await count(f, 'cases')).toBe(3);
    expect(await count(f, 'courts')).toBe(211);
  });

  it('refuses the whole file for one bad row among many, naming the row and field, and writes nothing', async () => {
    const f = await freshTarget();
    await f.import('case-registry', writeLines('seed.jsonl', [caseLine(0)]), { today: TODAY });
    const before = await f.fingerprint('case-registry');
    const lines = Array.from({ length: 500 }, (_, i) => caseLine(i + 1));
    const bad = JSON.parse(lines[316]!) as { debtors: { identifier: string }[] };
    bad.debtors[0]!.identifier = bad.debtors[0]!.identifier.slice(0, 17) + (bad.debtors[0]!.identifier.endsWith('0') ? '1' : '0');
    lines[316] = JSON.stringify(bad);
    const report = await f.import('case-registry', writeLines('one-bad.jsonl', lines), { today: TODAY });
    expect(report.written).toBe(0);
    expect(report.errors).toEqual([
      { row: 317, field: 'debtors[0].identifier', rule: 'CREDIT_CODE_CHECKSUM', message: expect.any(String) },
    ]);
    expect(await f.fingerprint('case-registry')).toBe(before);
  });

  it('names the rule for each kind of bad field', async () => {
    const cases: [string, string, string][] = [
      [caseLine(1, { number: '(2025)川0104执行1号' }), 'number', 'CASE_TYPE_CODE'],
      [caseLine(2, { executingCourt: '川9999' }), 'executingCourt', 'COURT_UNKNOWN'],
      [caseLine(7, { number: '(2025)川9999执7号' }), 'number', 'COURT_UNKNOWN'],
      [caseLine(8, { transferredFrom: '(2024)川9999执8号' }), 'transferredFrom', 'COURT_UNKNOWN'],
      [caseLine(3, { filedAt: '2025-02-30' }), 'filedAt', 'DATE_FORMAT'],
      [caseLine(4, { amountDue: 1000 }), 'amountDue', 'MONEY_FORMAT'],
      [caseLine(5, { amountRecovered: '2000.00' }), 'amountRecovered', 'RECOVERED_ABOVE_DUE'],
      [caseLine(6, { status: 'CLOSED' }), 'closedAt', 'CLOSED_NEEDS_DATE_AND_CLOSURE'],
      ['{not json', '(line)', 'JSON'],
      [JSON.stringify({ type: 'officer' }), 'type', 'UNKNOWN_TYPE'],
      // Another system's record, naming a property the registry has no table for.
      [JSON.stringify({ type: 'measure', propertyId: 'P1' }), 'type', 'UNKNOWN_TYPE'],
    ];
    const report = await t.import(
      'case-registry',
      writeLines(
        'rules.jsonl',
        cases.map(([l]) => l),
      ),
      { today: TODAY },
    );
    expect(report.errors.map((e) => [e.row, e.field, e.rule])).toEqual(cases.map(([, field, rule], i) => [i + 1, field, rule]));

    const period = [
      JSON.stringify({ type: 'property', id: 'P1', kind: 'BANK_DEPOSIT', description: '存款', ownerName: '甲' }),
      JSON.stringify({
        type: 'measure',
        id: 'M1',
        propertyId: 'P1',
        kind: 'FREEZE',
        courtCode: '川0104',
        caseNumber: '(2025)川0104执1号',
        imposedAt: '2025-01-01',
        periodStartsAt: '2025-01-01',
        expiresAt: '2026-01-01',
        queuePosition: 1,
      }),
      JSON.stringify({
        type: 'measure',
        id: 'M2',
        propertyId: 'P1',
        kind: 'FREEZE',
        courtCode: '川0104',
        caseNumber: '(2025)川0104执1号',
        imposedAt: '2025-01-01',
        periodStartsAt: '2025-01-01',
        expiresAt: '2026-01-02',
        queuePosition: 2,
      }),
      JSON.stringify({
        type: 'measure',
        id: 'M3',
        propertyId: 'P9',
        kind: 'FREEZE',
        courtCode: '川0104',
        caseNumber: '(2025)川0104执1号',
        imposedAt: '2025-01-01',
        waiting: true,
        queuePosition: 3,
      }),
      JSON.stringify({
        type: 'measure',
        id: 'M4',
        propertyId: 'P1',
        kind: 'FREEZE',
        courtCode: '川0104',
        caseNumber: '(2025)川9999执1号',
        imposedAt: '2025-01-01',
        waiting: true,
        queuePosition: 4,
      }),
    ];
    const measures = await t.import('property-control', writeLines('period.jsonl', period), { today: TODAY });
    // A deposit freeze runs at most 12 months: to 2026-01-01 is the limit, one day more is refused.
    expect(measures.errors.map((e) => [e.row, e.field, e.rule])).toEqual([
      [3, 'expiresAt', 'MEASURE_PERIOD_LIMIT'],
      [4, 'propertyId', 'PROPERTY_UNKNOWN'],
      [5, 'caseNumber', 'COURT_UNKNOWN'],
    ]);
  });

  it('changes nothing when the same file is imported again', async () => {
    const f = await freshTarget();
    const file = writeLines(
      'repeat.jsonl',
      Array.from({ length: 50 }, (_, i) => caseLine(i)),
    );
    await f.import('case-registry', file, { today: TODAY });
    const once = await f.fingerprint('case-registry');
    const again = await f.import('case-registry', file, { today: TODAY });
    expect(again.errors).toEqual([]);
    expect(await f.fingerprint('case-registry')).toBe(once);
  });

  it('leaves the database as it was when a statement fails midway through writing (a constraint of the store)', async () => {
    const f = await freshTarget();
    await f.import('case-registry', writeLines('base.jsonl', [caseLine(0)]), { today: TODAY });
    // The store refuses one party the file's checks accept: the cases before it are written by then, and must go too.
    const registry = f.records('case-registry');
    await registry.run(
      dialect === 'sqlite'
        ? `create trigger refuse_party before insert on case_parties when new.name = '拒收公司' begin select raise(abort, 'refused by the store'); end`
        : `alter table case_parties add constraint refuse_party check (name <> '拒收公司')`,
    );
    const before = await f.fingerprint('case-registry');
    const lines = Array.from({ length: 2000 }, (_, i) => caseLine(i + 1));
    lines[1500] = caseLine(1501, { debtors: [{ name: '拒收公司', identifier: creditCode(1501), divisionCode: '510104' }] });
    await expect(f.import('case-registry', writeLines('fault.jsonl', lines), { today: TODAY })).rejects.toThrow(
      /refused by the store|refuse_party/,
    );
    expect(await f.fingerprint('case-registry')).toBe(before);
    expect(await count(f, 'cases')).toBe(1);
  });

  it('leaves the database as it was when the import is killed midway through writing', async () => {
    const f = await freshTarget();
    await f.import('case-registry', writeLines('base.jsonl', [caseLine(0)]), { today: TODAY });
    const before = await f.fingerprint('case-registry');
    const file = writeLines(
      'big.jsonl',
      Array.from({ length: 60_000 }, (_, i) => caseLine(i + 1)),
    );
    // `node --import tsx` runs the import in this one process: the tsx CLI would run it in a child of its own, which a
    // SIGKILL of the CLI leaves writing.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/import.ts', '--system', 'case-registry', '--file', file, '--data-dir', f.dir],
      {
        env: { ...process.env, AS_OF_DATE: TODAY, ...f.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    const killed = await new Promise<boolean>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        // The progress bar reports the write phase once writing starts: kill it there.
        if (/write/.test(stderr) && child.exitCode === null) {
          child.kill('SIGKILL');
        }
      });
      child.on('exit', (_code, signal) => resolve(signal === 'SIGKILL'));
    });
    expect(killed).toBe(true);
    expect(stderr).toMatch(/write/);
    expect(await f.fingerprint('case-registry')).toBe(before);
    // The same file imports whole afterwards.
    const report = await f.import('case-registry', file, { today: TODAY });
    expect(report.written).toBe(60_000);
    expect(await count(f, 'cases')).toBe(60_001);
    expect(readFileSync(file, 'utf8').length).toBeGreaterThan(0);
  }, 180_000);

  describe('a known debtor named without divisionCode (issue 14 item 14)', () => {
    const seat = async (f: ImportTarget, id: string) =>
      f.records('case-registry').get('select division_code, out_of_province from persons where id = ?', id);

    it("keeps the debtor's recorded seat, in a later file and later in the same file; a given divisionCode replaces it", async () => {
      const f = await freshTarget();
      const id = creditCode(42);
      const withSeat = (i: number, divisionCode: string) =>
        caseLine(i, { debtors: [{ name: '示例公司42', identifier: id, divisionCode }] });
      const withoutSeat = (i: number) => caseLine(i, { debtors: [{ name: '示例公司42', identifier: id }] });

      expect((await f.import('case-registry', writeLines('a.jsonl', [withSeat(1, '500103')]), { today: TODAY })).errors).toEqual([]);
      expect(await seat(f, id)).toEqual({ division_code: '500103', out_of_province: 1 });

      expect((await f.import('case-registry', writeLines('b.jsonl', [withoutSeat(2)]), { today: TODAY })).errors).toEqual([]);
      expect(await seat(f, id)).toEqual({ division_code: '500103', out_of_province: 1 });

      const report = await f.import('case-registry', writeLines('c.jsonl', [withSeat(3, '510104'), withoutSeat(4)]), { today: TODAY });
      expect(report.errors).toEqual([]);
      expect(await seat(f, id)).toEqual({ division_code: '510104', out_of_province: 0 });
    });

    it('leaves a new debtor named without divisionCode with no seat', async () => {
      const f = await freshTarget();
      const id = creditCode(43);
      await f.import('case-registry', writeLines('a.jsonl', [caseLine(1, { debtors: [{ name: '示例公司43', identifier: id }] })]), {
        today: TODAY,
      });
      expect(await seat(f, id)).toEqual({ division_code: null, out_of_province: 0 });
    });
  });

  describe('pre-2016 case numbers (issue 14 item 14)', () => {
    const historical = (overrides: Record<string, unknown>) =>
      caseLine(0, { number: '（2015）青羊执字第0123号', filedAt: '2015-06-01', ...overrides });

    it('stores (2015)青羊执字第0123号 as given (brackets normalised), with the court code the row gives', async () => {
      const f = await freshTarget();
      const report = await f.import('case-registry', writeLines('h.jsonl', [historical({ court: '川0105' })]), { today: TODAY });
      expect(report.errors).toEqual([]);
      expect(
        await f.records('case-registry').all('select number, court_code, executing_court, year, type_code, sequence from cases'),
      ).toEqual([
        { number: '(2015)青羊执字第0123号', court_code: '川0105', executing_court: '川0105', year: 2015, type_code: '执', sequence: 123 },
      ]);
    });

    it.each([
      [historical({}), 'court', 'HISTORICAL_NUMBER_COURT'],
      [historical({ court: '川0199' }), 'court', 'COURT_UNKNOWN'],
      [historical({ number: '(2016)青羊执字第1号', filedAt: '2016-03-01', court: '川0105' }), 'number', 'CASE_NUMBER_HISTORICAL_YEAR'],
      [historical({ number: '(2015)青羊民初字第1号', court: '川0105' }), 'number', 'CASE_NUMBER_FORMAT'],
      [historical({ court: '川0105', filedAt: '2016-01-04' }), 'filedAt', 'FILING_YEAR'],
      [caseLine(1, { court: '川0105' }), 'court', 'COURT_MATCHES_NUMBER'],
    ])('refuses %s: %s %s', async (line, field, rule) => {
      const report = await t.import('case-registry', writeLines('bad-h.jsonl', [line]), { today: TODAY });
      expect(report.errors).toEqual([expect.objectContaining({ row: 1, field, rule })]);
    });
  });
});
