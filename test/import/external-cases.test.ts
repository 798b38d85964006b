import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGraph } from '../../scripts/graph';
import { DIALECTS, postGraphQL, startGraphOn, testToday } from '../support/graph';
import { provinceTarget, type ImportTarget } from './targets';

/**
 * Issue 15 fact 5: related cases in other provinces' courts, imported against the province's debtors, read on `Debtor`
 * through the gateway, counted in SPREAD's evidence, and never moved by a Sichuan decision.
 */
let dir: string;
let t: ImportTarget;
let graph: RunningGraph;
const statements: string[] = [];
let debtorA: string;
let debtorB: string;
let sichuanCase: string;

function writeLines(name: string, lines: unknown[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return file;
}

const external = (number: string, debtorId: string, over: Record<string, unknown> = {}) => ({
  type: 'externalCase',
  number,
  courtName: '山东省德州市中级人民法院',
  debtorId,
  status: 'EXECUTING',
  filedAt: `${number.slice(1, 5)}-04-01`,
  amountDue: '2500000.00',
  ...over,
});

async function fingerprint(): Promise<string> {
  const registry = t.records('case-registry');
  return JSON.stringify([
    await registry.all('select * from external_cases order by number'),
    await registry.get('select count(*) as n from cases'),
  ]);
}

describe.each(DIALECTS)('on %s', (dialect) => {
  beforeAll(async () => {
    t = await provinceTarget(dialect);
    dir = t.dir;
    const debtors = await t.records('case-registry').all<{ id: string; number: string }>(
      `select p.person_id id, min(c.number) number from case_parties p join cases c on c.number = p.case_number
       where p.role = 'DEBTOR' and p.person_id is not null and c.status != 'CLOSED' and c.type_code = '执'
         -- the generated province links related cases to some debtors (issue 15 item 3): take two it left without
         and not exists (select 1 from external_cases x where x.debtor_id = p.person_id)
       group by p.person_id order by p.person_id limit 2`,
    );
    expect(debtors).toHaveLength(2);
    [debtorA, debtorB] = debtors.map((d) => d.id) as [string, string];
    sichuanCase = debtors[0]!.number;
  });

  afterAll(async () => {
    await graph?.close();
    await t?.drop();
  });

  describe('import of external cases', () => {
    it('refuses a file with any bad external case row, naming row, field and rule, and writes nothing', async () => {
      const before = await fingerprint();
      const report = await t.import(
        'case-registry',
        writeLines('bad.jsonl', [
          external('(2023)鲁14执123号', debtorA),
          external('(2023)川0104执123号', debtorA),
          external('(2023)港01执1号', debtorA),
          external('(2023)粤0304执9号', '91510104MA0000000X'),
          external('(2023)粤0304执10号', '11010519491231002X'),
          external('(2023)鲁14执124号', debtorA, { filedAt: '2024-01-02' }),
          external('(2023)鲁14执125号', debtorA, { status: 'CLOSED' }),
          external('(2023)鲁14执126号', debtorA, { amountDue: 2500 }),
          external('(2023)鲁14执123号', debtorA),
        ]),
        { today: testToday() },
      );
      expect(report.written).toBe(0);
      expect(report.errors.map((e) => [e.row, e.field, e.rule])).toEqual([
        [2, 'number', 'EXTERNAL_COURT_PROVINCE'],
        [3, 'number', 'EXTERNAL_COURT_PROVINCE'],
        [4, 'debtorId', expect.stringMatching(/^CREDIT_CODE_/)],
        [5, 'debtorId', 'EXTERNAL_DEBTOR_UNKNOWN'],
        [6, 'filedAt', 'FILING_YEAR'],
        [7, 'closedAt', 'CLOSED_NEEDS_DATE_AND_CLOSURE'],
        [8, 'amountDue', 'MONEY_FORMAT'],
        [9, '(row)', 'DUPLICATE_KEY'],
      ]);
      expect(await fingerprint()).toBe(before);
    });

    it('writes good rows, canonical and idempotent', async () => {
      const file = writeLines('good.jsonl', [
        external('（2023）鲁14执123号', debtorA),
        external('(2024)粤0304执恢88号', debtorA, { courtName: '深圳市福田区人民法院', amountDue: undefined }),
        external('(2021)渝01执7号', debtorA, { courtName: '重庆市第一中级人民法院', status: 'CLOSED', closedAt: '2022-05-06' }),
        external('(2025)黔03执5号', debtorB, { courtName: '遵义市中级人民法院' }),
      ]);
      type Row = { number: string; province: string; court_code: string };
      // The generated province's own external cases (issue 15 item 3) stay as they were; the file adds these four.
      const generated = new Set((JSON.parse(await fingerprint())[0] as Row[]).map((r) => r.number));
      const report = await t.import('case-registry', file, { today: testToday() });
      expect(report.errors).toEqual([]);
      expect(report.written).toBe(4);
      const once = await fingerprint();
      expect((JSON.parse(once)[0] as Row[]).filter((r) => generated.has(r.number))).toHaveLength(generated.size);
      expect(
        (JSON.parse(once)[0] as Row[]).filter((r) => !generated.has(r.number)).map((r) => [r.number, r.province, r.court_code]),
      ).toEqual([
        ['(2021)渝01执7号', '渝', '渝01'],
        ['(2023)鲁14执123号', '鲁', '鲁14'],
        ['(2024)粤0304执恢88号', '粤', '粤0304'],
        ['(2025)黔03执5号', '黔', '黔03'],
      ]);
      await t.import('case-registry', file, { today: testToday() });
      expect(await fingerprint()).toBe(once);
    });
  });

  describe('external cases through the gateway', () => {
    beforeAll(async () => {
      graph = await startGraphOn(dir, { databases: t.databases, onQuery: (sql) => statements.push(sql) });
    });

    it('shows them on Debtor, newest first, with one statement for the batch of debtors', async () => {
      statements.length = 0;
      const { body } = await postGraphQL<{
        debtors: { id: string; externalCases: Record<string, unknown>[] }[];
      }>(
        graph.gateway.url,
        `query ($ids: [ID!]!) { debtors(ids: $ids) { id externalCases { number province provinceName courtCode courtName type status filedAt closedAt amountDue } } }`,
        { ids: [debtorA, debtorB] },
      );
      expect(body.errors).toBeUndefined();
      const [a, b] = body.data!.debtors;
      expect(a!.externalCases.map((e) => e.number)).toEqual(['(2024)粤0304执恢88号', '(2023)鲁14执123号', '(2021)渝01执7号']);
      expect(a!.externalCases[1]).toEqual({
        number: '(2023)鲁14执123号',
        province: '鲁',
        provinceName: '山东省',
        courtCode: '鲁14',
        courtName: '山东省德州市中级人民法院',
        type: 'FIRST_EXECUTION',
        status: 'EXECUTING',
        filedAt: '2023-04-01',
        closedAt: null,
        amountDue: '2500000.00',
      });
      expect(a!.externalCases[0]).toMatchObject({ type: 'RESUMED_EXECUTION', amountDue: null });
      expect(b!.externalCases.map((e) => e.number)).toEqual(['(2025)黔03执5号']);
      expect(statements.filter((s) => /from "external_cases"/.test(s))).toHaveLength(1);
    });

    it("counts the open ones in SPREAD's evidence, not towards its threshold", async () => {
      const { body } = await postGraphQL<{
        debtor: { transferAssessment: { rules: { id: string; met: boolean; observed: string; evidence: { detail: string } }[] } };
      }>(
        graph.gateway.url,
        `query ($id: ID!) { debtor(id: $id) { transferAssessment { rules { id met observed evidence { detail } } } } }`,
        {
          id: debtorA,
        },
      );
      expect(body.errors).toBeUndefined();
      const rule = body.data!.debtor.transferAssessment.rules.find((r) => r.id === 'SPREAD')!;
      expect(rule.observed).toContain('2 open related cases outside Sichuan (粤, 鲁)');
      expect(rule.evidence.detail).toContain('outside Sichuan: (2023)鲁14执123号, (2024)粤0304执恢88号');
      expect(rule.evidence.detail).not.toContain('(2021)渝01执7号');
    });

    it('refuses a Sichuan decision naming one, with a stable code naming the field', async () => {
      const supervisor = (await t
        .records('personnel')
        .get<{ id: string }>(`select id from officers where court_code = '川' order by id limit 1`))!.id;
      const before = await fingerprint();
      const { body } = await postGraphQL(
        graph.gateway.url,
        `mutation ($input: DecideTransferInput!) { decideTransfer(input: $input) { transfer { id } } }`,
        {
          input: {
            mode: 'ELEVATED',
            caseNumbers: [sichuanCase, '(2023)鲁14执123号'],
            receivingCourt: '川',
            decidingCourt: '川',
            supervisor,
            reasons: ['SPREAD'],
            idempotencyKey: `external-${randomUUID()}`,
          },
        },
      );
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.caseNumbers[1]', rule: 'EXTERNAL_CASE_STAYS' });
      expect(body.errors![0]!.message).toContain('(2023)鲁14执123号');
      expect(await fingerprint()).toBe(before);
    });
  });
});
