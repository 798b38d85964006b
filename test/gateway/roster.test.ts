import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRoster } from '../../jobs/roster';
import type { RunningGraph } from '../../scripts/graph';
import { copyTestProvince, postGraphQL, startGraphOn } from '../support/graph';

/**
 * Issue 14, "supervisor and author are officers of the deciding/acting court" (ADR 14): a decision's supervisor, an
 * assigned supervisor and a note's author are checked against the registry's copy of the personnel roster, which the
 * roster job refreshes through the gateway. Through the gateway, on a private copy of the test province.
 */

let dir: string;
let graph: RunningGraph;
let registry: Database.Database;
let personnel: Database.Database;

beforeAll(async () => {
  dir = copyTestProvince();
  graph = await startGraphOn(dir);
  registry = new Database(path.join(dir, 'case-registry.db'));
  personnel = new Database(path.join(dir, 'personnel.db'));
});

afterAll(async () => {
  await graph?.close();
  registry?.close();
  personnel?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type GqlError = { message: string; extensions?: { code?: string; field?: string; rule?: string } };

const officers = (court: string) =>
  (personnel.prepare('select id from officers where court_code = ? and active = 1 order by id').all(court) as { id: string }[]).map(
    (r) => r.id,
  );

/** Open implementation cases executed by basic courts of 成都, none under a decision yet. */
function openCases(n: number): string[] {
  return (
    registry
      .prepare(
        `select number from cases c where executing_court like '川01__' and status != 'CLOSED' and type_code = '执'
           and category != 'CRIMINAL_RESTITUTION' and not exists (select 1 from transfer_cases t where t.from_case = c.number)
         order by number limit ?`,
      )
      .all(n) as { number: string }[]
  ).map((r) => r.number);
}

const transfers = () => (registry.prepare('select count(*) n from transfers').get() as { n: number }).n;
const events = () => (registry.prepare('select count(*) n from supervision_events').get() as { n: number }).n;

const DECIDE = `mutation ($input: DecideTransferInput!) { decideTransfer(input: $input) { transfer { id supervisor { id } } } }`;
const ASSIGN = `mutation ($input: AssignSupervisorInput!) { assignSupervisor(input: $input) { replayed } }`;
const NOTE = `mutation ($input: SupervisionNoteInput!) { addSupervisionNote(input: $input) { replayed } }`;

async function decide(caseNumber: string, supervisor: string) {
  const { body } = await postGraphQL<{ decideTransfer: { transfer: { id: string; supervisor: { id: string } } } }>(
    graph.gateway.url,
    DECIDE,
    {
      input: {
        mode: 'DEADLINE_ORDER',
        caseNumbers: [caseNumber],
        decidingCourt: '川01',
        supervisor,
        note: '限期执行',
        idempotencyKey: `roster-${randomUUID()}`,
      },
    },
    { as: '川01' },
  );
  return body;
}

function expectRefused(body: { errors?: readonly unknown[] }, code: string, field: string, rule: string) {
  expect(body.errors?.length).toBe(1);
  expect((body.errors![0] as GqlError).extensions).toMatchObject({ code, field, rule });
}

describe('issue 14: supervisors and note authors are officers of the deciding / acting court', () => {
  let transferId: string;
  const [caseA, caseB] = [0, 1];
  let cases: string[];

  it('refuses a decision supervised by an officer of another court, and accepts one of the deciding court', async () => {
    cases = openCases(2);
    const before = transfers();
    const basicOfficer = officers('川0105')[0]!;
    const refused = await decide(cases[caseA]!, basicOfficer);
    expectRefused(refused, 'BAD_USER_INPUT', 'input.supervisor', 'OFFICER_NOT_ON_ROSTER');
    expect((refused.errors![0] as GqlError).message).toContain(`${basicOfficer} is not an officer of 川01`);
    expect(transfers()).toBe(before);

    const own = officers('川01')[0]!;
    const accepted = await decide(cases[caseA]!, own);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.decideTransfer.transfer.supervisor).toEqual({ id: own });
    transferId = accepted.data!.decideTransfer.transfer.id;
    expect(transfers()).toBe(before + 1);
  });

  it('assigns supervision only to an officer of the deciding court', async () => {
    const before = events();
    const other = await postGraphQL(
      graph.gateway.url,
      ASSIGN,
      { input: { transferId, supervisor: officers('川')[0], idempotencyKey: `roster-${randomUUID()}` } },
      { as: '川01' },
    );
    expectRefused(other.body, 'BAD_USER_INPUT', 'input.supervisor', 'OFFICER_NOT_ON_ROSTER');
    // The high court may assign, but the supervisor is still the deciding court's officer.
    const byHigh = await postGraphQL(
      graph.gateway.url,
      ASSIGN,
      { input: { transferId, supervisor: officers('川')[0], idempotencyKey: `roster-${randomUUID()}` } },
      { as: '川' },
    );
    expectRefused(byHigh.body, 'BAD_USER_INPUT', 'input.supervisor', 'OFFICER_NOT_ON_ROSTER');
    expect(events()).toBe(before);
    const next = officers('川01')[1]!;
    const ok = await postGraphQL(
      graph.gateway.url,
      ASSIGN,
      { input: { transferId, supervisor: next, idempotencyKey: `roster-${randomUUID()}` } },
      { as: '川' },
    );
    expect(ok.body.errors).toBeUndefined();
    expect(registry.prepare('select supervisor_id from transfers where id = ?').get(transferId)).toEqual({ supervisor_id: next });
  });

  it("takes a note only from an officer of the acting court: the deciding court's, or the working court's for progress", async () => {
    const working = registry.prepare('select executing_court c from cases where number = ?').get(cases[caseA]!) as { c: string };
    const note = (author: string, kind: string) => ({ transferId, author, kind, note: '已查控', idempotencyKey: `roster-${randomUUID()}` });
    const before = events();
    const wrong = await postGraphQL(graph.gateway.url, NOTE, { input: note(officers(working.c)[0]!, 'NOTE') }, { as: '川01' });
    expectRefused(wrong.body, 'BAD_USER_INPUT', 'input.author', 'OFFICER_NOT_ON_ROSTER');
    const alsoWrong = await postGraphQL(graph.gateway.url, NOTE, { input: note(officers('川01')[0]!, 'PROGRESS') }, { as: working.c });
    expectRefused(alsoWrong.body, 'BAD_USER_INPUT', 'input.author', 'OFFICER_NOT_ON_ROSTER');
    expect(events()).toBe(before);
    const ok1 = await postGraphQL(graph.gateway.url, NOTE, { input: note(officers('川01')[0]!, 'NOTE') }, { as: '川01' });
    const ok2 = await postGraphQL(graph.gateway.url, NOTE, { input: note(officers(working.c)[0]!, 'PROGRESS') }, { as: working.c });
    expect([ok1.body.errors, ok2.body.errors]).toEqual([undefined, undefined]);
    expect(events()).toBe(before + 2);
  });

  it('knows a new officer once the roster job has copied the roster again, and refuses every officer without a copy', async () => {
    const newcomer = 'OF990001';
    const template = personnel
      .prepare('select * from officers where court_code = ? and active = 1 order by id limit 1')
      .get('川01') as Record<string, unknown>;
    const columns = Object.keys(template);
    personnel
      .prepare(`insert into officers (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`)
      .run(...columns.map((c) => (c === 'id' ? newcomer : template[c])));
    const stale = await decide(cases[caseB]!, newcomer);
    expectRefused(stale, 'BAD_USER_INPUT', 'input.supervisor', 'OFFICER_NOT_ON_ROSTER');

    const copied = await copyRoster(graph.gateway.url, await graph.security.serviceToken(), dir);
    expect(copied.officers).toBe((personnel.prepare('select count(*) n from officers where active = 1').get() as { n: number }).n);
    const fresh = await decide(cases[caseB]!, newcomer);
    expect(fresh.errors).toBeUndefined();

    registry.prepare('delete from roster_copy').run();
    const none = await decide(openCases(1)[0]!, officers('川01')[0]!);
    expectRefused(none, 'CONFLICT', 'input.supervisor', 'ROSTER_NOT_COPIED');
  });
});
