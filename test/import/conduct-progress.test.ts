import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../domain/dates';
import type { RunningGraph } from '../../scripts/graph';
import { DIALECTS, postGraphQL, startGraphOn, testToday } from '../support/graph';
import { provinceTarget, type ImportTarget } from './targets';

/**
 * Issue 15 fact 6: a conduct obligation's dated progress events and a case with both a money and a conduct duty,
 * imported (good and bad rows), read on `Case` through the gateway (one statement per batch), and judged by
 * LONG_UNEXECUTED's conduct limb (执行程序若干问题的解释 Art. 10(3)).
 */
const DEBTOR = '11010519491231002X';
let dir: string;
let t: ImportTarget;
let graph: RunningGraph;
const statements: string[] = [];
const today = () => testToday();
const year = () => Number(today().slice(0, 4)) - 1;
const conductNumber = () => `(${year()})川0104执88801号`;
const mixedNumber = () => `(${year()})川0104执88802号`;
const moneyNumber = () => `(${year()})川0104执88803号`;

function writeLines(name: string, lines: unknown[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return file;
}
const caseLine = (number: string, over: Record<string, unknown>) => ({
  type: 'case',
  number,
  status: 'EXECUTING',
  filedAt: `${year()}-01-10`,
  category: 'CIVIL',
  debtors: [{ name: '示例侵权公司', identifier: DEBTOR, divisionCode: '510104' }],
  ...over,
});
const event = (caseNumber: string, seq: number, over: Record<string, unknown> = {}) => ({
  type: 'conductEvent',
  caseNumber,
  seq,
  occurredAt: `${year()}-03-01`,
  kind: 'MEASURE_TAKEN',
  description: '责令限期销毁侵权设备',
  ...over,
});
function eventRows(): Promise<unknown[]> {
  // The test's own cases: the generated province records progress of its conduct cases too (issue 15 item 3).
  return t
    .records('case-registry')
    .all(
      'select * from conduct_events where case_number in (?, ?, ?) order by case_number, seq',
      conductNumber(),
      mixedNumber(),
      moneyNumber(),
    );
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

  describe('import of conduct obligations and their progress', () => {
    it('refuses bad progress rows, naming row, field and rule, and writes nothing', async () => {
      const report = await t.import(
        'case-registry',
        writeLines('bad.jsonl', [
          caseLine(moneyNumber(), { amountDue: '1000.00' }),
          event(moneyNumber(), 1),
          event('(2025)川0104执999999号', 1),
          caseLine(conductNumber(), { obligation: 'CONDUCT', conductOrdered: '销毁侵权设备' }),
          event(conductNumber(), 1, { occurredAt: `${year()}-01-09` }),
          event(conductNumber(), 2, { kind: 'DONE' }),
          event(conductNumber(), 3, { description: '' }),
          event(conductNumber(), 4, { occurredAt: addDays(today(), 1) }),
        ]),
        { today: today() },
      );
      expect(report.written).toBe(0);
      expect(report.errors.map((e) => [e.row, e.field, e.rule])).toEqual([
        [2, 'caseNumber', 'CONDUCT_NOT_ORDERED'],
        [3, 'caseNumber', 'CASE_UNKNOWN'],
        [5, 'occurredAt', 'DATE_RANGE'],
        [6, 'kind', 'ENUM'],
        [7, 'description', 'REQUIRED'],
        [8, 'occurredAt', 'DATE_IN_FUTURE'],
      ]);
      expect(await eventRows()).toEqual([]);
    });

    it('writes a conduct case, a case with both duties and their events, idempotently', async () => {
      const file = writeLines('good.jsonl', [
        // A conduct case whose first measure came more than six months after filing: Art. 10(3) is met.
        caseLine(conductNumber(), { obligation: 'CONDUCT', conductOrdered: '销毁侵权设备' }),
        event(conductNumber(), 1, { occurredAt: addDays(addMonths(`${year()}-01-10`, 6), 1) }),
        event(conductNumber(), 2, {
          occurredAt: addDays(addMonths(`${year()}-01-10`, 7), 1),
          kind: 'PARTLY_PERFORMED',
          description: '销毁侵权设备12台',
        }),
        // One case with both duties: pay, and stop selling; the stopping was ordered within six months.
        caseLine(mixedNumber(), { amountDue: '80000.00', conductOrdered: '停止销售侵权产品' }),
        event(mixedNumber(), 1, { description: '责令停止销售' }),
      ]);
      const report = await t.import('case-registry', file, { today: today() });
      expect(report.errors).toEqual([]);
      const once = await eventRows();
      expect(once).toHaveLength(3);
      await t.import('case-registry', file, { today: today() });
      expect(await eventRows()).toEqual(once);
    });
  });

  describe('conduct through the gateway', () => {
    beforeAll(async () => {
      graph = await startGraphOn(dir, { databases: t.databases, onQuery: (sql) => statements.push(sql) });
    });

    it('shows both obligations of a mixed case and the progress of each, with one statement per batch', async () => {
      statements.length = 0;
      const { body } = await postGraphQL<{
        debtor: {
          cases: {
            number: string;
            obligation: string;
            obligations: string[];
            amountDue: string | null;
            conductOrdered: string | null;
            conductProgress: unknown[];
          }[];
        };
      }>(
        graph.gateway.url,
        `query ($id: ID!) { debtor(id: $id) { cases { number obligation obligations amountDue conductOrdered conductProgress { occurredAt kind description } } } }`,
        { id: DEBTOR },
      );
      expect(body.errors).toBeUndefined();
      const byNumber = new Map(body.data!.debtor.cases.map((c) => [c.number, c]));
      expect(byNumber.get(mixedNumber())).toEqual({
        number: mixedNumber(),
        obligation: 'MONEY',
        obligations: ['MONEY', 'CONDUCT'],
        amountDue: '80000.00',
        conductOrdered: '停止销售侵权产品',
        conductProgress: [{ occurredAt: `${year()}-03-01`, kind: 'MEASURE_TAKEN', description: '责令停止销售' }],
      });
      expect(byNumber.get(conductNumber())).toMatchObject({ obligations: ['CONDUCT'], amountDue: null });
      expect((byNumber.get(conductNumber())!.conductProgress as { kind: string }[]).map((e) => e.kind)).toEqual([
        'MEASURE_TAKEN',
        'PARTLY_PERFORMED',
      ]);
      expect(statements.filter((s) => /from "conduct_events"/.test(s))).toHaveLength(1);
    });

    it("judges LONG_UNEXECUTED's conduct limb on the recorded progress", async () => {
      const { body } = await postGraphQL<{
        debtor: {
          transferAssessment: { rules: { id: string; met: boolean; evidence: { cases: { number: string }[]; detail: string } }[] };
        };
      }>(
        graph.gateway.url,
        `query ($id: ID!) { debtor(id: $id) { transferAssessment { rules { id met evidence { cases { number } detail } } } } }`,
        { id: DEBTOR },
      );
      expect(body.errors).toBeUndefined();
      const rule = body.data!.debtor.transferAssessment.rules.find((r) => r.id === 'LONG_UNEXECUTED')!;
      expect(rule.met).toBe(true);
      expect(rule.evidence.cases.map((c) => c.number)).toEqual([conductNumber()]);
      expect(rule.evidence.detail).toContain(`no enforcement measure within 6 months of filing on ${year()}-01-10`);
    });
  });
});
