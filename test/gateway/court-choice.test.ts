import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../domain/dates';
import { creditCodeCheckChar, orgCodeCheckChar } from '../../domain/identifiers';
import { importFile } from '../../importing/importFile';
import type { RunningGraph } from '../../scripts/graph';
import { copyTestProvince, postGraphQL, startGraphOn, testToday } from '../support/graph';

/**
 * Issue 14 items 1 and 8 end to end, on debtors imported through the import format (docs/import.md) into a private
 * copy of the test province:
 * (a) a series over two prefectures with a criminal restitution case at the 成都 intermediate court (the first-instance
 *     criminal court): the candidates include the intermediate court and the high court, and the court the law would
 *     choose — the intermediate court of the prefecture holding the main property and most cases — ranks first;
 * (b) a deadline order decided through the gateway whose deadline has passed with the case still unexecuted: the next
 *     assessment escalates it (执行程序若干问题的解释 Art. 12) instead of ordering another deadline.
 */

const today = testToday();
let day = today;
let dir: string;
let graph: RunningGraph;
const statements: string[] = [];

const creditCode = (head: string, org8: string) => {
  const first17 = `${head}${org8}${orgCodeCheckChar(org8)}`;
  return `${first17}${creditCodeCheckChar(first17)}`;
};
const SERIES = creditCode('91510104', 'MA6CCT14');
const STUCK = creditCode('91510105', 'MA6CCT15');

let sequence = 880000;
const filed = addMonths(today, -8);
const year = filed.slice(0, 4);
function caseRow(debtor: string, name: string, court: string, over: Record<string, unknown> = {}) {
  sequence += 1;
  return {
    type: 'case',
    number: `(${year})${court}执${sequence}号`,
    status: 'EXECUTING',
    filedAt: filed,
    category: 'CIVIL',
    amountDue: '200000.00',
    amountRecovered: '0.00',
    lastActionAt: addDays(today, -20),
    debtors: [{ name, identifier: debtor, divisionCode: debtor === SERIES ? '510104' : '510105' }],
    applicants: [{ name: '成都示例银行', kind: 'LEGAL_PERSON', divisionCode: '510107' }],
    ...over,
  };
}

const series = { civil: [] as string[], criminal: '' };
let stuckCase = '';

function writeLines(name: string, rows: unknown[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return file;
}

beforeAll(async () => {
  dir = copyTestProvince();
  const rows: Record<string, unknown>[] = [];
  // Eight civil cases in 成都 (锦江 3, 青羊 2, 金牛 2, 武侯 1), four in 宜宾 (翠屏 2, 南溪 2); the criminal restitution
  // case at the 成都 intermediate court.
  for (const court of [
    '川0104',
    '川0104',
    '川0104',
    '川0105',
    '川0105',
    '川0106',
    '川0106',
    '川0107',
    '川1502',
    '川1502',
    '川1503',
    '川1503',
  ]) {
    rows.push(caseRow(SERIES, '选院测试集团有限公司', court));
  }
  rows.push(caseRow(SERIES, '选院测试集团有限公司', '川01', { category: 'CRIMINAL_RESTITUTION', amountDue: '3000000.00' }));
  series.civil = rows.slice(0, 12).map((r) => r.number as string);
  series.criminal = rows[12]!.number as string;
  // One stuck case at 双流 (川0115, light load in the test province): filed eight months ago, nothing recovered, but
  // acted on twenty days ago.
  rows.push(caseRow(STUCK, '督促测试有限公司', '川0115'));
  stuckCase = rows[13]!.number as string;
  // The 成都 intermediate court supervised it (督办) two months ago, without progress: IDLE_PROPERTY's second half
  // (issue 15 item 2).
  const supervision = {
    type: 'supervisionOrder',
    caseNumber: stuckCase,
    supervisedAt: addMonths(today, -2),
    supervisingCourt: '川01',
    outcome: 'NO_PROGRESS',
  };
  const registry = await importFile('case-registry', writeLines('cases.jsonl', [...rows, supervision]), dir, { today });
  expect(registry.errors).toEqual([]);
  const property = await importFile(
    'property-control',
    writeLines('property.jsonl', [
      {
        type: 'property',
        id: 'P-CC-PLAZA',
        kind: 'REAL_ESTATE',
        description: '成都市锦江区选院测试广场',
        ownerId: SERIES,
        ownerName: '选院测试集团有限公司',
        divisionCode: '510104',
        estimatedValue: '90000000.00',
        undisposedSince: addMonths(today, -2),
      },
      {
        type: 'measure',
        id: 'M-CC-1',
        propertyId: 'P-CC-PLAZA',
        kind: 'SEAL',
        courtCode: '川0104',
        caseNumber: series.civil[0],
        imposedAt: addMonths(today, -2),
        periodStartsAt: addMonths(today, -2),
        expiresAt: addMonths(today, 30),
        queuePosition: 1,
      },
      {
        type: 'measure',
        id: 'M-CC-2',
        propertyId: 'P-CC-PLAZA',
        kind: 'SEAL',
        courtCode: '川1502',
        caseNumber: series.civil[8],
        imposedAt: addMonths(today, -1),
        waiting: true,
        queuePosition: 2,
      },
      // The stuck case holds a small flat, sealed when it was filed eight months ago and not executed since (Art. 10's
      // test): already more than six months on the day before the order's deadline.
      {
        type: 'property',
        id: 'P-CC-STUCK',
        kind: 'REAL_ESTATE',
        description: '成都市双流区督促测试小区1栋1单元101',
        ownerId: STUCK,
        ownerName: '督促测试有限公司',
        divisionCode: '510116',
        estimatedValue: '200000.00',
        undisposedSince: addMonths(today, -8),
      },
      {
        type: 'measure',
        id: 'M-CC-STUCK',
        propertyId: 'P-CC-STUCK',
        kind: 'SEAL',
        courtCode: '川0115',
        caseNumber: stuckCase,
        imposedAt: addMonths(today, -8),
        periodStartsAt: addMonths(today, -8),
        expiresAt: addMonths(today, 28),
        queuePosition: 1,
      },
    ]),
    dir,
    { today },
  );
  expect(property.errors).toEqual([]);
  // The graph's day can be moved back to decide the deadline order when its deadline was still ahead.
  graph = await startGraphOn(dir, { today: () => day, onQuery: (sql) => statements.push(sql) });
});

afterAll(async () => {
  await graph?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface AssessmentView {
  recommendedMode: string | null;
  explanation: string;
  rules: { id: string; met: boolean }[];
  receivingCourts: { court: { code: string; level: string }; score: number; factors: { name: string; value: number; detail: string }[] }[];
  proposedCases: { number: string }[];
}

const ASSESS = `query ($id: ID!) { debtor(id: $id) { transferAssessment {
  recommendedMode explanation rules { id met }
  receivingCourts { court { code level } score factors { name value detail } }
  proposedCases { number }
} } }`;

async function assess(id: string): Promise<AssessmentView> {
  const { status, body } = await postGraphQL<{ debtor: { transferAssessment: AssessmentView } }>(graph.gateway.url, ASSESS, { id });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.data!.debtor.transferAssessment;
}

function officerOf(court: string): string {
  const personnel = new Database(path.join(dir, 'personnel.db'), { readonly: true });
  try {
    return (personnel.prepare('select id from officers where court_code = ? order by id limit 1').get(court) as { id: string }).id;
  } finally {
    personnel.close();
  }
}

describe('issue 14 item 1: a cross-prefecture series with a criminal restitution case', () => {
  it('offers the intermediate court and the high court, and ranks the intermediate court of 成都 first', async () => {
    const a = await assess(SERIES);
    expect(a.recommendedMode).toBe('CENTRALIZED');
    const codes = a.receivingCourts.map((c) => c.court.code);
    expect(codes).toEqual(expect.arrayContaining(['川01', '川', '川0104', '川0105', '川0106', '川0107', '川1502', '川1503']));
    // 成都 holds the main property and 9 of the 13 cases; the series spans two prefectures and has a criminal
    // restitution case at an intermediate court, so it needs an intermediate court.
    expect(codes[0]).toBe('川01');
    const first = a.receivingCourts[0]!;
    const f = (name: string) => first.factors.find((x) => x.name === name)!;
    expect(f('mainProperty').value).toBe(1);
    expect(f('mainProperty').detail).toContain('P-CC-PLAZA lies within the court');
    expect(f('cases').value).toBe(Number((9 / 13).toFixed(3)));
    expect(f('level').value).toBe(1);
    expect(f('level').detail).toContain(`criminal restitution case ${series.criminal} executed by an intermediate court`);
    expect(f('level').detail).toContain('cases in 2 prefectures');
    // Before issue 14 the basic court with most cases (川0104, holding the property) won on a 1.0 / 0.6 ladder.
    const jinjiang = a.receivingCourts.find((c) => c.court.code === '川0104')!;
    expect(jinjiang.score).toBeLessThan(first.score);
    expect(jinjiang.factors.find((x) => x.name === 'level')!.detail).toContain('below it');
    const high = a.receivingCourts.find((c) => c.court.code === '川')!;
    expect(high.factors.find((x) => x.name === 'level')!.value).toBe(0.2);
    // The criminal case stays, the civil series moves.
    expect(a.proposedCases.map((c) => c.number)).toEqual([...series.civil].sort());
    expect(a.explanation).toContain('川01 ranks first, the main property P-CC-PLAZA lying within its territorial jurisdiction');
  });
});

describe('issue 14 item 8: an expired deadline order is escalated', () => {
  const DECIDE = `mutation ($input: DecideTransferInput!) { decideTransfer(input: $input) { transfer { id mode deadline } } }`;
  let transferId = '';

  it('orders a deadline while no order has expired', async () => {
    const a = await assess(STUCK);
    expect(a.rules.filter((r) => r.met).map((r) => r.id)).toEqual(['IDLE_PROPERTY', 'LONG_UNEXECUTED']);
    expect(a.recommendedMode).toBe('DEADLINE_ORDER');
  });

  it('after a deadline order whose deadline passed with the case unexecuted, directs another court instead', async () => {
    // Decided four months ago by the 成都 intermediate court, with a deadline a month ago.
    day = addMonths(today, -4);
    const deadline = addMonths(today, -1);
    const { body } = await postGraphQL<{ decideTransfer: { transfer: { id: string; mode: string; deadline: string } } }>(
      graph.gateway.url,
      DECIDE,
      {
        input: {
          mode: 'DEADLINE_ORDER',
          caseNumbers: [stuckCase],
          decidingCourt: '川01',
          supervisor: officerOf('川01'),
          reasons: ['LONG_UNEXECUTED'],
          deadline,
          idempotencyKey: `court-choice-${randomUUID()}`,
        },
      },
      { as: '川01' },
    );
    expect(body.errors).toBeUndefined();
    transferId = body.data!.decideTransfer.transfer.id;
    expect(body.data!.decideTransfer.transfer).toMatchObject({ mode: 'DEADLINE_ORDER', deadline });

    // While the deadline runs, the assessment names the order and would still order a deadline.
    day = addDays(deadline, -1);
    const running = await assess(STUCK);
    expect(running.recommendedMode).toBe('DEADLINE_ORDER');
    expect(running.explanation).toContain(`The deadline order ${transferId} (川01) runs until ${deadline}`);

    day = today;
    const a = await assess(STUCK);
    expect(a.recommendedMode).toBe('DIRECTED');
    expect(a.proposedCases.map((c) => c.number)).toEqual([stuckCase]);
    const codes = a.receivingCourts.map((c) => c.court.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(codes).not.toContain('川0115');
    expect(a.receivingCourts.every((c) => c.court.level === 'BASIC' && c.court.code.startsWith('川01'))).toBe(true);
    expect(a.explanation).toContain(
      `The deadline order ${transferId} (川01, decided ${addMonths(today, -4)}, deadline ${deadline}) on ${stuckCase}`,
    );
    expect(a.explanation).toContain('执行程序若干问题的解释 Art. 11');
    expect(a.explanation).toContain('another deadline order is not open');
  });

  it('reads the history in one registry statement for any number of debtors', async () => {
    const HISTORY = `query ($ids: [ID!]!) { debtors(ids: $ids) { id transferHistory { transferId mode deadline decidingCourt { code } carriedOn { number } } } }`;
    const count = async (ids: string[]) => {
      statements.length = 0;
      const { body } = await postGraphQL<{ debtors: { id: string; transferHistory: { transferId: string; mode: string }[] }[] }>(
        graph.gateway.url,
        HISTORY,
        { ids },
      );
      expect(body.errors).toBeUndefined();
      return { history: statements.filter((s) => s.includes('case_parties') && s.includes('transfer_cases')).length, body };
    };
    const one = await count([STUCK]);
    expect(one.body.data!.debtors[0]!.transferHistory).toEqual([
      expect.objectContaining({ transferId, mode: 'DEADLINE_ORDER', decidingCourt: { code: '川01' }, carriedOn: { number: stuckCase } }),
    ]);
    const two = await count([STUCK, SERIES]);
    expect(two.body.data!.debtors.map((d) => d.transferHistory.length)).toEqual([1, 0]);
    expect(one.history).toBe(1);
    expect(two.history).toBe(1);
  });
});
