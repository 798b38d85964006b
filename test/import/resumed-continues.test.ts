import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/graph';
import { freshTargets } from './targets';
import { postgresSettingsFor } from '../../lib/database';
import { databaseFile } from '../../lib/dataFiles';
import { openCaseRegistrySqlite } from '../../subgraphs/case-registry/sources/sqlite';

/**
 * Issue 14 item 5: the import says which 终本 case a resumed case (执恢) resumes, so the registry does not count the 终本
 * case as 未实结 beside the 执恢 case carrying it on.
 */
const TODAY = '2026-06-30';
const DEBTOR = '11010519491231002X';
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'court-graph-import-resumed-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function caseLine(number: string, overrides: Record<string, unknown> = {}) {
  return JSON.stringify({
    type: 'case',
    number,
    status: 'EXECUTING',
    filedAt: `${number.slice(1, 5)}-03-02`,
    category: 'COMMERCIAL',
    amountDue: '1000.00',
    debtors: [{ name: '示例恢复公司', identifier: DEBTOR, divisionCode: '510104' }],
    ...overrides,
  });
}
const terminated = { status: 'CLOSED', closedAt: '2025-09-01', closure: 'TERMINATED_THIS_ROUND' };

function writeLines(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe.each(DIALECTS)('import on %s: a 执恢 case continues the 终本 case it resumes', (dialect) => {
  const fresh = freshTargets(dialect);
  it('joins its lineage, and the registry no longer lists the 终本 case among the cases to resume', async () => {
    const data = await fresh();
    const report = await data.import(
      'case-registry',
      writeLines('ok.jsonl', [
        caseLine('(2025)川0104执1号', terminated),
        caseLine('(2026)川0104执恢1号', { continues: '(2025)川0104执1号' }),
        caseLine('(2025)川0104执2号', terminated),
      ]),
      { today: TODAY },
    );
    expect(report.errors).toEqual([]);
    expect(
      await data.records('case-registry').all('select number, lineage_root, transferred_from, continues from cases order by number'),
    ).toEqual([
      { number: '(2025)川0104执1号', lineage_root: '(2025)川0104执1号', transferred_from: null, continues: null },
      { number: '(2025)川0104执2号', lineage_root: '(2025)川0104执2号', transferred_from: null, continues: null },
      { number: '(2026)川0104执恢1号', lineage_root: '(2025)川0104执1号', transferred_from: null, continues: '(2025)川0104执1号' },
    ]);
    const registry = openCaseRegistrySqlite(databaseFile(data.dir, 'case-registry'), {
      readonly: true,
      postgres: postgresSettingsFor(data.databases, 'case-registry'),
    });
    try {
      const [waiting] = await registry.casesByDebtor([DEBTOR], 'TERMINATED_THIS_ROUND');
      expect(waiting!.map((c) => c.number)).toEqual(['(2025)川0104执2号']);
      const [figures] = await registry.caseAggregates([DEBTOR]);
      expect(figures).toMatchObject({ unclosedCaseCount: 1, terminatedThisRoundCaseCount: 1, unconcludedCaseCount: 2 });
      expect(await registry.lineageNumbers(['(2025)川0104执1号'])).toEqual([['(2025)川0104执1号', '(2026)川0104执恢1号']]);
    } finally {
      await registry.close();
    }
  });

  it('refuses a 执恢 case continuing a case not closed as 终本, or a 执保 case', async () => {
    const report = await (
      await fresh()
    ).import(
      'case-registry',
      writeLines('bad.jsonl', [
        caseLine('(2025)川0104执3号', { status: 'CLOSED', closedAt: '2025-09-01', closure: 'FULLY_EXECUTED' }),
        caseLine('(2026)川0104执恢3号', { continues: '(2025)川0104执3号' }),
        caseLine('(2025)川0104执4号'),
        caseLine('(2026)川0104执恢4号', { continues: '(2025)川0104执4号' }),
        caseLine('(2025)川0104执保5号', terminated),
        caseLine('(2026)川0104执恢5号', { continues: '(2025)川0104执保5号' }),
      ]),
      { today: TODAY },
    );
    expect(report.written).toBe(0);
    expect(report.errors.map((e) => [e.row, e.field, e.rule])).toEqual([
      [2, 'continues', 'CONTINUES_TERMINATED_THIS_ROUND'],
      [4, 'continues', 'CONTINUES_TERMINATED_THIS_ROUND'],
      [6, 'continues', 'CONTINUES_PRESERVATION'],
    ]);
  });
});
