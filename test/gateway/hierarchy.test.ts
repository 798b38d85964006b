import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../domain/dates';
import { creditCodeCheckChar, orgCodeCheckChar } from '../../domain/identifiers';
import type { RunningGraph } from '../../scripts/graph';
import { copyTestProvince, postGraphQL, startGraphOn, testToday } from '../support/graph';

/**
 * Issue 14 items 2, 3 and 6 end to end, on debtors built for them in a private copy of the test province:
 * - a series over three prefectures' courts with a criminal restitution case and two review cases among them: the
 *   standard's MANY_COURTS (10 cases over 3 courts; the old rule wanted 10 courts) counts the criminal case, not the
 *   review cases, and the proposed centralized decision moves neither; decideTransfer refuses moving them;
 * - a collaboration across levels and prefectures (a basic court of 成都 and the intermediate court of 宜宾, both
 *   sealing one building): the
 *   assessment names the high court as coordinator, and decideTransfer refuses a coordinator below it.
 */

const today = testToday();
const year = Number(today.slice(0, 4));

let dir: string;
let graph: RunningGraph;
let registry: Database.Database;

/** A valid credit code: authority, category and division, then the organisation code and both check characters. */
const creditCode = (head: string, org8: string) => {
  const first17 = `${head}${org8}${orgCodeCheckChar(org8)}`;
  return `${first17}${creditCodeCheckChar(first17)}`;
};
const SERIES_DEBTOR = creditCode('91510104', 'MA6CXH14');
const COLLAB_DEBTOR = creditCode('91510105', 'MA6CXH15');

let sequence = 990000;
/** Inserts an open, active, recent money case against `debtor` and returns its number. */
function insertCase(debtor: string, court: string, over: { typeCode?: string; category?: string } = {}): string {
  const typeCode = over.typeCode ?? '执';
  sequence += 1;
  const number = `(${year})${court}${typeCode}${sequence}号`;
  registry
    .prepare(
      `insert into cases (number, year, court_code, type_code, sequence, executing_court, status, filed_at, closed_at, closure,
         obligation, category, conduct_ordered, amount_due, amount_recovered, handler_id, lineage_root, transferred_from,
         last_action_at, settled_at)
       values (?, ?, ?, ?, ?, ?, 'EXECUTING', ?, null, null, 'MONEY', ?, null, 10000000, 0, null, ?, null, ?, null)`,
    )
    .run(number, year, court, typeCode, sequence, court, addMonths(today, -2), over.category ?? 'CIVIL', number, addDays(today, -10));
  registry
    .prepare(
      `insert into case_parties (case_number, role, position, person_id, name, name_key, kind, division_code)
       values (?, 'DEBTOR', 1, ?, ?, ?, 'LEGAL_PERSON', ?)`,
    )
    .run(number, debtor, `层级测试公司${debtor.slice(-4)}`, `层级测试${debtor.slice(-4)}`, '510104');
  return number;
}

const series = { civil: [] as string[], criminal: '', review: [] as string[] };
const collab: string[] = [];

beforeAll(async () => {
  dir = copyTestProvince();
  registry = new Database(path.join(dir, 'case-registry.db'));
  for (const [id, name] of [
    [SERIES_DEBTOR, '层级测试公司甲'],
    [COLLAB_DEBTOR, '层级测试公司乙'],
  ] as const) {
    registry
      .prepare(
        `insert into persons (id, kind, name, name_key, division_code, out_of_province) values (?, 'LEGAL_PERSON', ?, ?, '510104', 0)`,
      )
      .run(id, name, name);
  }
  // Nine civil cases: six at 锦江 (川0104), three at 宜宾 翠屏 (川1502); a criminal restitution case at 青羊 (川0105);
  // two objection cases (执异) at 金牛 (川0106).
  for (let i = 0; i < 6; i++) series.civil.push(insertCase(SERIES_DEBTOR, '川0104'));
  for (let i = 0; i < 3; i++) series.civil.push(insertCase(SERIES_DEBTOR, '川1502'));
  series.criminal = insertCase(SERIES_DEBTOR, '川0105', { category: 'CRIMINAL_RESTITUTION' });
  for (let i = 0; i < 2; i++) series.review.push(insertCase(SERIES_DEBTOR, '川0106', { typeCode: '执异' }));
  // A basic court of 成都 and the intermediate court of 宜宾.
  collab.push(insertCase(COLLAB_DEBTOR, '川0105'), insertCase(COLLAB_DEBTOR, '川15'));
  // Both courts seal the debtor's building (青羊's seal in effect, 宜宾 intermediate court's waiting): one plan is needed.
  const property = new Database(path.join(dir, 'property-control.db'));
  try {
    property
      .prepare(
        `insert into properties (id, kind, description, owner_id, owner_name, division_code, prefecture, out_of_province, estimated_value,
           disposal_stage, undisposed_since, disposal_hold_reason)
         values ('P-HIER-1', 'REAL_ESTATE', '层级测试办公楼', ?, '层级测试公司乙', '510105', '川01', 0, 100000000, 'NONE', ?, null)`,
      )
      .run(COLLAB_DEBTOR, addMonths(today, -1));
    const seal = property.prepare(
      `insert into measures (id, property_id, kind, court_code, case_number, imposed_at, period_starts_at, expires_at, waiting,
         queue_position, renewals, released_at) values (?, 'P-HIER-1', 'SEAL', ?, ?, ?, ?, ?, ?, ?, 0, null)`,
    );
    seal.run('M-HIER-1', '川0105', collab[0], addMonths(today, -1), addMonths(today, -1), addMonths(today, 35), 0, 1);
    seal.run('M-HIER-2', '川15', collab[1], addDays(today, -20), null, null, 1, 2);
  } finally {
    property.close();
  }
  graph = await startGraphOn(dir);
});

afterAll(async () => {
  await graph?.close();
  registry?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type GqlError = { message: string; extensions?: { code?: string; field?: string; rule?: string } };

interface AssessmentView {
  recommendedMode: string | null;
  explanation: string;
  rules: { id: string; met: boolean; observed: string; evidence: { cases: { number: string }[]; courts: { code: string }[] } }[];
  receivingCourts: { court: { code: string } }[];
  proposedCases: { number: string }[];
}

const ASSESS = `query ($id: ID!) { debtor(id: $id) { transferAssessment {
  recommendedMode explanation
  rules { id met observed evidence { cases { number } courts { code } } }
  receivingCourts { court { code } }
  proposedCases { number }
} } }`;

async function assess(id: string): Promise<AssessmentView> {
  const { status, body } = await postGraphQL<{ debtor: { transferAssessment: AssessmentView } }>(graph.gateway.url, ASSESS, { id });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.data!.debtor.transferAssessment;
}

const DECIDE = `mutation ($input: DecideTransferInput!) { decideTransfer(input: $input) { transfer { id mode
  receivingCourt { code } cases { from { number status } to { number executingCourt { code } } } } } }`;

function officerOf(court: string): string {
  const personnel = new Database(path.join(dir, 'personnel.db'), { readonly: true });
  try {
    return (personnel.prepare('select id from officers where court_code = ? order by id limit 1').get(court) as { id: string }).id;
  } finally {
    personnel.close();
  }
}

async function decide(input: Record<string, unknown>, as = '川') {
  const full = {
    supervisor: officerOf(as),
    reasons: ['MANY_COURTS'],
    note: '层级测试',
    idempotencyKey: `hierarchy-${randomUUID()}`,
    ...input,
  };
  const { status, body } = await postGraphQL<{
    decideTransfer: {
      transfer: { mode: string; receivingCourt: { code: string }; cases: { from: { number: string }; to: { number: string } | null }[] };
    };
  }>(graph.gateway.url, DECIDE, { input: full }, { as });
  expect(status).toBe(200);
  return body;
}

async function refused(input: Record<string, unknown>, code: string, field: string, rule: string): Promise<GqlError> {
  const before = (registry.prepare('select count(*) n from transfers').get() as { n: number }).n;
  const body = await decide(input);
  expect(body.errors?.length, JSON.stringify(body.data)).toBeGreaterThan(0);
  const err = body.errors![0] as GqlError;
  expect(err.extensions).toMatchObject({ code, field, rule });
  expect((registry.prepare('select count(*) n from transfers').get() as { n: number }).n).toBe(before);
  return err;
}

describe('issue 14: a cross-prefecture series with a criminal restitution case and review cases', () => {
  it('meets MANY_COURTS with 10 implementation cases in 3 courts, counting the criminal case and not the review cases (items 3, 6)', async () => {
    const a = await assess(SERIES_DEBTOR);
    const many = a.rules.find((r) => r.id === 'MANY_COURTS')!;
    expect(many.met).toBe(true);
    expect(many.observed).toBe('10 未实结 implementation cases in 3 courts');
    expect(many.evidence.cases.map((c) => c.number)).toEqual([...series.civil, series.criminal].sort());
    expect(many.evidence.courts.map((c) => c.code)).toEqual(['川0104', '川0105', '川1502']);
    expect(a.recommendedMode).toBe('CENTRALIZED');
    // The proposed decision moves the civil cases only.
    expect(a.proposedCases.map((c) => c.number)).toEqual([...series.civil].sort());
    expect(a.explanation).toContain(`The criminal restitution case ${series.criminal} (川0105) stays with the criminal court`);
  });

  it('refuses to move the criminal restitution case or a review case, and centralizes the civil series around them (item 3)', async () => {
    const crim = await refused(
      { mode: 'CENTRALIZED', caseNumbers: [series.civil[0], series.criminal], receivingCourt: '川0104', decidingCourt: '川' },
      'CONFLICT',
      'input.caseNumbers[1]',
      'CRIMINAL_RESTITUTION_STAYS',
    );
    expect(crim.message).toContain(series.criminal);
    await refused(
      { mode: 'CENTRALIZED', caseNumbers: [series.civil[0], series.review[0]], receivingCourt: '川0104', decidingCourt: '川' },
      'BAD_USER_INPUT',
      'input.caseNumbers[1]',
      'NOT_AN_IMPLEMENTATION_CASE',
    );
    // Centralized at the criminal court, the criminal case is recorded beside the series without moving.
    const body = await decide({
      mode: 'CENTRALIZED',
      caseNumbers: [...series.civil.slice(6), series.criminal],
      receivingCourt: '川0105',
      decidingCourt: '川',
    });
    expect(body.errors).toBeUndefined();
    const moved = body
      .data!.decideTransfer.transfer.cases.map((x) => [x.from.number, x.to?.number.includes('川0105执') ?? null])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(moved).toEqual(
      [...series.civil.slice(6).map((n) => [n, true]), [series.criminal, null]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const criminal = registry.prepare('select status, executing_court from cases where number = ?').get(series.criminal);
    expect(criminal).toEqual({ status: 'EXECUTING', executing_court: '川0105' });
  });
});

describe('issue 14 item 2: a collaboration across levels and prefectures is coordinated from above', () => {
  it('names the high court as coordinator, the lowest court above 川0105 and 川15', async () => {
    const a = await assess(COLLAB_DEBTOR);
    expect(a.recommendedMode).toBe('COLLABORATIVE');
    expect(a.receivingCourts.map((c) => c.court.code)).toEqual(['川']);
    expect(a.proposedCases.map((c) => c.number)).toEqual([...collab].sort());
    expect(a.rules.find((r) => r.id === 'SPREAD')!.met).toBe(true);
    expect(a.explanation).toContain('P-HIER-1');
    expect(a.explanation).toContain('the lowest court above 川0105, 川15');
  });

  it('refuses a basic court, or an intermediate court above only one of them, as coordinator, and accepts the high court', async () => {
    const basic = await refused(
      { mode: 'COLLABORATIVE', caseNumbers: collab, receivingCourt: '川0105', decidingCourt: '川' },
      'BAD_USER_INPUT',
      'input.receivingCourt',
      'COORDINATOR_NOT_ABOVE',
    );
    expect(basic.message).toContain('at least 川)');
    await refused(
      { mode: 'COLLABORATIVE', caseNumbers: collab, receivingCourt: '川01', decidingCourt: '川' },
      'BAD_USER_INPUT',
      'input.receivingCourt',
      'COORDINATOR_NOT_ABOVE',
    );
    const body = await decide({ mode: 'COLLABORATIVE', caseNumbers: collab, receivingCourt: '川', decidingCourt: '川' });
    expect(body.errors).toBeUndefined();
    expect(body.data!.decideTransfer.transfer).toMatchObject({ mode: 'COLLABORATIVE', receivingCourt: { code: '川' } });
    expect(body.data!.decideTransfer.transfer.cases.every((x) => x.to === null)).toBe(true);
  });
});
