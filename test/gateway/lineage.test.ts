import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../domain/dates';
import { creditCodeCheckChar, orgCodeCheckChar } from '../../domain/identifiers';
import { buildAssessmentIndex, openAssessmentStore, refreshAssessmentIndex } from '../../jobs/assess';
import type { RunningGraph } from '../../scripts/graph';
import type { AssessmentIndexStore } from '../../subgraphs/coordination/sources/source';
import { copyTestProvince, postGraphQL, startGraphOn, testToday } from '../support/graph';

/**
 * Issue 14 item 9 and the workflow gaps, end to end on a debtor built for them in a private copy of the test province:
 * three basic courts of 成都 (锦江 川0104, 青羊 川0105, 金牛 川0106) each execute a case against one company and each
 * seal its building (one seal in effect, two waiting). The assessment recommends collaboration among them; then the
 * intermediate court centralizes the three cases at 武侯 (川0107), and the same day's re-assessment weighs the seals by
 * the court carrying their lineage: 川0107 holds all three, so nothing recommends collaboration among the senders.
 */

const today = testToday();
const year = Number(today.slice(0, 4));

const creditCode = (head: string, org8: string) => {
  const first17 = `${head}${org8}${orgCodeCheckChar(org8)}`;
  return `${first17}${creditCodeCheckChar(first17)}`;
};
const DEBTOR = creditCode('91510104', 'MA6CXL09');
const SENDERS = ['川0104', '川0105', '川0106'] as const;
const RECEIVER = '川0107';
const PROPERTY = 'P-LIN-1';

let dir: string;
let graph: RunningGraph;
let registry: Database.Database;
let property: Database.Database;
let index: AssessmentIndexStore;
const cases: string[] = [];

let sequence = 980000;
function insertCase(court: string): string {
  sequence += 1;
  const number = `(${year})${court}执${sequence}号`;
  registry
    .prepare(
      `insert into cases (number, year, court_code, type_code, sequence, executing_court, status, filed_at, closed_at, closure,
         obligation, category, conduct_ordered, amount_due, amount_recovered, handler_id, lineage_root, transferred_from,
         last_action_at, settled_at)
       values (?, ?, ?, '执', ?, ?, 'EXECUTING', ?, null, null, 'MONEY', 'CIVIL', null, 10000000, 0, null, ?, null, ?, null)`,
    )
    .run(number, year, court, sequence, court, addMonths(today, -2), number, addDays(today, -10));
  registry
    .prepare(
      `insert into case_parties (case_number, role, position, person_id, name, name_key, kind, division_code)
       values (?, 'DEBTOR', 1, ?, '沿革测试公司', '沿革测试', 'LEGAL_PERSON', '510104')`,
    )
    .run(number, DEBTOR);
  return number;
}

beforeAll(async () => {
  dir = copyTestProvince();
  registry = new Database(path.join(dir, 'case-registry.db'));
  property = new Database(path.join(dir, 'property-control.db'));
  registry
    .prepare(
      `insert into persons (id, kind, name, name_key, division_code, out_of_province) values (?, 'LEGAL_PERSON', '沿革测试公司', '沿革测试', '510104', 0)`,
    )
    .run(DEBTOR);
  for (const court of SENDERS) cases.push(insertCase(court));
  property
    .prepare(
      `insert into properties (id, kind, description, owner_id, owner_name, division_code, prefecture, out_of_province, estimated_value,
         disposal_stage, undisposed_since, disposal_hold_reason)
       values (?, 'REAL_ESTATE', '沿革测试办公楼', ?, '沿革测试公司', '510104', '川01', 0, 100000000, 'NONE', ?, null)`,
    )
    .run(PROPERTY, DEBTOR, addMonths(today, -1));
  const seal = property.prepare(
    `insert into measures (id, property_id, kind, court_code, case_number, imposed_at, period_starts_at, expires_at, waiting,
       queue_position, renewals, released_at) values (?, ?, 'SEAL', ?, ?, ?, ?, ?, ?, ?, 0, null)`,
  );
  // 锦江's seal is in effect and expires in 20 days (so the receiving court must renew it); the others wait behind it.
  seal.run('M-LIN-1', PROPERTY, SENDERS[0], cases[0], addMonths(today, -35), addMonths(today, -35), addDays(today, 20), 0, 1);
  seal.run('M-LIN-2', PROPERTY, SENDERS[1], cases[1], addMonths(today, -1), null, null, 1, 2);
  seal.run('M-LIN-3', PROPERTY, SENDERS[2], cases[2], addDays(today, -20), null, null, 1, 3);
  graph = await startGraphOn(dir);
  // The index as `npm run assess` builds it, on this copy: it knows the debtor built here.
  index = openAssessmentStore(dir);
  await buildAssessmentIndex({ gatewayUrl: graph.gateway.url, token: await graph.security.serviceToken(), index, today, pageSize: 500 });
});

afterAll(async () => {
  await graph?.close();
  await index?.close();
  registry?.close();
  property?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface AssessmentView {
  recommendedMode: string | null;
  explanation: string;
  rules: { id: string; met: boolean; observed: string; evidence: { courts: { code: string }[]; detail: string } }[];
  receivingCourts: { court: { code: string } }[];
}

const ASSESS = `query ($id: ID!) { debtor(id: $id) { transferAssessment {
  recommendedMode explanation
  rules { id met observed evidence { courts { code } detail } }
  receivingCourts { court { code } }
} } }`;

async function assess(as = '川01'): Promise<AssessmentView> {
  const { status, body } = await postGraphQL<{ debtor: { transferAssessment: AssessmentView } }>(
    graph.gateway.url,
    ASSESS,
    { id: DEBTOR },
    { as },
  );
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.data!.debtor.transferAssessment;
}

type GqlError = { message: string; extensions?: { code?: string; field?: string; rule?: string } };

const MEASURES = `query ($id: ID!) { property(id: $id) { measures { id court { code } carryingCourt { code } } } }`;
async function carriers(as: string): Promise<Record<string, [string, string | null]>> {
  const { body } = await postGraphQL<{
    property: { measures: { id: string; court: { code: string }; carryingCourt: { code: string } | null }[] } | null;
  }>(graph.gateway.url, MEASURES, { id: PROPERTY }, { as });
  expect(body.errors).toBeUndefined();
  return Object.fromEntries((body.data!.property?.measures ?? []).map((m) => [m.id, [m.court.code, m.carryingCourt?.code ?? null]]));
}

function officerOf(court: string): string {
  const personnel = new Database(path.join(dir, 'personnel.db'), { readonly: true });
  try {
    return (personnel.prepare('select id from officers where court_code = ? order by id limit 1').get(court) as { id: string }).id;
  } finally {
    personnel.close();
  }
}

/** The case continuing `number` at the receiving court. */
function continuation(number: string): string {
  return (registry.prepare('select number from cases where transferred_from = ?').get(number) as { number: string }).number;
}

interface CandidateView {
  debtor: { id: string };
  recommendedMode: string | null;
  rulesMet: string[];
  explanation: string;
}
type CandidatePage = { nodes: CandidateView[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
const CANDIDATES = `query ($after: String) { transferCandidates(first: 100, after: $after) {
  nodes { debtor { id } recommendedMode rulesMet explanation } pageInfo { hasNextPage endCursor } } }`;

/** The debtor's entry in the province-wide candidate list as 川01 reads it (its own prefecture), or null. */
async function candidate(): Promise<CandidateView | null> {
  let after: string | null = null;
  for (;;) {
    const { body }: { body: { errors?: readonly unknown[]; data?: { transferCandidates: CandidatePage } | null } } = await postGraphQL<{
      transferCandidates: CandidatePage;
    }>(graph.gateway.url, CANDIDATES, { after }, { as: '川01' });
    expect(body.errors).toBeUndefined();
    const page: CandidatePage = body.data!.transferCandidates;
    const found = page.nodes.find((n) => n.debtor.id === DEBTOR);
    if (found) return found;
    if (!page.pageInfo.hasNextPage) return null;
    after = page.pageInfo.endCursor;
  }
}

const refresh = async () =>
  refreshAssessmentIndex({ gatewayUrl: graph.gateway.url, token: await graph.security.serviceToken(), index, today });

const DECIDE = `mutation ($input: DecideTransferInput!) { decideTransfer(input: $input) { transfer { id
  cases { from { number } to { number executingCourt { code } } } } } }`;

describe('issue 14 item 9: the assessment follows the lineage', () => {
  it('before the decision, weighs each seal by its own court and recommends collaboration among the three', async () => {
    expect(await carriers('川01')).toEqual({
      'M-LIN-1': [SENDERS[0], SENDERS[0]],
      'M-LIN-2': [SENDERS[1], SENDERS[1]],
      'M-LIN-3': [SENDERS[2], SENDERS[2]],
    });
    const a = await assess();
    const spread = a.rules.find((r) => r.id === 'SPREAD')!;
    expect(spread.met).toBe(true);
    expect(spread.evidence.courts.map((c) => c.code)).toEqual([...SENDERS]);
    expect(spread.evidence.detail).toContain(`${PROPERTY} held by ${SENDERS.join(', ')}`);
    expect(a.recommendedMode).toBe('COLLABORATIVE');
    // The candidate list, from the index pass, says the same.
    expect(await candidate()).toMatchObject({ recommendedMode: 'COLLABORATIVE', rulesMet: expect.arrayContaining(['SPREAD']) });
  });

  it('after a CENTRALIZED decision, names the receiving court as the holder and no longer recommends collaboration', async () => {
    const { body } = await postGraphQL<{
      decideTransfer: { transfer: { cases: { from: { number: string }; to: { number: string; executingCourt: { code: string } } }[] } };
    }>(
      graph.gateway.url,
      DECIDE,
      {
        input: {
          mode: 'CENTRALIZED',
          caseNumbers: cases,
          receivingCourt: RECEIVER,
          decidingCourt: '川01',
          supervisor: officerOf('川01'),
          reasons: ['SPREAD'],
          idempotencyKey: `lineage-${randomUUID()}`,
        },
      },
      { as: '川01' },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.decideTransfer.transfer.cases.map((c) => c.to.executingCourt.code)).toEqual([RECEIVER, RECEIVER, RECEIVER]);

    // Every seal is now carried by the receiving court; the imposing court is still the measure's `court`.
    expect(await carriers('川01')).toEqual({
      'M-LIN-1': [SENDERS[0], RECEIVER],
      'M-LIN-2': [SENDERS[1], RECEIVER],
      'M-LIN-3': [SENDERS[2], RECEIVER],
    });
    const a = await assess();
    const spread = a.rules.find((r) => r.id === 'SPREAD')!;
    expect(spread.met).toBe(false);
    expect(spread.observed).toBe("1 prefectures; 0 assets under several courts' measures");
    expect(spread.evidence.detail).toContain(`${PROPERTY}: measures imposed by ${SENDERS.join(', ')} are carried by ${RECEIVER}`);
    expect(a.recommendedMode).not.toBe('COLLABORATIVE');
    expect(a.explanation).not.toContain('协同');
    expect(a.explanation).not.toContain(PROPERTY);
  });

  it("refreshes the decided debtor's candidate row from the registry's change feed, so the list is not stale (ADR 14)", async () => {
    // Until the refresh, the row is the pass's: the stale recommendation.
    expect((await candidate())?.recommendedMode).toBe('COLLABORATIVE');
    const judged = await refresh();
    expect(judged.debtors).toBeGreaterThanOrEqual(1);
    const live = await assess();
    const row = await candidate();
    const metLive = live.rules.filter((r) => r.met).map((r) => r.id);
    if (metLive.length === 0 && live.recommendedMode === null) {
      // Nothing is met any more once the cases sit in one court: the refresh removed the row.
      expect(row).toBeNull();
      expect(judged.removed).toBeGreaterThanOrEqual(1);
    } else {
      // The debtor still meets a rule (e.g. its receiving court's load), so its row is today's assessment.
      expect(row).not.toBeNull();
      expect(row!.recommendedMode).toBe(live.recommendedMode);
      expect(row!.recommendedMode).not.toBe('COLLABORATIVE');
      expect(row!.rulesMet).not.toContain('SPREAD');
      expect(row!.rulesMet).toEqual(metLive);
      expect(row!.explanation).toBe(live.explanation);
    }
    // Nothing changed since: a second refresh judges nobody.
    expect(await refresh()).toEqual({ debtors: 0, candidates: 0, removed: 0 });
  });

  it('tells the carrying court to the courts with a part in the lineage only', async () => {
    // The imposing court (its case moved) and the receiving court see where the lineage is carried.
    expect((await carriers(SENDERS[1]))['M-LIN-2']).toEqual([SENDERS[1], RECEIVER]);
    // The receiving court reaches the seals through the case it now executes (property-control's own scope still goes
    // by the imposing courts).
    const { body: viaCase } = await postGraphQL<{ case: { measures: { id: string; carryingCourt: { code: string } }[] } }>(
      graph.gateway.url,
      `query ($n: String!) { case(number: $n) { measures { id carryingCourt { code } } } }`,
      { n: continuation(cases[2]!) },
      { as: RECEIVER },
    );
    expect(viaCase.errors).toBeUndefined();
    expect(viaCase.data!.case.measures).toEqual([{ id: 'M-LIN-3', carryingCourt: { code: RECEIVER } }]);
    // 宜宾's intermediate court holds no measure on the building: it does not see the property at all.
    const { body } = await postGraphQL<{ property: unknown }>(graph.gateway.url, MEASURES, { id: PROPERTY }, { as: '川15' });
    expect(body.data!.property).toBeNull();
  });
});

const GRANTS = `query ($n: String!) { case(number: $n) { measures { id carrierGrant } } }`;
/** The carrier grants a court reads for the measures of a case it executes. */
async function grantsFor(caseNumber: string, as: string): Promise<Record<string, string | null>> {
  const { body } = await postGraphQL<{ case: { measures: { id: string; carrierGrant: string | null }[] } }>(
    graph.gateway.url,
    GRANTS,
    { n: caseNumber },
    { as },
  );
  expect(body.errors).toBeUndefined();
  return Object.fromEntries(body.data!.case.measures.map((m) => [m.id, m.carrierGrant]));
}

const RENEW = `mutation ($input: RenewMeasureInput!) { renewMeasure(input: $input) { measure { id expiresAt renewals } replayed } }`;
const RELEASE = `mutation ($input: ReleaseMeasureInput!) { releaseMeasure(input: $input) { released { id status } replayed } }`;

async function write<T>(query: string, input: Record<string, unknown>, as: string) {
  const { status, body } = await postGraphQL<T>(graph.gateway.url, query, { input }, { as });
  expect(status).toBe(200);
  return body;
}

function lastAudit(key: string) {
  return property.prepare('select outcome, code, rule, field from audit_log where idempotency_key = ? order by id desc limit 1').get(key);
}

describe('issue 14: the receiving court renews and releases the measures of the lineage it carries (ADR 14)', () => {
  // Runs after the decision above: 川0107 carries the three seals.
  it('gives a grant to the carrying court only', async () => {
    const grants = await grantsFor(continuation(cases[0]!), RECEIVER);
    expect(Object.keys(grants)).toEqual(['M-LIN-1']);
    expect(grants['M-LIN-1']).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // The imposing court, whose old case the measure is under, reads no grant for it: it no longer carries the lineage.
    const { body } = await postGraphQL<{ property: { measures: { id: string; carrierGrant: string | null }[] } }>(
      graph.gateway.url,
      `query ($id: ID!) { property(id: $id) { measures { id carrierGrant } } }`,
      { id: PROPERTY },
      { as: SENDERS[0] },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.property.measures.map((m) => m.carrierGrant)).toEqual([null, null, null]);
  });

  it("lets the receiving basic court renew a sending court's seal with its grant, idempotently", async () => {
    const grant = (await grantsFor(continuation(cases[0]!), RECEIVER))['M-LIN-1'];
    const expiresAt = addMonths(addDays(today, 20), 12);
    const key = `lineage-renew-${randomUUID()}`;
    // Without the grant the receiving court is outside the imposing court's scope, as before.
    const bare = await write(RENEW, { measureId: 'M-LIN-1', expiresAt, idempotencyKey: `${key}-bare` }, RECEIVER);
    expect((bare.errors![0] as GqlError).extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'MEASURE_NOT_IN_SCOPE' });

    const renewed = await write<{ renewMeasure: { measure: { expiresAt: string; renewals: number }; replayed: boolean } }>(
      RENEW,
      { measureId: 'M-LIN-1', expiresAt, carrierGrant: grant, idempotencyKey: key },
      RECEIVER,
    );
    expect(renewed.errors).toBeUndefined();
    expect(renewed.data!.renewMeasure).toEqual({ measure: { id: 'M-LIN-1', expiresAt, renewals: 1 }, replayed: false });
    expect(property.prepare('select expires_at, renewals from measures where id = ?').get('M-LIN-1')).toEqual({
      expires_at: expiresAt,
      renewals: 1,
    });
    expect(lastAudit(key)).toEqual({ outcome: 'ACCEPTED', code: null, rule: null, field: null });

    // A retry with a freshly read grant is the same request: it replays and writes nothing.
    const fresh = (await grantsFor(continuation(cases[0]!), RECEIVER))['M-LIN-1'];
    const again = await write<{ renewMeasure: { replayed: boolean } }>(
      RENEW,
      { measureId: 'M-LIN-1', expiresAt, carrierGrant: fresh, idempotencyKey: key },
      RECEIVER,
    );
    expect(again.data!.renewMeasure.replayed).toBe(true);
    expect(property.prepare('select renewals from measures where id = ?').get('M-LIN-1')).toEqual({ renewals: 1 });
  });

  it('lets it release a waiting seal of another sending court, and refuses an unrelated court with or without that grant', async () => {
    const grant = (await grantsFor(continuation(cases[1]!), RECEIVER))['M-LIN-2']!;
    const unrelated = '川0108';
    const noGrant = `lineage-release-${randomUUID()}`;
    const plain = await write(RELEASE, { measureId: 'M-LIN-2', idempotencyKey: noGrant }, unrelated);
    expect((plain.errors![0] as GqlError).extensions).toMatchObject({
      code: 'FORBIDDEN',
      field: 'input.measureId',
      rule: 'MEASURE_NOT_IN_SCOPE',
    });
    expect(lastAudit(noGrant)).toMatchObject({ outcome: 'REFUSED', rule: 'MEASURE_NOT_IN_SCOPE' });
    // The receiving court's grant names 川0107: another court cannot use it.
    const borrowed = `lineage-release-${randomUUID()}`;
    const stolen = await write(RELEASE, { measureId: 'M-LIN-2', carrierGrant: grant, idempotencyKey: borrowed }, unrelated);
    expect((stolen.errors![0] as GqlError).extensions).toMatchObject({
      code: 'FORBIDDEN',
      field: 'input.carrierGrant',
      rule: 'CARRIER_GRANT_INVALID',
    });
    expect(lastAudit(borrowed)).toMatchObject({ outcome: 'REFUSED', rule: 'CARRIER_GRANT_INVALID' });
    // Nor is it good for another measure, nor is a forged one.
    const other = await write(RELEASE, { measureId: 'M-LIN-3', carrierGrant: grant, idempotencyKey: `lineage-${randomUUID()}` }, RECEIVER);
    expect((other.errors![0] as GqlError).extensions).toMatchObject({ rule: 'CARRIER_GRANT_INVALID' });
    const [head, body, sig] = grant.split('.');
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), sub: 'M-LIN-3' })).toString('base64url')}.${sig}`;
    const fake = await write(RELEASE, { measureId: 'M-LIN-3', carrierGrant: forged, idempotencyKey: `lineage-${randomUUID()}` }, RECEIVER);
    expect((fake.errors![0] as GqlError).extensions).toMatchObject({ rule: 'CARRIER_GRANT_INVALID' });
    expect(property.prepare('select released_at from measures where id in (?, ?) order by id').all('M-LIN-2', 'M-LIN-3')).toEqual([
      { released_at: null },
      { released_at: null },
    ]);

    const released = await write<{ releaseMeasure: { released: { id: string; status: string }; replayed: boolean } }>(
      RELEASE,
      { measureId: 'M-LIN-2', carrierGrant: grant, idempotencyKey: `lineage-release-${randomUUID()}` },
      RECEIVER,
    );
    expect(released.errors).toBeUndefined();
    expect(released.data!.releaseMeasure).toEqual({ released: { id: 'M-LIN-2', status: 'RELEASED' }, replayed: false });
    expect(property.prepare('select released_at from measures where id = ?').get('M-LIN-2')).toEqual({ released_at: today });
  });
});

describe('issue 14: the change feeds the assessment index refreshes from (ADR 14)', () => {
  it("lists the renewed and released measures' owner in property-control's feed, for the high court only", async () => {
    // The renewal and the release above were recorded after the index's positions: the refresh judges the debtor.
    const positions = (await index.changePositions())!;
    const { body } = await postGraphQL<{ measureChanges: { debtorIds: string[]; cursor: number } }>(
      graph.gateway.url,
      `query ($after: Int!) { measureChanges(after: $after) { debtorIds cursor } }`,
      { after: positions.measures },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.measureChanges.debtorIds).toEqual([DEBTOR]);
    expect(body.data!.measureChanges.cursor).toBeGreaterThan(positions.measures);
    expect((await refresh()).debtors).toBe(1);
    expect((await index.changePositions())!.measures).toBe(body.data!.measureChanges.cursor);

    for (const [field, as] of [
      ['decisionChanges', '川01'],
      ['measureChanges', RECEIVER],
    ] as const) {
      const denied = await postGraphQL(graph.gateway.url, `{ ${field}(after: 0) { cursor } }`, {}, { as });
      expect((denied.body.errors![0] as GqlError).extensions?.code).toBe('FORBIDDEN');
    }
  });
});
