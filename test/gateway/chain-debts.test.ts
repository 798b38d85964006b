import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar, orgCodeCheckChar } from '../../domain/identifiers';
import { importFile } from '../../importing/importFile';
import type { RunningGraph } from '../../scripts/graph';
import { copyTestProvince, postGraphQL, startGraphOn, testToday } from '../support/graph';

/**
 * Issue 15 item 7 end to end: a debtor's claims as applicant in other cases (连环债), imported through the documented
 * format onto a private copy of the test province and read through the gateway as `Debtor.claimsAsApplicant`, within
 * each viewer's court scope, in one statement per batch whatever the number of debtors.
 */
const today = testToday();
let dir: string;
let graph: RunningGraph;
const statements: string[] = [];

const code = (org: string, division: string) => {
  const body = `91${division}${org}${orgCodeCheckChar(org)}`;
  return body + creditCodeCheckChar(body);
};
const DEBTOR = code('MA9E7D01', '510105');
const OWES_IN_CHENGDU = code('MA9E7D02', '510104');
const OWES_IN_YIBIN = code('MA9E7D03', '511502');
const OWN_CASE = '(2026)川0105执98101号';
const CLAIM_CHENGDU = '(2025)川0104执98102号';
const CLAIM_YIBIN = '(2025)川1502执98103号';
const CONCLUDED = '(2025)川0104执98104号';
const RECOVERED = '(2025)川0104执98105号';

const debtorParty = { name: '成都连环示例贸易有限公司', identifier: DEBTOR, divisionCode: '510105' };
const row = (number: string, debtors: object[], applicants: object[], over: Record<string, unknown> = {}) => ({
  type: 'case',
  number,
  status: 'EXECUTING',
  filedAt: number.startsWith('(2026)') ? '2026-03-01' : '2025-03-01',
  category: 'COMMERCIAL',
  amountDue: '500000.00',
  debtors,
  applicants,
  ...over,
});

beforeAll(async () => {
  dir = copyTestProvince();
  const file = path.join(dir, 'chain.jsonl');
  const other = (identifier: string, name: string, divisionCode: string) => ({ name, identifier, divisionCode });
  writeFileSync(
    file,
    [
      row(OWN_CASE, [debtorParty], [{ name: '某银行', kind: 'LEGAL_PERSON' }]),
      row(CLAIM_CHENGDU, [other(OWES_IN_CHENGDU, '成都某下游公司', '510104')], [debtorParty], { amountRecovered: '100000.00' }),
      row(CLAIM_YIBIN, [other(OWES_IN_YIBIN, '宜宾某下游公司', '511502')], [debtorParty], {
        amountDue: '900000.00',
        status: 'CLOSED',
        closedAt: '2025-12-01',
        closure: 'TERMINATED_THIS_ROUND',
      }),
      row(CONCLUDED, [other(OWES_IN_CHENGDU, '成都某下游公司', '510104')], [debtorParty], {
        status: 'CLOSED',
        closedAt: '2025-10-01',
        closure: 'FULLY_EXECUTED',
        amountRecovered: '500000.00',
      }),
      row(RECOVERED, [other(OWES_IN_CHENGDU, '成都某下游公司', '510104')], [debtorParty], { amountRecovered: '500000.00' }),
    ]
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n',
  );
  expect((await importFile('case-registry', file, dir, { today })).errors).toEqual([]);
  graph = await startGraphOn(dir, { onQuery: (sql) => statements.push(sql) });
});

afterAll(async () => {
  await graph?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const CLAIMS = /* GraphQL */ `
  query ($id: ID!) {
    debtor(id: $id) {
      claimsAsApplicant {
        case {
          number
          court {
            code
          }
        }
        outstandingAmount
        debtors {
          name
          debtor {
            id
          }
        }
      }
    }
  }
`;
type Claims = {
  debtor: { claimsAsApplicant: { case: { number: string }; outstandingAmount: string; debtors: { name: string }[] }[] } | null;
};

async function claims(as: string) {
  const { status, body } = await postGraphQL<Claims>(graph.gateway.url, CLAIMS, { id: DEBTOR }, { as });
  expect(status).toBe(200);
  return body;
}

describe('chain debts: Debtor.claimsAsApplicant (issue 15 item 7)', () => {
  it('lists the claims not concluded that still owe money, largest first, with who owes them', async () => {
    const body = await claims('川');
    expect(body.errors).toBeUndefined();
    expect(body.data!.debtor!.claimsAsApplicant.map((c) => [c.case.number, c.outstandingAmount, c.debtors.map((d) => d.name)])).toEqual([
      // Closed as 终本 and not resumed: not concluded, the claim stands.
      [CLAIM_YIBIN, '900000.00', ['宜宾某下游公司']],
      [CLAIM_CHENGDU, '400000.00', ['成都某下游公司']],
    ]);
  });

  it("shows only the claims in cases the viewer's court scope holds", async () => {
    const chengdu = await claims('川01');
    expect(chengdu.errors).toBeUndefined();
    expect(chengdu.data!.debtor!.claimsAsApplicant.map((c) => c.case.number)).toEqual([CLAIM_CHENGDU]);
    // 川0105 executes the debtor's own case, so it sees the debtor, but neither claim's case.
    const own = await claims('川0105');
    expect(own.errors).toBeUndefined();
    expect(own.data!.debtor!.claimsAsApplicant).toEqual([]);
  });

  it("reads 100 debtors' claims in one statement, as 10 debtors'", async () => {
    // Make each of 100 debtors of the province an applicant in some other unclosed case, so the rows grow.
    const db = new Database(path.join(dir, 'case-registry.db'));
    const debtors = (
      db
        .prepare(
          `select person_id id from case_parties where role = 'DEBTOR' and person_id is not null group by person_id order by person_id limit 100`,
        )
        .all() as { id: string }[]
    ).map((r) => r.id);
    const open = db
      .prepare(`select number from cases where status != 'CLOSED' and amount_due > amount_recovered order by number limit 100`)
      .all() as { number: string }[];
    const add = db.prepare(
      `insert or ignore into case_parties (case_number, role, position, person_id, name, name_key, kind, division_code)
       values (?, 'APPLICANT', 90, ?, '连环债权人', '连环债权人', 'LEGAL_PERSON', null)`,
    );
    debtors.forEach((id, i) => add.run(open[i]!.number, id));
    db.close();
    const walk = async (ids: string[]) => {
      statements.length = 0;
      const { body } = await postGraphQL<{ debtors: ({ claimsAsApplicant: unknown[] } | null)[] }>(
        graph.gateway.url,
        'query ($ids: [ID!]!) { debtors(ids: $ids) { claimsAsApplicant { outstandingAmount case { number } debtors { name } } } }',
        { ids },
      );
      expect(body.errors).toBeUndefined();
      const rows = body.data!.debtors.reduce((n, d) => n + (d?.claimsAsApplicant.length ?? 0), 0);
      return {
        rows,
        all: statements.length,
        claims: statements.filter((q) => /"p"\."role" = \?/.test(q) && /c\.amount_due > c\.amount_recovered/.test(q)).length,
      };
    };
    const ten = await walk(debtors.slice(0, 10));
    const hundred = await walk(debtors);
    expect(ten.rows).toBeGreaterThanOrEqual(10);
    expect(hundred.rows).toBeGreaterThan(ten.rows);
    expect(ten.claims).toBe(1);
    expect(hundred.claims).toBe(1);
    expect(hundred.all).toBeLessThanOrEqual(ten.all);
  });
});
