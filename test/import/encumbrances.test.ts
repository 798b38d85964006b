import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/graph';
import { emptyTarget, type ImportTarget } from './targets';

/** Issue 15 item 4: mortgages and pledges in property-control's import file (docs/import.md), good and bad rows. */
const TODAY = '2026-06-30';
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'court-graph-encumbrances-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function file(lines: object[]): string {
  const f = path.join(dir, `pc-${++files}.jsonl`);
  writeFileSync(f, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return f;
}

const house = {
  type: 'property',
  id: 'ENC-H1',
  kind: 'REAL_ESTATE',
  description: '青羊区某住宅',
  ownerName: '某公司',
  divisionCode: '510105',
  estimatedValue: '3000000.00',
};
const deposit = {
  type: 'property',
  id: 'ENC-D1',
  kind: 'BANK_DEPOSIT',
  description: '某银行账户',
  ownerName: '某公司',
  divisionCode: '510105',
};
const lien = (over: Record<string, unknown> = {}) => ({
  type: 'encumbrance',
  id: 'ENC-1',
  propertyId: 'ENC-H1',
  kind: 'MORTGAGE',
  holderName: '中国建设银行成都分行',
  holderKind: 'FINANCIAL_INSTITUTION',
  securedAmount: '1200000.00',
  rank: 1,
  registeredAt: '2021-05-10',
  ...over,
});

describe.each(DIALECTS)('encumbrance rows on %s', (dialect) => {
  let t: ImportTarget;
  beforeAll(async () => {
    t = await emptyTarget(dialect);
  });
  afterAll(() => t?.drop());
  const encumbrances = () => t.records('property-control').all('select * from encumbrances order by property_id, rank');

  it('refuses each bad row with its field and catalogued rule, and writes nothing of the file', async () => {
    const report = await t.import(
      'property-control',
      file([
        house,
        deposit,
        lien(),
        lien({ id: 'ENC-2', rank: 1, holderName: '张某' }),
        lien({ id: 'ENC-3', rank: 2, securedAmount: '-5.00' }),
        lien({ id: 'ENC-4', rank: 3, securedAmount: '0.00' }),
        lien({ id: 'ENC-5', propertyId: 'ENC-D1' }),
        lien({ id: 'ENC-6', propertyId: 'NO-SUCH' }),
        lien({ id: 'ENC-7', rank: 4, registeredAt: '2026-07-01' }),
        lien({ id: 'ENC-8', rank: 5, holderKind: 'BANK' }),
        lien({ id: 'ENC-9', rank: 6, enforcedInCase: '(2025)川9999执1号' }),
        lien({ id: 'ENC-10', rank: 0 }),
      ]),
      { today: TODAY },
    );
    expect(report.written).toBe(0);
    expect(report.errors.map((e) => [e.row, e.field, e.rule])).toEqual([
      [4, 'rank', 'ENCUMBRANCE_RANK_DUPLICATE'],
      [5, 'securedAmount', 'MONEY_FORMAT'],
      [6, 'securedAmount', 'SECURED_AMOUNT_ZERO'],
      [7, 'kind', 'ENCUMBRANCE_PROPERTY_KIND'],
      [8, 'propertyId', 'PROPERTY_UNKNOWN'],
      [9, 'registeredAt', 'DATE_IN_FUTURE'],
      [10, 'holderKind', 'ENUM'],
      [11, 'enforcedInCase', 'COURT_UNKNOWN'],
      [12, 'rank', 'INTEGER'],
    ]);
    expect(report.errors[0]!.message).toContain('rank 1 (row 3)');
    expect(await encumbrances()).toEqual([]);
  });

  it('loads good rows, idempotently, and refuses a rank another recorded encumbrance holds', async () => {
    const good = file([
      house,
      deposit,
      lien({ enforcedInCase: '(2025)川0107执300号' }),
      lien({
        id: 'ENC-2',
        rank: 2,
        holderName: '张某',
        holderKind: 'NATURAL_PERSON',
        securedAmount: '300000.00',
        registeredAt: '2022-01-04',
      }),
      lien({
        id: 'ENC-3',
        propertyId: 'ENC-D1',
        kind: 'PLEDGE',
        holderName: '某小贷公司',
        holderKind: 'LEGAL_PERSON',
        securedAmount: '50000.00',
      }),
    ]);
    expect((await t.import('property-control', good, { today: TODAY })).errors).toEqual([]);
    const first = await encumbrances();
    expect(first.map((e) => [e.id, e.property_id, e.rank, e.secured_amount, e.enforced_in_case])).toEqual([
      ['ENC-3', 'ENC-D1', 1, 5_000_000, null],
      ['ENC-1', 'ENC-H1', 1, 120_000_000, '(2025)川0107执300号'],
      ['ENC-2', 'ENC-H1', 2, 30_000_000, null],
    ]);
    expect((await t.import('property-control', good, { today: TODAY })).errors).toEqual([]);
    expect(await encumbrances()).toEqual(first);

    const clash = await t.import('property-control', file([lien({ id: 'ENC-9', rank: 2 })]), { today: TODAY });
    expect(clash.errors.map((e) => [e.row, e.field, e.rule])).toEqual([[1, 'rank', 'ENCUMBRANCE_RANK_DUPLICATE']]);
    expect(clash.errors[0]!.message).toContain('ENC-2, recorded');
    expect(await encumbrances()).toEqual(first);
  });
});
