import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths } from '../../domain/dates';
import { creditCodeCheckChar, orgCodeCheckChar } from '../../domain/identifiers';
import { importFile } from '../../importing/importFile';
import type { RunningGraph } from '../../scripts/graph';
import { copyTestProvince, postGraphQL, startGraphOn, testToday } from '../support/graph';

/**
 * Issue 15 item 2 end to end: a higher court's supervision (督办) of a case is imported into the registry (docs/import.md),
 * read back on the case, and IDLE_PROPERTY's real test — a property idle six months or more *and supervision brought no
 * progress* — judges it through the gateway (the 督办 reaches coordination through Debtor.transferAssessment's @requires).
 */
const today = testToday();
let dir: string;
let graph: RunningGraph;

const creditCode = (org8: string) => {
  const first17 = `91510104${org8}${orgCodeCheckChar(org8)}`;
  return `${first17}${creditCodeCheckChar(first17)}`;
};
const filedAt = addMonths(today, -10);
const idleSince = addMonths(today, -9);
const supervisedAt = addMonths(today, -2);
const scenarios = [
  { key: 'failed', debtor: creditCode('MA6DB001'), outcome: 'NO_PROGRESS' },
  { key: 'progress', debtor: creditCode('MA6DB002'), outcome: 'PROGRESS' },
  { key: 'none', debtor: creditCode('MA6DB003'), outcome: null },
] as const;
const numberOf = (i: number) => `(${filedAt.slice(0, 4)})川0104执${780001 + i}号`;

const write = (name: string, lines: unknown[]) => {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return file;
};

beforeAll(async () => {
  dir = copyTestProvince();
  const cases = scenarios.map((s, i) => ({
    type: 'case',
    number: numberOf(i),
    status: 'EXECUTING',
    filedAt,
    category: 'CIVIL',
    amountDue: '800000.00',
    lastActionAt: addMonths(today, -1),
    debtors: [{ name: `督办测试公司${i}`, identifier: s.debtor, divisionCode: '510104' }],
  }));
  const orders = scenarios.flatMap((s, i) =>
    s.outcome ? [{ type: 'supervisionOrder', caseNumber: numberOf(i), supervisedAt, supervisingCourt: '川01', outcome: s.outcome }] : [],
  );
  expect((await importFile('case-registry', write('db-cases.jsonl', [...cases, ...orders]), dir, { today })).errors).toEqual([]);
  const property = scenarios.flatMap((s, i) => [
    {
      type: 'property',
      id: `P-DB-${i}`,
      kind: 'REAL_ESTATE',
      description: '督办测试房产',
      ownerName: `督办测试公司${i}`,
      ownerId: s.debtor,
      divisionCode: '510104',
      estimatedValue: '900000.00',
      undisposedSince: idleSince,
    },
    {
      type: 'measure',
      id: `M-DB-${i}`,
      propertyId: `P-DB-${i}`,
      kind: 'SEAL',
      courtCode: '川0104',
      caseNumber: numberOf(i),
      imposedAt: idleSince,
      periodStartsAt: idleSince,
      expiresAt: addMonths(idleSince, 36),
      queuePosition: 1,
    },
  ]);
  expect((await importFile('property-control', write('db-property.jsonl', property), dir, { today })).errors).toEqual([]);
  graph = await startGraphOn(dir);
});

afterAll(async () => {
  await graph?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Verdict {
  id: string;
  met: boolean;
  threshold: string;
  evidence: { cases: { number: string }[]; properties: { id: string }[]; detail: string };
}

async function idleProperty(debtor: string): Promise<Verdict> {
  const { status, body } = await postGraphQL<{ debtor: { transferAssessment: { rules: Verdict[] } } }>(
    graph.gateway.url,
    `query ($id: ID!) { debtor(id: $id) { transferAssessment { rules { id met threshold
      evidence { cases { number } properties { id } detail } } } } }`,
    { id: debtor },
  );
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.data!.debtor.transferAssessment.rules.find((r) => r.id === 'IDLE_PROPERTY')!;
}

describe('supervision by a higher court (督办), through the gateway (issue 15 item 2)', () => {
  it('reads back on the case with its date, court and outcome', async () => {
    const { body } = await postGraphQL<{ case: { supervisionOrders: unknown[] } }>(
      graph.gateway.url,
      `query ($n: String!) { case(number: $n) { supervisionOrders { supervisedAt supervisingCourt { code name } outcome note } } }`,
      { n: numberOf(0) },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.case.supervisionOrders).toEqual([
      { supervisedAt, supervisingCourt: { code: '川01', name: '成都市中级人民法院' }, outcome: 'NO_PROGRESS', note: null },
    ]);
  });

  it('IDLE_PROPERTY is met for a property idle nine months after a 督办 without progress, not after one with progress or none', async () => {
    const failed = await idleProperty(scenarios[0].debtor);
    expect(failed.met).toBe(true);
    expect(failed.evidence.properties.map((p) => p.id)).toEqual(['P-DB-0']);
    expect(failed.evidence.cases.map((c) => c.number)).toEqual([numberOf(0)]);
    expect(failed.evidence.detail).toContain(`督办 by 川01 on ${supervisedAt} of ${numberOf(0)}: no progress`);
    const progress = await idleProperty(scenarios[1].debtor);
    expect(progress.met).toBe(false);
    expect(progress.evidence.detail).toContain(`督办 by 川01 on ${supervisedAt} of ${numberOf(1)}: PROGRESS`);
    const none = await idleProperty(scenarios[2].debtor);
    expect(none.met).toBe(false);
    expect(none.evidence.detail).toContain('P-DB-2');
    expect(none.evidence.detail).toContain('no 督办 since it became idle');
  });

  it('the import refuses a 督办 by a court not above the executing court, an unknown outcome, or one before filing', async () => {
    const report = await importFile(
      'case-registry',
      write('db-bad.jsonl', [
        { type: 'supervisionOrder', caseNumber: numberOf(2), supervisedAt, supervisingCourt: '川0105', outcome: 'NO_PROGRESS' },
        { type: 'supervisionOrder', caseNumber: numberOf(2), supervisedAt, supervisingCourt: '川15', outcome: 'NO_PROGRESS' },
        { type: 'supervisionOrder', caseNumber: numberOf(2), supervisedAt, supervisingCourt: '川', outcome: 'DONE' },
        {
          type: 'supervisionOrder',
          caseNumber: numberOf(2),
          supervisedAt: addMonths(filedAt, -1),
          supervisingCourt: '川',
          outcome: 'PENDING',
        },
        { type: 'supervisionOrder', caseNumber: '(2025)川0104执999999号', supervisedAt, supervisingCourt: '川', outcome: 'PENDING' },
      ]),
      dir,
      { today },
    );
    expect(report.written).toBe(0);
    expect(report.errors.map((e) => [e.row, e.field, e.rule])).toEqual([
      [1, 'supervisingCourt', 'SUPERVISING_COURT_ABOVE'],
      [2, 'supervisingCourt', 'SUPERVISING_COURT_ABOVE'],
      [3, 'outcome', 'ENUM'],
      [4, 'supervisedAt', 'DATE_RANGE'],
      [5, 'caseNumber', 'CASE_UNKNOWN'],
    ]);
    expect(report.errors[0]!.message).toBe(`川0105 is not above 川0104, the court executing ${numberOf(2)}`);
  });
});
