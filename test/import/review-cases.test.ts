import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGraph } from '../../scripts/graph';
import { DIALECTS, postGraphQL, startGraphOn, testToday } from '../support/graph';
import { provinceTarget, type ImportTarget } from './targets';

/**
 * Issue 15 item 10: a review case (执异, 执复, 执监, 执协, 执他) is imported as it really is — no amount, no conduct, no
 * control measures — refused when a row gives it one (REVIEW_CASE_NO_OBLIGATION, REVIEW_CASE_NO_MEASURES), stored and
 * served with `amountDue` null, and left out of the debtor's case figures and the case-count rule.
 */
const DEBTOR = '110105194912310038';
let dir: string;
let t: ImportTarget;
let graph: RunningGraph;
const today = () => testToday();
const year = () => Number(today().slice(0, 4)) - 1;
const execution = () => `(${year()})川0104执88901号`;
const objection = () => `(${year()})川0104执异88902号`;
const reconsideration = () => `(${year()})川01执复88903号`;

function writeLines(name: string, lines: unknown[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return file;
}
const caseLine = (number: string, over: Record<string, unknown> = {}) => ({
  type: 'case',
  number,
  status: 'EXECUTING',
  filedAt: `${year()}-02-10`,
  category: 'CIVIL',
  debtors: [{ name: '示例异议被执行人', identifier: DEBTOR, divisionCode: '510104' }],
  ...over,
});
const property = {
  type: 'property',
  id: 'I15-R-P1',
  kind: 'REAL_ESTATE',
  description: '成都市锦江区示例路9号',
  ownerName: '示例异议被执行人',
};
const seal = (id: string, caseNumber: string) => ({
  type: 'measure',
  id,
  propertyId: 'I15-R-P1',
  kind: 'SEAL',
  courtCode: '川0104',
  caseNumber,
  imposedAt: `${year()}-02-20`,
  periodStartsAt: `${year()}-02-20`,
  expiresAt: `${year() + 3}-02-19`,
  queuePosition: 1,
});
function caseRow(number: string): Promise<Record<string, unknown> | undefined> {
  return t
    .records('case-registry')
    .get('select type_code, obligation, amount_due, amount_recovered, conduct_ordered from cases where number = ?', number);
}

describe.each(DIALECTS)('on %s', (dialect) => {
  beforeAll(async () => {
    t = await provinceTarget(dialect);
    dir = t.dir;
  });
  afterAll(async () => {
    await graph?.close();
    await t?.drop();
  });

  describe('import of review cases', () => {
    it('refuses an amount, an amount recovered or a conduct duty on a review case, naming the field, and writes nothing', async () => {
      const report = await t.import(
        'case-registry',
        writeLines('bad.jsonl', [
          caseLine(objection(), { amountDue: '5000.00' }),
          caseLine(reconsideration(), { amountRecovered: '10.00' }),
          caseLine(`(${year()})川0104执监88904号`, { obligation: 'CONDUCT' }),
          caseLine(`(${year()})川0104执协88905号`, { conductOrdered: '停止销售' }),
          // An implementation case still needs its amount.
          caseLine(execution()),
        ]),
        { today: today() },
      );
      expect(report.written).toBe(0);
      expect(report.errors.map((e) => [e.row, e.field, e.rule])).toEqual([
        [1, 'amountDue', 'REVIEW_CASE_NO_OBLIGATION'],
        [2, 'amountRecovered', 'REVIEW_CASE_NO_OBLIGATION'],
        [3, 'obligation', 'REVIEW_CASE_NO_OBLIGATION'],
        [4, 'conductOrdered', 'REVIEW_CASE_NO_OBLIGATION'],
        [5, 'amountDue', 'REQUIRED'],
      ]);
      expect(report.errors[0]!.message).toContain('review case (执异)');
      expect(await caseRow(objection())).toBeUndefined();
    });

    it('imports a review case without an amount beside the implementation case it concerns, idempotently', async () => {
      const file = writeLines('good.jsonl', [
        caseLine(execution(), { amountDue: '120000.00' }),
        caseLine(objection()),
        // "0.00" recovered is no amount: taken as given by an export that fills every field.
        caseLine(reconsideration(), { amountRecovered: '0.00' }),
      ]);
      expect((await t.import('case-registry', file, { today: today() })).errors).toEqual([]);
      expect(await caseRow(objection())).toEqual({
        type_code: '执异',
        obligation: 'MONEY',
        amount_due: null,
        amount_recovered: 0,
        conduct_ordered: null,
      });
      expect(await caseRow(reconsideration())).toMatchObject({ type_code: '执复', amount_due: null });
      expect((await t.import('case-registry', file, { today: today() })).errors).toEqual([]);
    });

    it('refuses a measure of a review case, in either number form, and takes the implementation case’s', async () => {
      const bad = await t.import(
        'property-control',
        writeLines('bad-measures.jsonl', [
          property,
          seal('I15-R-M1', objection()),
          seal('I15-R-M2', '(2015)锦江执异字第12号'),
          seal('I15-R-M3', execution()),
        ]),
        { today: today() },
      );
      expect(bad.errors.map((e) => [e.row, e.field, e.rule])).toEqual([
        [2, 'caseNumber', 'REVIEW_CASE_NO_MEASURES'],
        [3, 'caseNumber', 'REVIEW_CASE_NO_MEASURES'],
      ]);
      const good = await t.import('property-control', writeLines('measures.jsonl', [property, seal('I15-R-M3', execution())]), {
        today: today(),
      });
      expect(good.errors).toEqual([]);
    });
  });

  describe('review cases through the gateway', () => {
    beforeAll(async () => {
      graph = await startGraphOn(dir, { databases: t.databases });
    });

    it('serves a review case with amountDue null and no obligation, and counts only the implementation case', async () => {
      const { body } = await postGraphQL<{
        debtor: {
          cases: { number: string; type: string; amountDue: string | null; obligations: string[]; measures: { id: string }[] }[];
          crossCourt: { unclosedCaseCount: number; outstandingAmount: string; courtCount: number };
          transferAssessment: { rules: { id: string; met: boolean; evidence: { detail: string } }[] };
        };
      }>(
        graph.gateway.url,
        `query ($id: ID!) { debtor(id: $id) {
         cases { number type amountDue obligations measures { id } }
         crossCourt { unclosedCaseCount outstandingAmount courtCount }
         transferAssessment { rules { id met evidence { detail } } } } }`,
        { id: DEBTOR },
      );
      expect(body.errors).toBeUndefined();
      const d = body.data!.debtor;
      const byNumber = new Map(d.cases.map((c) => [c.number, c]));
      expect(byNumber.get(objection())).toMatchObject({ amountDue: null, obligations: [], measures: [] });
      expect(byNumber.get(reconsideration())).toMatchObject({ amountDue: null, obligations: [] });
      expect(byNumber.get(execution())).toMatchObject({ amountDue: '120000.00', obligations: ['MONEY'], measures: [{ id: 'I15-R-M3' }] });
      // The figures are the implementation case's alone: one case, one court, its amount.
      expect(d.crossCourt).toEqual({ unclosedCaseCount: 1, outstandingAmount: '120000.00', courtCount: 1 });
      const manyCourts = d.transferAssessment.rules.find((r) => r.id === 'MANY_COURTS')!;
      expect(manyCourts.met).toBe(false);
      expect(manyCourts.evidence.detail).toContain(`not counted (review cases): ${objection()}, ${reconsideration()}`);
    });
  });
});
