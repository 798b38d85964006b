import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGraph } from '../../scripts/graph';
import { DIALECTS, postGraphQL, startGraphOn, testToday } from '../support/graph';
import { provinceTarget, type ImportTarget } from './targets';

/**
 * Issue 15 fact 3: complaints (信访) against a case, imported (good and bad rows), read on `Case` through the gateway
 * with one statement per batch, and named in PASSIVE_EXECUTION's evidence.
 */
let dir: string;
let t: ImportTarget;
let graph: RunningGraph;
const statements: string[] = [];
let debtor: string;
let cases: { number: string; filed_at: string }[];

function writeLines(name: string, lines: unknown[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return file;
}
const complaint = (caseNumber: string, seq: number, over: Record<string, unknown> = {}) => ({
  type: 'complaint',
  caseNumber,
  seq,
  receivedAt: testToday(),
  kind: 'PASSIVE_EXECUTION',
  ...over,
});
/** The complaints on the two cases the tests write to (the generated province records others: issue 15 item 3). */
function complaintRows(): Promise<unknown[]> {
  return t
    .records('case-registry')
    .all('select * from complaints where case_number in (?, ?) order by case_number, seq', cases[0]!.number, cases[1]!.number);
}

describe.each(DIALECTS)('on %s', (dialect) => {
  beforeAll(async () => {
    t = await provinceTarget(dialect);
    dir = t.dir;
    const registry = t.records('case-registry');
    // A debtor with two open implementation cases and no complaint recorded against any of its cases.
    const row = (await registry.get<{ id: string }>(
      `select p.person_id as id from case_parties p join cases c on c.number = p.case_number
       where p.role = 'DEBTOR' and p.person_id is not null and c.status != 'CLOSED' and c.type_code = '执'
         and not exists (select 1 from case_parties q join complaints x on x.case_number = q.case_number
                          where q.person_id = p.person_id and q.role = 'DEBTOR')
       group by p.person_id having count(distinct c.number) >= 2 order by p.person_id limit 1`,
    ))!;
    debtor = row.id;
    cases = await registry.all<{ number: string; filed_at: string }>(
      `select c.number, c.filed_at from case_parties p join cases c on c.number = p.case_number
       where p.person_id = ? and p.role = 'DEBTOR' and c.status != 'CLOSED' and c.type_code = '执' order by c.number limit 2`,
      debtor,
    );
    expect(cases).toHaveLength(2);
  });

  afterAll(async () => {
    await graph?.close();
    await t?.drop();
  });

  describe('import of complaints', () => {
    it('refuses a file with a bad complaint row, naming row, field and rule, and writes nothing', async () => {
      const [a] = cases;
      const report = await t.import(
        'case-registry',
        writeLines('bad.jsonl', [
          complaint(a!.number, 1),
          complaint('(2025)川0104执999999号', 1),
          complaint(a!.number, 2, { receivedAt: '2000-01-01' }),
          complaint(a!.number, 3, { kind: 'RUDENESS' }),
          complaint(a!.number, 4, { outcome: 'DONE' }),
          complaint(a!.number, 0),
          complaint(a!.number, 5, { receivedAt: '2099-01-01' }),
          complaint(a!.number, 1),
        ]),
        { today: testToday() },
      );
      expect(report.written).toBe(0);
      expect(report.errors.map((e) => [e.row, e.field, e.rule])).toEqual([
        [2, 'caseNumber', 'CASE_UNKNOWN'],
        [3, 'receivedAt', 'COMPLAINT_BEFORE_FILING'],
        [4, 'kind', 'ENUM'],
        [5, 'outcome', 'ENUM'],
        [6, 'seq', 'INTEGER'],
        [7, 'receivedAt', 'DATE_IN_FUTURE'],
        [8, '(row)', 'DUPLICATE_KEY'],
      ]);
      expect(await complaintRows()).toEqual([]);
    });

    it('writes good rows keyed by case and seq, idempotently', async () => {
      const [a, b] = cases;
      const file = writeLines('good.jsonl', [
        complaint(a!.number, 1, { receivedAt: a!.filed_at, outcome: 'SUBSTANTIATED' }),
        complaint(a!.number, 2, { kind: 'IMPROPER_EXECUTION', outcome: 'UNSUBSTANTIATED' }),
        complaint(b!.number, 1),
      ]);
      expect((await t.import('case-registry', file, { today: testToday() })).errors).toEqual([]);
      const once = await complaintRows();
      expect(once).toHaveLength(3);
      await t.import('case-registry', file, { today: testToday() });
      expect(await complaintRows()).toEqual(once);
    });
  });

  describe('complaints through the gateway', () => {
    beforeAll(async () => {
      graph = await startGraphOn(dir, { databases: t.databases, onQuery: (sql) => statements.push(sql) });
    });

    it('shows them on Case, oldest first, with one statement for all the cases asked', async () => {
      statements.length = 0;
      const { body } = await postGraphQL<{ debtor: { cases: { number: string; complaints: unknown[] }[] } }>(
        graph.gateway.url,
        `query ($id: ID!) { debtor(id: $id) { cases { number complaints { receivedAt kind outcome } } } }`,
        { id: debtor },
      );
      expect(body.errors).toBeUndefined();
      const byNumber = new Map(body.data!.debtor.cases.map((c) => [c.number, c.complaints]));
      expect(byNumber.get(cases[0]!.number)).toEqual([
        { receivedAt: cases[0]!.filed_at, kind: 'PASSIVE_EXECUTION', outcome: 'SUBSTANTIATED' },
        { receivedAt: testToday(), kind: 'IMPROPER_EXECUTION', outcome: 'UNSUBSTANTIATED' },
      ]);
      expect(byNumber.get(cases[1]!.number)).toEqual([{ receivedAt: testToday(), kind: 'PASSIVE_EXECUTION', outcome: 'PENDING' }]);
      expect(body.data!.debtor.cases.length).toBeGreaterThanOrEqual(2);
      expect(statements.filter((s) => /from "complaints"/.test(s))).toHaveLength(1);
    });

    it("names them in PASSIVE_EXECUTION's evidence, without changing whether it is met", async () => {
      const { body } = await postGraphQL<{
        debtor: { transferAssessment: { rules: { id: string; met: boolean; observed: string; evidence: { detail: string } }[] } };
      }>(
        graph.gateway.url,
        `query ($id: ID!) { debtor(id: $id) { transferAssessment { rules { id met observed evidence { detail } } } } }`,
        {
          id: debtor,
        },
      );
      expect(body.errors).toBeUndefined();
      const rule = body.data!.debtor.transferAssessment.rules.find((r) => r.id === 'PASSIVE_EXECUTION')!;
      expect(rule.observed).toContain('3 complaints (信访) on open cases, 2 of passive execution pending or substantiated');
      expect(rule.evidence.detail).toContain(
        `${cases[0]!.number}: complaints (信访) ${cases[0]!.filed_at} PASSIVE_EXECUTION SUBSTANTIATED, ${testToday()} IMPROPER_EXECUTION UNSUBSTANTIATED`,
      );
    });
  });
});
