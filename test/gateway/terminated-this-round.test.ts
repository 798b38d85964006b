import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths } from '../../domain/dates';
import { creditCodeCheckChar, orgCodeCheckChar } from '../../domain/identifiers';
import { importFile } from '../../importing/importFile';
import type { RunningGraph } from '../../scripts/graph';
import { copyTestProvince, postGraphQL, startGraphOn, testToday } from '../support/graph';

/**
 * Issue 14 item 5 end to end, on debtors imported for it (docs/import.md) into a private copy of the test province:
 * - a debtor whose ten cases in two 成都 courts are all closed as 终结本次执行程序 (终本), beside one open review case:
 *   the registry reports them as 未实结, the assessment counts them (MANY_COURTS) and recommends centralized execution
 *   naming them; the decision resumes each as a 执恢 case in its lineage — moved to the receiving court, or continued
 *   at its own court when it is already there — and the seals follow (Case.measures of the new case);
 * - a debtor with one stuck 终本 case: a deadline order resumes it at its own court.
 */

const today = testToday();

let dir: string;
let graph: RunningGraph;

const creditCode = (head: string, org8: string) => {
  const first17 = `${head}${org8}${orgCodeCheckChar(org8)}`;
  return `${first17}${creditCodeCheckChar(first17)}`;
};
const SERIES = creditCode('91510104', 'MA6CXB01');
const SINGLE = creditCode('91510105', 'MA6CXB02');

const filedAt = addMonths(today, -8);
const closedAt = addMonths(today, -2);
const year = Number(filedAt.slice(0, 4));
const number = (court: string, type: string, seq: number) => `(${year})${court}${type}${seq}号`;

const series = {
  jinjiang: Array.from({ length: 6 }, (_, i) => number('川0104', '执', 880001 + i)),
  jinniu: Array.from({ length: 4 }, (_, i) => number('川0106', '执', 880101 + i)),
  review: number('川0106', '执异', 880201),
};
const single = number('川0105', '执', 880301);

function caseLine(n: string, debtor: string, over: Record<string, unknown> = {}) {
  return JSON.stringify({
    type: 'case',
    number: n,
    status: 'CLOSED',
    filedAt,
    closedAt,
    closure: 'TERMINATED_THIS_ROUND',
    category: 'COMMERCIAL',
    amountDue: '500000.00',
    amountRecovered: '0.00',
    lastActionAt: closedAt,
    debtors: [{ name: `终本测试公司${debtor.slice(-3)}`, identifier: debtor, divisionCode: '510104' }],
    ...over,
  });
}

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const sealOf = (id: string, propertyId: string, court: string, caseNumber: string) =>
  JSON.stringify({
    type: 'measure',
    id,
    propertyId,
    kind: 'SEAL',
    courtCode: court,
    caseNumber,
    imposedAt: addMonths(today, -7),
    periodStartsAt: addMonths(today, -7),
    expiresAt: addMonths(today, 29),
    queuePosition: 1,
  });

beforeAll(async () => {
  dir = copyTestProvince();
  const cases = await importFile(
    'case-registry',
    write('cases.jsonl', [
      ...series.jinjiang.map((n) => caseLine(n, SERIES)),
      ...series.jinniu.map((n) => caseLine(n, SERIES)),
      // An open objection (执异): a review case, heard not executed, with no amount of its own (issue 15 item 10:
      // an amount on it is refused); counted nowhere.
      caseLine(series.review, SERIES, { status: 'EXECUTING', closedAt: undefined, closure: undefined, amountDue: undefined }),
      caseLine(single, SINGLE),
    ]),
    dir,
    { today },
  );
  expect(cases.errors).toEqual([]);
  const property = await importFile(
    'property-control',
    write('property.jsonl', [
      ...[
        ['P-ZB-1', SERIES, '510104'],
        ['P-ZB-2', SERIES, '510106'],
        ['P-ZB-3', SINGLE, '510105'],
      ].map(([id, owner, division]) =>
        JSON.stringify({
          type: 'property',
          id,
          kind: 'REAL_ESTATE',
          description: '终本测试房产',
          ownerName: `终本测试公司${owner!.slice(-3)}`,
          ownerId: owner,
          divisionCode: division,
          estimatedValue: '800000.00',
          undisposedSince: addMonths(today, -7),
        }),
      ),
      // A seal by 锦江 in its first case, one by 金牛 in its first case, one by 青羊 in the single case.
      sealOf('M-ZB-1', 'P-ZB-1', '川0104', series.jinjiang[0]!),
      sealOf('M-ZB-2', 'P-ZB-2', '川0106', series.jinniu[0]!),
      sealOf('M-ZB-3', 'P-ZB-3', '川0105', single),
    ]),
    dir,
    { today },
  );
  expect(property.errors).toEqual([]);
  graph = await startGraphOn(dir);
});

afterAll(async () => {
  await graph?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function officerOf(court: string): string {
  const personnel = new Database(path.join(dir, 'personnel.db'), { readonly: true });
  try {
    return (personnel.prepare('select id from officers where court_code = ? order by id limit 1').get(court) as { id: string }).id;
  } finally {
    personnel.close();
  }
}

interface DebtorView {
  unclosedCases: { number: string; type: string }[];
  terminatedThisRoundCases: { number: string; status: string; closure: string }[];
  crossCourt: { unclosedCaseCount: number; terminatedThisRoundCaseCount: number; unconcludedCaseCount: number };
  transferAssessment: {
    recommendedMode: string | null;
    explanation: string;
    rules: { id: string; met: boolean; observed: string; evidence: { cases: { number: string }[] } }[];
    receivingCourts: { court: { code: string } }[];
    proposedCases: { number: string }[];
  };
}

async function debtor(id: string): Promise<DebtorView> {
  const { status, body } = await postGraphQL<{ debtor: DebtorView }>(
    graph.gateway.url,
    `query ($id: ID!) { debtor(id: $id) {
      unclosedCases { number type }
      terminatedThisRoundCases { number status closure }
      crossCourt { unclosedCaseCount terminatedThisRoundCaseCount unconcludedCaseCount }
      transferAssessment { recommendedMode explanation rules { id met observed evidence { cases { number } } }
        receivingCourts { court { code } } proposedCases { number } } } }`,
    { id },
    { as: '川01' },
  );
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.data!.debtor;
}

interface DecidedCase {
  from: { number: string; status: string; closure: string | null };
  to: {
    number: string;
    type: string;
    status: string;
    executingCourt: { code: string };
    lineageNumbers: string[];
    transferredFrom: { number: string } | null;
    measures: { id: string }[];
  } | null;
}

const DECIDE = `mutation ($input: DecideTransferInput!) { decideTransfer(input: $input) { transfer { id mode
  cases { from { number status closure } to { number type status executingCourt { code } lineageNumbers transferredFrom { number }
  measures { id } } } } } }`;

async function decide(input: Record<string, unknown>) {
  return postGraphQL<{ decideTransfer: { transfer: { id: string; mode: string; cases: DecidedCase[] } } }>(
    graph.gateway.url,
    DECIDE,
    {
      input: {
        decidingCourt: '川01',
        supervisor: officerOf('川01'),
        note: '终本案件恢复执行',
        idempotencyKey: `zb-${randomUUID()}`,
        ...input,
      },
    },
    { as: '川01' },
  );
}

const allSeries = [...series.jinjiang, ...series.jinniu].sort();

describe('a 终本-only debtor (issue 14 item 5)', () => {
  let receiving: string;

  it('has its 终本 cases reported as 未实结 by the registry, its review case counted nowhere', async () => {
    const d = await debtor(SERIES);
    expect(d.unclosedCases.map((c) => [c.number, c.type])).toEqual([[series.review, 'OBJECTION']]);
    expect(d.terminatedThisRoundCases.map((c) => c.number).sort()).toEqual(allSeries);
    expect(new Set(d.terminatedThisRoundCases.map((c) => `${c.status} ${c.closure}`))).toEqual(new Set(['CLOSED TERMINATED_THIS_ROUND']));
    expect(d.crossCourt).toEqual({ unclosedCaseCount: 0, terminatedThisRoundCaseCount: 10, unconcludedCaseCount: 10 });
  });

  it('is assessed on them: MANY_COURTS met by 10 未实结 cases, centralized execution naming every 终本 case', async () => {
    const a = (await debtor(SERIES)).transferAssessment;
    const many = a.rules.find((r) => r.id === 'MANY_COURTS')!;
    expect(many.met).toBe(true);
    expect(many.observed).toBe('10 未实结 implementation cases in 2 courts (10 of them closed as 终本, not concluded)');
    expect(many.evidence.cases.map((c) => c.number).sort()).toEqual(allSeries);
    expect(a.recommendedMode).toBe('CENTRALIZED');
    expect(a.proposedCases.map((c) => c.number)).toEqual(allSeries);
    receiving = a.receivingCourts[0]!.court.code;
    expect(['川0104', '川0106']).toContain(receiving);
  });

  it('a centralized decision naming them resumes each as a 执恢 case in its lineage, and the seals follow', async () => {
    const { status, body } = await decide({
      mode: 'CENTRALIZED',
      caseNumbers: allSeries,
      receivingCourt: receiving,
      reasons: ['MANY_COURTS'],
    });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const decided = body.data!.decideTransfer.transfer.cases;
    expect(decided.map((c) => c.from.number).sort()).toEqual(allSeries);
    const resumedNumbers = new Set<string>();
    for (const c of decided) {
      // The 终本 case keeps its closure: history is not rewritten.
      expect(c.from).toMatchObject({ status: 'CLOSED', closure: 'TERMINATED_THIS_ROUND' });
      const to = c.to!;
      expect(to.type).toBe('RESUMED_EXECUTION');
      expect(to.number).toMatch(new RegExp(`^\\(${today.slice(0, 4)}\\)${receiving}执恢\\d+号$`));
      expect(to).toMatchObject({ status: 'FILED', executingCourt: { code: receiving } });
      expect(to.lineageNumbers).toEqual([c.from.number, to.number]);
      // Moved from the other court: opened from it by the transfer; already at the receiving court: its continuation.
      const moved = !c.from.number.includes(receiving);
      expect(to.transferredFrom).toEqual(moved ? { number: c.from.number } : null);
      resumedNumbers.add(to.number);
    }
    expect(resumedNumbers.size).toBe(10);
    const resumedOf = (n: string) => decided.find((c) => c.from.number === n)!.to!;
    expect(resumedOf(series.jinjiang[0]!).measures.map((m) => m.id)).toEqual(['M-ZB-1']);
    expect(resumedOf(series.jinniu[0]!).measures.map((m) => m.id)).toEqual(['M-ZB-2']);
    expect(resumedOf(series.jinniu[1]!).measures).toEqual([]);

    // The registry now has them as unclosed 执恢 cases, and no 终本 case waits to be resumed.
    const after = await debtor(SERIES);
    expect(after.terminatedThisRoundCases).toEqual([]);
    expect(
      after.unclosedCases
        .filter((c) => c.type === 'RESUMED_EXECUTION')
        .map((c) => c.number)
        .sort(),
    ).toEqual([...resumedNumbers].sort());
    expect(after.crossCourt).toEqual({ unclosedCaseCount: 10, terminatedThisRoundCaseCount: 0, unconcludedCaseCount: 10 });
  });

  it('refuses to resume a 终本 case twice, pointing to the case that resumed it', async () => {
    const { body } = await decide({ mode: 'DEADLINE_ORDER', caseNumbers: [series.jinniu[2]!], reasons: ['LONG_UNEXECUTED'] });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', rule: 'CASE_ALREADY_MOVED', field: 'input.caseNumbers[0]' });
    expect(body.errors?.[0]?.message).toContain('already resumed as');
  });
});

describe('a stuck 终本 case under a deadline order (issue 14 item 5)', () => {
  it('is assessed as stuck and resumed at its own court by the order, keeping its seal', async () => {
    const a = (await debtor(SINGLE)).transferAssessment;
    expect(a.rules.find((r) => r.id === 'LONG_UNEXECUTED')!.met).toBe(true);
    expect(a.recommendedMode).toBe('DEADLINE_ORDER');
    expect(a.proposedCases.map((c) => c.number)).toEqual([single]);
    const { status, body } = await decide({ mode: 'DEADLINE_ORDER', caseNumbers: [single], reasons: ['LONG_UNEXECUTED'] });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const [c] = body.data!.decideTransfer.transfer.cases;
    expect(c!.from).toMatchObject({ number: single, status: 'CLOSED', closure: 'TERMINATED_THIS_ROUND' });
    expect(c!.to).toMatchObject({ type: 'RESUMED_EXECUTION', executingCourt: { code: '川0105' }, transferredFrom: null });
    expect(c!.to!.number).toMatch(new RegExp(`^\\(${today.slice(0, 4)}\\)川0105执恢\\d+号$`));
    expect(c!.to!.lineageNumbers).toEqual([single, c!.to!.number]);
    expect(c!.to!.measures.map((m) => m.id)).toEqual(['M-ZB-3']);
  });
});
