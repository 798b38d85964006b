import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/graph';
import { freshTargets } from './targets';

/** Issue 14 item 11: the import says which preservation case (执保) an execution case continues (财产保全规定 Art. 17). */
const TODAY = '2026-06-30';
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'court-graph-import-continues-'));
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
    debtors: [{ name: '示例保全公司', kind: 'LEGAL_PERSON', divisionCode: '510104' }],
    ...overrides,
  });
}

function writeLines(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe.each(DIALECTS)('import on %s: continues', (dialect) => {
  const fresh = freshTargets(dialect);
  it('puts the execution case in the preservation case’s lineage, as a continuation and not a transfer', async () => {
    const data = await fresh();
    const report = await data.import(
      'case-registry',
      writeLines('ok.jsonl', [
        caseLine('(2025)川0104执保1号', { status: 'CLOSED', closedAt: '2025-06-01', closure: 'FULLY_EXECUTED' }),
        caseLine('(2026)川0104执1号', { continues: '(2025)川0104执保1号' }),
      ]),
      { today: TODAY },
    );
    expect(report.errors).toEqual([]);
    expect(
      await data.records('case-registry').all('select number, lineage_root, transferred_from, continues from cases order by number'),
    ).toEqual([
      { number: '(2025)川0104执保1号', lineage_root: '(2025)川0104执保1号', transferred_from: null, continues: null },
      { number: '(2026)川0104执1号', lineage_root: '(2025)川0104执保1号', transferred_from: null, continues: '(2025)川0104执保1号' },
    ]);
  });

  it('refuses a continuation that is not 执 of 执保, names both links, or names an unknown case', async () => {
    const report = await (
      await fresh()
    ).import(
      'case-registry',
      writeLines('bad.jsonl', [
        caseLine('(2025)川0104执保2号'),
        caseLine('(2025)川0104执3号'),
        caseLine('(2026)川0104执恢4号', { continues: '(2025)川0104执保2号' }),
        caseLine('(2026)川0104执5号', { continues: '(2025)川0104执3号' }),
        caseLine('(2026)川0104执6号', { continues: '(2025)川0104执保2号', transferredFrom: '(2025)川0104执3号' }),
        caseLine('(2026)川0104执7号', { continues: '(2025)川0104执保99号' }),
      ]),
      { today: TODAY },
    );
    expect(report.written).toBe(0);
    expect(report.errors.map((e) => [e.row, e.field, e.rule])).toEqual([
      [3, 'continues', 'CONTINUES_PRESERVATION'],
      [4, 'continues', 'CONTINUES_PRESERVATION'],
      [5, 'continues', 'CONTINUES_OR_TRANSFERRED'],
      [6, 'continues', 'CASE_UNKNOWN'],
    ]);
  });
});
