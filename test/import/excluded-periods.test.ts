import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../../domain/errorCatalogue';
import { DIALECTS } from '../support/graph';
import { freshTargets, type ImportTarget } from './targets';

/**
 * Issue 15 item 1: a case-registry file records the periods 执行程序若干问题的解释 Art. 13 leaves out of a case's six
 * months (docs/import.md). Good rows are written; bad ones (unknown case, before filing, inverted, overlapping,
 * unknown kind) are refused with the field, the rule and its catalogued code, and nothing of the file is written.
 */
const TODAY = '2026-06-30';
const CASE = '(2025)川0104执501号';
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'court-graph-import-periods-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const caseLine = JSON.stringify({
  type: 'case',
  number: CASE,
  status: 'EXECUTING',
  filedAt: '2025-03-02',
  category: 'CIVIL',
  amountDue: '1000.00',
  debtors: [{ name: '期间测试公司', identifier: '11010519491231002X' }],
});
const period = (o: Record<string, unknown>) => JSON.stringify({ type: 'excludedPeriod', caseNumber: CASE, ...o });

function writeLines(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const periodsIn = (data: ImportTarget) =>
  data.records('case-registry').all('select case_number, kind, starts_at, ends_at, basis from case_excluded_periods order by starts_at');

describe.each(DIALECTS)('import on %s: periods that do not count toward the six months (issue 15 item 1)', (dialect) => {
  const fresh = freshTargets(dialect);
  it('writes good rows, for a case earlier in the file and, later, for a case already in the registry; a re-import changes nothing', async () => {
    const data = await fresh();
    const first = writeLines('ok.jsonl', [
      caseLine,
      period({ kind: 'SUSPENSION', startsAt: '2025-04-01', endsAt: '2025-04-30', basis: '(2025)川0104执501号之一' }),
      period({ kind: 'APPRAISAL', startsAt: '2025-05-01', endsAt: '2025-05-20' }),
    ]);
    expect(await data.import('case-registry', first, { today: TODAY })).toMatchObject({ written: 3, errors: [] });
    expect(await data.import('case-registry', first, { today: TODAY })).toMatchObject({ written: 3, errors: [] });
    const later = writeLines('later.jsonl', [period({ kind: 'PUBLIC_NOTICE', startsAt: '2026-01-10' })]);
    expect(await data.import('case-registry', later, { today: TODAY })).toMatchObject({ written: 1, errors: [] });
    expect(await periodsIn(data)).toEqual([
      { case_number: CASE, kind: 'SUSPENSION', starts_at: '2025-04-01', ends_at: '2025-04-30', basis: '(2025)川0104执501号之一' },
      { case_number: CASE, kind: 'APPRAISAL', starts_at: '2025-05-01', ends_at: '2025-05-20', basis: null },
      { case_number: CASE, kind: 'PUBLIC_NOTICE', starts_at: '2026-01-10', ends_at: null, basis: null },
    ]);
    // A period overlapping one the registry holds is refused; the same start replaces that period (an upsert).
    const clash = writeLines('clash.jsonl', [period({ kind: 'STAY', startsAt: '2025-04-15', endsAt: '2025-04-16' })]);
    expect((await data.import('case-registry', clash, { today: TODAY })).errors).toEqual([
      {
        row: 1,
        field: 'startsAt',
        rule: 'EXCLUDED_PERIOD_OVERLAP',
        message: `overlaps the period of ${CASE} from 2025-04-01 to 2025-04-30`,
      },
    ]);
    const corrected = writeLines('corrected.jsonl', [period({ kind: 'SUSPENSION', startsAt: '2025-04-01', endsAt: '2025-04-10' })]);
    expect((await data.import('case-registry', corrected, { today: TODAY })).errors).toEqual([]);
    expect((await periodsIn(data))[0]).toMatchObject({ starts_at: '2025-04-01', ends_at: '2025-04-10' });
  });

  it('refuses bad rows with the field, the rule and its code, and writes nothing of the file', async () => {
    const data = await fresh();
    const report = await data.import(
      'case-registry',
      writeLines('bad.jsonl', [
        caseLine,
        period({ kind: 'SUSPENSION', startsAt: '2025-04-01', endsAt: '2025-04-30' }),
        period({ kind: 'STAY', startsAt: '2025-04-30', endsAt: '2025-05-10' }), // shares 04-30
        period({ kind: 'APPRAISAL', startsAt: '2025-07-10', endsAt: '2025-07-01' }), // inverted
        period({ kind: 'PUBLIC_NOTICE', startsAt: '2025-02-01', endsAt: '2025-02-10' }), // before filing
        period({ kind: 'HOLIDAY', startsAt: '2025-08-01' }),
        period({ caseNumber: '(2025)川0104执999号', kind: 'STAY', startsAt: '2025-08-01' }),
        period({ kind: 'COORDINATION', startsAt: '2025-09-01', endsAt: '2026-07-01' }), // ends after today
        period({ kind: 'SUSPENSION', startsAt: '2025-10-01' }), // open: runs on, so a later one overlaps it
        period({ kind: 'STAY', startsAt: '2026-01-01', endsAt: '2026-01-05' }),
      ]),
      { today: TODAY },
    );
    expect(report.written).toBe(0);
    expect(report.errors.map((e) => [e.row, e.field, e.rule])).toEqual([
      [3, 'startsAt', 'EXCLUDED_PERIOD_OVERLAP'],
      [4, 'endsAt', 'EXCLUDED_PERIOD_ORDER'],
      [5, 'startsAt', 'DATE_RANGE'],
      [6, 'kind', 'ENUM'],
      [7, 'caseNumber', 'CASE_UNKNOWN'],
      [8, 'endsAt', 'DATE_IN_FUTURE'],
      [10, 'startsAt', 'EXCLUDED_PERIOD_OVERLAP'],
    ]);
    expect(report.errors[1]!.message).toBe('2025-07-01 is before the period starts on 2025-07-10');
    expect(report.errors[2]!.message).toBe('2025-02-01 is before the case was filed on 2025-03-02');
    expect(report.errors[6]!.message).toBe(`overlaps the period of ${CASE} from 2025-10-01 to today (still running)`);
    // Each rule is catalogued with its stable code (docs/errors.md).
    expect(RULES.EXCLUDED_PERIOD_OVERLAP.code).toBe('BAD_USER_INPUT');
    expect(RULES.EXCLUDED_PERIOD_ORDER.code).toBe('BAD_USER_INPUT');
    expect(await periodsIn(data)).toEqual([]);
  });
});
