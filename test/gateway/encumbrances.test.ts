import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar, orgCodeCheckChar } from '../../domain/identifiers';
import { importFile } from '../../importing/importFile';
import type { RunningGraph } from '../../scripts/graph';
import { copyTestProvince, postGraphQL, startGraphOn, testToday } from '../support/graph';

/**
 * Issue 15 item 4 end to end: mortgages imported through the documented format (importing/importFile.ts) onto a
 * private copy of the test province, read back on `Property` and `Debtor` through the gateway, batched in one
 * statement per request whatever the number of properties, and used by the assessment's SPREAD evidence.
 */
const today = testToday();
let dir: string;
let graph: RunningGraph;
const statements: string[] = [];

const org = 'MA9E7C01';
const body = `91510105${org}${orgCodeCheckChar(org)}`;
const DEBTOR = body + creditCodeCheckChar(body);
const CRIMINAL = '(2026)川0105执98001号';
const CIVIL = '(2026)川0105执98002号';
const BANK = '(2026)川0107执98003号';

function lines(name: string, rows: object[]): string {
  const f = path.join(dir, name);
  writeFileSync(f, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return f;
}

async function load(system: 'case-registry' | 'property-control', name: string, rows: object[]) {
  const report = await importFile(system, lines(name, rows), dir, { today });
  expect(report.errors).toEqual([]);
}

const debtorParty = { name: '成都示例置业有限公司', identifier: DEBTOR, divisionCode: '510105' };
const caseRow = (number: string, category: string, applicants: object[]) => ({
  type: 'case',
  number,
  status: 'EXECUTING',
  filedAt: '2026-04-01',
  lastActionAt: '2026-06-20',
  category,
  amountDue: '800000.00',
  debtors: [debtorParty],
  applicants,
});

beforeAll(async () => {
  dir = copyTestProvince();
  await load('case-registry', 'cases.jsonl', [
    caseRow(CRIMINAL, 'CRIMINAL_RESTITUTION', [
      { name: '李某', kind: 'NATURAL_PERSON' },
      { name: '王某', kind: 'NATURAL_PERSON' },
    ]),
    caseRow(CIVIL, 'COMMERCIAL', [{ name: '某建材公司', kind: 'LEGAL_PERSON' }]),
    caseRow(BANK, 'COMMERCIAL', [{ name: '中国建设银行成都分行', kind: 'LEGAL_PERSON' }]),
  ]);
  await load('property-control', 'property.jsonl', [
    {
      type: 'property',
      id: 'ENC-GW-1',
      kind: 'REAL_ESTATE',
      description: '青羊区某商业用房',
      ownerId: DEBTOR,
      ownerName: debtorParty.name,
      divisionCode: '510105',
      estimatedValue: '3000000.00',
      undisposedSince: '2026-04-10',
    },
    {
      type: 'measure',
      id: 'ENC-GW-M1',
      propertyId: 'ENC-GW-1',
      kind: 'SEAL',
      courtCode: '川0105',
      caseNumber: CRIMINAL,
      imposedAt: '2026-04-10',
      periodStartsAt: '2026-04-10',
      expiresAt: '2029-04-09',
      queuePosition: 1,
    },
  ]);
  graph = await startGraphOn(dir, { onQuery: (sql) => statements.push(sql) });
});

afterAll(async () => {
  await graph?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function ok<T>(query: string, variables: Record<string, unknown> = {}, as = '川'): Promise<T> {
  const { status, body } = await postGraphQL<T>(graph.gateway.url, query, variables, { as });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.data!;
}

type Rule = {
  id: string;
  met: boolean;
  observed: string;
  evidence: { detail: string; courts: { code: string }[]; properties: { id: string }[] };
};
const ASSESS = /* GraphQL */ `
  query ($id: ID!) {
    debtor(id: $id) {
      properties {
        id
        securedAmount
        encumbrances {
          rank
          holderName
        }
      }
      transferAssessment {
        recommendedMode
        explanation
        rules {
          id
          met
          observed
          evidence {
            detail
            courts {
              code
            }
            properties {
              id
            }
          }
        }
      }
    }
  }
`;
type Assessed = {
  debtor: {
    properties: { id: string; securedAmount: string; encumbrances: { rank: number; holderName: string }[] }[];
    transferAssessment: { recommendedMode: string | null; explanation: string; rules: Rule[] };
  };
};

describe('encumbrances through the gateway (issue 15 item 4)', () => {
  it('shows them on Property and Debtor, and the SPREAD evidence uses them', async () => {
    const before = await ok<Assessed>(ASSESS, { id: DEBTOR });
    expect(before.debtor.properties).toEqual([{ id: 'ENC-GW-1', securedAmount: '0.00', encumbrances: [] }]);
    const spreadBefore = before.debtor.transferAssessment.rules.find((r) => r.id === 'SPREAD')!;
    expect(spreadBefore.met).toBe(false);
    expect(before.debtor.transferAssessment.explanation).not.toContain('compete for ENC-GW-1');

    // The bank enforces its mortgage in 川0107 while 川0105 seals the property for the victims and a supplier.
    await load('property-control', 'encumbrances.jsonl', [
      {
        type: 'encumbrance',
        id: 'ENC-GW-E1',
        propertyId: 'ENC-GW-1',
        kind: 'MORTGAGE',
        holderName: '中国建设银行成都分行',
        holderKind: 'FINANCIAL_INSTITUTION',
        securedAmount: '2000000.00',
        rank: 1,
        registeredAt: '2020-08-01',
        enforcedInCase: BANK,
      },
      {
        type: 'encumbrance',
        id: 'ENC-GW-E2',
        propertyId: 'ENC-GW-1',
        kind: 'MORTGAGE',
        holderName: '赵某',
        holderKind: 'NATURAL_PERSON',
        securedAmount: '1500000.00',
        rank: 2,
        registeredAt: '2022-03-15',
      },
    ]);

    const property = await ok<{ property: Record<string, unknown> }>(/* GraphQL */ `
      {
        property(id: "ENC-GW-1") {
          estimatedValue
          securedAmount
          equityAfterEncumbrances
          encumbrances {
            id
            kind
            holderName
            holderKind
            securedAmount
            rank
            registeredAt
            enforcedInCaseNumber
          }
        }
      }
    `);
    expect(property.property).toEqual({
      estimatedValue: '3000000.00',
      securedAmount: '3500000.00',
      // Secured above the value: nothing left for unsecured creditors, never a negative figure.
      equityAfterEncumbrances: '0.00',
      encumbrances: [
        {
          id: 'ENC-GW-E1',
          kind: 'MORTGAGE',
          holderName: '中国建设银行成都分行',
          holderKind: 'FINANCIAL_INSTITUTION',
          securedAmount: '2000000.00',
          rank: 1,
          registeredAt: '2020-08-01',
          enforcedInCaseNumber: BANK,
        },
        {
          id: 'ENC-GW-E2',
          kind: 'MORTGAGE',
          holderName: '赵某',
          holderKind: 'NATURAL_PERSON',
          securedAmount: '1500000.00',
          rank: 2,
          registeredAt: '2022-03-15',
          enforcedInCaseNumber: null,
        },
      ],
    });

    const after = await ok<Assessed>(ASSESS, { id: DEBTOR });
    expect(after.debtor.properties[0]!.encumbrances).toEqual([
      { rank: 1, holderName: '中国建设银行成都分行' },
      { rank: 2, holderName: '赵某' },
    ]);
    const spread = after.debtor.transferAssessment.rules.find((r) => r.id === 'SPREAD')!;
    expect(spread.met).toBe(true);
    expect(spread.evidence.properties).toEqual([{ id: 'ENC-GW-1' }]);
    expect(spread.evidence.courts.map((c) => c.code)).toEqual(['川0105', '川0107']);
    expect(spread.evidence.detail).toContain(`mortgage rank 1 held by 中国建设银行成都分行 for 2000000.00 (enforced in ${BANK})`);
    expect(spread.evidence.detail).toContain(`criminal restitution (${CRIMINAL}) and ordinary creditors (${CIVIL})`);
    expect(after.debtor.transferAssessment.recommendedMode).toBe('COLLABORATIVE');
    expect(after.debtor.transferAssessment.explanation).toContain(
      'Mortgagees or pledgees, criminal-restitution victims and ordinary creditors compete for ENC-GW-1',
    );
  });

  it('keeps them inside the property scope: a court holding no measure on the property sees no property at all', async () => {
    const data = await ok<{ property: unknown }>('{ property(id: "ENC-GW-1") { encumbrances { holderName } } }', {}, '川0104');
    expect(data.property).toBeNull();
  });

  it('reads the encumbrances of 100 debtors’ properties in one statement, as of 10', async () => {
    // Give every property of the busiest owners a mortgage, so the rows grow with the debtors asked for.
    const db = new Database(path.join(dir, 'property-control.db'));
    const owners = (
      db
        .prepare(
          `select owner_id id from properties where owner_id is not null group by owner_id order by count(*) desc, owner_id limit 100`,
        )
        .all() as { id: string }[]
    ).map((r) => r.id);
    db.prepare(
      `insert or ignore into encumbrances (id, property_id, kind, holder_name, holder_kind, secured_amount, rank, registered_at, enforced_in_case)
       select 'B-' || id, id, 'MORTGAGE', '某银行', 'FINANCIAL_INSTITUTION', 100000, 1, '2020-01-01', null
       from properties where owner_id in (select value from json_each(?))`,
    ).run(JSON.stringify(owners));
    db.close();
    const walk = async (ids: string[]) => {
      statements.length = 0;
      const data = await ok<{ debtors: ({ properties: { encumbrances: unknown[] }[] | null } | null)[] }>(
        /* GraphQL */ `
          query ($ids: [ID!]!) {
            debtors(ids: $ids) {
              properties {
                securedAmount
                equityAfterEncumbrances
                encumbrances {
                  rank
                  holderName
                }
              }
            }
          }
        `,
        { ids },
      );
      const rows = data.debtors.flatMap((d) => d?.properties ?? []).reduce((n, p) => n + p.encumbrances.length, 0);
      return { rows, all: statements.length, encumbrances: statements.filter((q) => /from "encumbrances"/.test(q)).length };
    };
    const ten = await walk(owners.slice(0, 10));
    const hundred = await walk(owners);
    expect(hundred.rows).toBeGreaterThan(ten.rows);
    expect(ten.encumbrances).toBe(1);
    expect(hundred.encumbrances).toBe(1);
    expect(hundred.all).toBeLessThanOrEqual(ten.all);
  });
});
