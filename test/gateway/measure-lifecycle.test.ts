import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../domain/dates';
import type { RunningGraph } from '../../scripts/graph';
import { DIALECTS, postGraphQL, startGraphOn, testToday } from '../support/graph';
import { copyTestStore, type Records, type TestStore } from '../support/stores';
import { DISPOSAL_STEP, type DisposalStepAnswer } from '../support/operations';

/**
 * Issue 14 items 10–12 end to end through the gateway, on a private copy of the test province with the rows each
 * scenario needs inserted here: a lapsed first seal with two waiting seals behind it (查封扣押冻结规定 Arts. 26–27),
 * a preservation case continued by its execution case (财产保全规定 Art. 17), and a failed second auction followed by
 * a new appraisal and a new cycle of auctions. On both dialects (issue 16 item 5).
 */

const today = testToday();

describe.each(DIALECTS)('measure lifecycle on %s', (dialect) => {
  let store: TestStore;
  let graph: RunningGraph;
  let property: Records;

  beforeAll(async () => {
    store = await copyTestStore(dialect);
    property = store.records('property-control');
    await insertScenarios();
    await insertPreservationScenario();
    graph = await startGraphOn(store.dir, { databases: store.databases });
  });

  afterAll(async () => {
    await graph?.close();
    await store?.drop();
  });

  type GqlError = { message: string; extensions?: { code?: string; field?: string; rule?: string } };

  async function post<T>(query: string, variables: Record<string, unknown> = {}, as = '川') {
    const { status, body } = await postGraphQL<T>(graph.gateway.url, query, variables, { as });
    expect(status).toBe(200);
    return body as { data?: T; errors?: GqlError[] };
  }

  async function ok<T>(query: string, variables: Record<string, unknown> = {}, as = '川'): Promise<T> {
    const body = await post<T>(query, variables, as);
    expect(body.errors).toBeUndefined();
    return body.data!;
  }

  async function insertProperty(id: string, kind: string, undisposedSince: string | null = null) {
    await property.run(
      `insert into properties (id, kind, description, owner_id, owner_name, division_code, prefecture, out_of_province, estimated_value,
        disposal_stage, undisposed_since, disposal_hold_reason) values (?, ?, ?, null, '测试权利人', '510105', '01', 0, 100000000, 'NONE', ?, null)`,
      id,
      kind,
      `issue 14 ${id}`,
      undisposedSince,
    );
  }

  async function insertMeasure(m: {
    id: string;
    propertyId: string;
    kind: string;
    court: string;
    caseNumber: string;
    imposedAt: string;
    periodStartsAt: string | null;
    expiresAt: string | null;
    waiting: boolean;
    queuePosition: number;
  }) {
    await property.run(
      `insert into measures (id, property_id, kind, court_code, case_number, imposed_at, period_starts_at, expires_at, waiting,
        queue_position, renewals, released_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, null)`,
      m.id,
      m.propertyId,
      m.kind,
      m.court,
      m.caseNumber,
      m.imposedAt,
      m.periodStartsAt,
      m.expiresAt,
      m.waiting ? 1 : 0,
      m.queuePosition,
    );
  }

  /** A first seal and two waiting seals of three courts on one property; the first expired unrenewed on `firstExpiresAt`. */
  async function insertQueue(prefix: string, kind: string, measureKind: string, firstExpiresAt: string) {
    await insertProperty(`${prefix}-P`, kind);
    const imposed = addMonths(firstExpiresAt, -12);
    await insertMeasure({
      id: `${prefix}-A`,
      propertyId: `${prefix}-P`,
      kind: measureKind,
      court: '川0105',
      caseNumber: '(2020)川0105执9001号',
      imposedAt: imposed,
      periodStartsAt: imposed,
      expiresAt: firstExpiresAt,
      waiting: false,
      queuePosition: 1,
    });
    for (const [i, court] of [
      [2, '川0104'],
      [3, '川0107'],
    ] as const) {
      await insertMeasure({
        id: `${prefix}-${i === 2 ? 'B' : 'C'}`,
        propertyId: `${prefix}-P`,
        kind: measureKind,
        court,
        caseNumber: `(2020)${court}执900${i}号`,
        imposedAt: addDays(imposed, 30 * i),
        periodStartsAt: null,
        expiresAt: null,
        waiting: true,
        queuePosition: i,
      });
    }
  }

  async function insertScenarios() {
    // Item 10: a house whose first seal lapsed ten days ago; a deposit whose first freeze lapsed 13 months ago, so the
    // freeze promoted then (1 year) has lapsed too.
    await insertQueue('I14-Q1', 'REAL_ESTATE', 'SEAL', addDays(today, -10));
    await insertQueue('I14-Q2', 'BANK_DEPOSIT', 'FREEZE', addMonths(addDays(today, -20), -12));
    // Item 12: a house sealed in effect by 川0105, with no disposal step yet.
    await insertProperty('I14-D-P', 'REAL_ESTATE', addMonths(today, -8));
    await insertMeasure({
      id: 'I14-D-A',
      propertyId: 'I14-D-P',
      kind: 'SEAL',
      court: '川0105',
      caseNumber: '(2025)川0105执9100号',
      imposedAt: addMonths(today, -8),
      periodStartsAt: addMonths(today, -8),
      expiresAt: addMonths(today, 28),
      waiting: false,
      queuePosition: 1,
    });
  }

  const QUEUE = `query ($id: ID!) { property(id: $id) { id measures { id status waiting periodStartsAt expiresAt queuePosition renewalApplicationDue } } }`;
  type QueueView = {
    property: {
      measures: {
        id: string;
        status: string;
        waiting: boolean;
        periodStartsAt: string | null;
        expiresAt: string | null;
        renewalApplicationDue: string | null;
      }[];
    };
  };

  describe('waiting seizures take effect when the one ahead lapses (查封扣押冻结规定 Arts. 26–27; issue 14 item 10)', () => {
    it('a lapsed first seal: the first waiting seal is in effect from the lapse day for 3 years, the second still waits', async () => {
      const { property: p } = await ok<QueueView>(QUEUE, { id: 'I14-Q1-P' });
      const lapseDay = addDays(today, -9);
      expect(p.measures.map((m) => [m.id, m.status, m.waiting, m.periodStartsAt, m.expiresAt])).toEqual([
        ['I14-Q1-A', 'LAPSED', false, addMonths(addDays(today, -10), -12), addDays(today, -10)],
        ['I14-Q1-B', 'IN_EFFECT', false, lapseDay, addMonths(lapseDay, 36)],
        ['I14-Q1-C', 'WAITING', true, null, null],
      ]);
      expect(p.measures[1]!.renewalApplicationDue).toBe(addDays(addMonths(lapseDay, 36), -7));
    });

    it('after the promoted freeze lapsed too, the second takes effect the day after, for the deposit period of 1 year', async () => {
      const { property: p } = await ok<QueueView>(QUEUE, { id: 'I14-Q2-P' });
      const firstLapse = addMonths(addDays(today, -20), -12);
      const bStart = addDays(firstLapse, 1);
      const bExpiry = addMonths(bStart, 12);
      const cStart = addDays(bExpiry, 1);
      expect(bExpiry < today).toBe(true);
      expect(p.measures.map((m) => [m.id, m.status, m.periodStartsAt, m.expiresAt])).toEqual([
        ['I14-Q2-A', 'LAPSED', addMonths(firstLapse, -12), firstLapse],
        ['I14-Q2-B', 'LAPSED', bStart, bExpiry],
        ['I14-Q2-C', 'IN_EFFECT', cStart, addMonths(cStart, 12)],
      ]);
    });

    it('the court whose seal took effect renews it from the period the queue gave it, and the row records it', async () => {
      const lapseDay = addDays(today, -9);
      const expiresAt = addMonths(addMonths(lapseDay, 36), 36);
      const data = await ok<{ renewMeasure: { measure: { id: string; status: string; periodStartsAt: string; expiresAt: string } } }>(
        `mutation ($input: RenewMeasureInput!) { renewMeasure(input: $input) { measure { id status periodStartsAt expiresAt } } }`,
        { input: { measureId: 'I14-Q1-B', expiresAt, idempotencyKey: `renew-${randomUUID()}` } },
        '川0104',
      );
      expect(data.renewMeasure.measure).toEqual({
        id: 'I14-Q1-B',
        status: 'IN_EFFECT',
        periodStartsAt: addMonths(lapseDay, 36),
        expiresAt,
      });
      expect(await property.get('select waiting, period_starts_at, expires_at, renewals from measures where id = ?', 'I14-Q1-B')).toEqual({
        waiting: 0,
        period_starts_at: addMonths(lapseDay, 36),
        expires_at: expiresAt,
        renewals: 1,
      });
      const { property: p } = await ok<QueueView>(QUEUE, { id: 'I14-Q1-P' });
      expect(p.measures.find((m) => m.id === 'I14-Q1-C')?.status).toBe('WAITING');
    });
  });

  describe('disposal can start a new cycle after a failed second auction (issue 14 item 12)', () => {
    const step = (stage: string, price: string, daysAgo: number, succeeded: boolean, method: string | null = null) => ({
      propertyId: 'I14-D-P',
      stage,
      method,
      price,
      occurredAt: addDays(today, -daysAgo),
      succeeded,
      idempotencyKey: `step-${randomUUID()}`,
    });
    const record = (input: ReturnType<typeof step>) => ok<DisposalStepAnswer>(DISPOSAL_STEP, { input }, '川0105');
    const refused = async (input: ReturnType<typeof step>, rule: string, field: string) => {
      const before = await property.all('select * from disposal_steps where property_id = ? order by seq', 'I14-D-P');
      const body = await post<DisposalStepAnswer>(DISPOSAL_STEP, { input }, '川0105');
      expect(body.errors?.map((e) => [e.extensions?.code, e.extensions?.field, e.extensions?.rule])).toEqual([
        ['BAD_USER_INPUT', field, rule],
      ]);
      expect(await property.all('select * from disposal_steps where property_id = ? order by seq', 'I14-D-P')).toEqual(before);
    };

    it('appraises anew after two failed auctions and holds the new cycle to the new reference price', async () => {
      await record(step('REFERENCE_PRICE', '1000000.00', 100, true, 'APPRAISAL'));
      await record(step('FIRST_AUCTION', '700000.00', 90, false));
      await record(step('SECOND_AUCTION', '560000.00', 80, false));
      const again = await record(step('REFERENCE_PRICE', '400000.00', 60, true, 'APPRAISAL'));
      expect(again.recordDisposalStep.property.disposalStage).toBe('REFERENCE_PRICE');

      await refused(step('FIRST_AUCTION', '279999.99', 50, false), 'FIRST_AUCTION_PRICE_FLOOR', 'input.price');
      await record(step('FIRST_AUCTION', '280000.00', 50, false));
      await refused(step('SECOND_AUCTION', '223999.99', 40, false), 'SECOND_AUCTION_PRICE_CUT', 'input.price');
      await record(step('SECOND_AUCTION', '224000.00', 40, false));
      await refused(step('SALE', '223999.99', 30, true), 'SALE_PRICE_FLOOR', 'input.price');

      // Below the first cycle's second reserve (560,000 yuan), at this cycle's (224,000 yuan): sold, and the seal ends.
      const sold = (await record(step('SALE', '224000.00', 30, true))).recordDisposalStep.property;
      expect(sold.disposalStage).toBe('SALE');
      expect(sold.undisposedSince).toBeNull();
      expect(sold.disposalHistory.map((h) => [h.stage, h.price, h.succeeded])).toEqual([
        ['REFERENCE_PRICE', '1000000.00', true],
        ['FIRST_AUCTION', '700000.00', false],
        ['SECOND_AUCTION', '560000.00', false],
        ['REFERENCE_PRICE', '400000.00', true],
        ['FIRST_AUCTION', '280000.00', false],
        ['SECOND_AUCTION', '224000.00', false],
        ['SALE', '224000.00', true],
      ]);
      expect(sold.measures).toEqual([{ id: 'I14-D-A', status: 'RELEASED', releasedAt: addDays(today, -30) }]);
    });
  });

  const PRESERVATION = '(2025)川0105执保9001号';
  const EXECUTION = '(2026)川0105执9201号';

  /** A preservation case whose freeze and seal were imposed in 2025, and the execution case that continues it. */
  async function insertPreservationScenario() {
    const registry = store.records('case-registry');
    const insertCase = (c: {
      number: string;
      year: number;
      type: string;
      sequence: number;
      status: string;
      filedAt: string;
      root: string;
      continues: string | null;
    }) =>
      registry.run(
        `insert into cases (number, year, court_code, type_code, sequence, executing_court, status, filed_at, obligation, category,
      amount_due, amount_recovered, lineage_root, transferred_from, continues, last_action_at)
     values (?, ?, '川0105', ?, ?, '川0105', ?, ?, 'MONEY', 'COMMERCIAL', 50000000, 0, ?, null, ?, ?)`,
        c.number,
        c.year,
        c.type,
        c.sequence,
        c.status,
        c.filedAt,
        c.root,
        c.continues,
        c.filedAt,
      );
    await insertCase({
      number: PRESERVATION,
      year: 2025,
      type: '执保',
      sequence: 9001,
      status: 'CLOSED',
      filedAt: '2025-03-01',
      root: PRESERVATION,
      continues: null,
    });
    await insertCase({
      number: EXECUTION,
      year: 2026,
      type: '执',
      sequence: 9201,
      status: 'EXECUTING',
      filedAt: '2026-01-05',
      root: PRESERVATION,
      continues: PRESERVATION,
    });
    for (const number of [PRESERVATION, EXECUTION]) {
      await registry.run(
        `insert into case_parties (case_number, role, position, person_id, name, name_key, kind, division_code)
         values (?, 'DEBTOR', 1, null, '测试保全被申请人有限公司', '测试保全被申请人', 'LEGAL_PERSON', '510105')`,
        number,
      );
    }
    await insertProperty('I14-S-P1', 'BANK_DEPOSIT');
    await insertProperty('I14-S-P2', 'REAL_ESTATE');
    await insertMeasure({
      id: 'I14-S-F',
      propertyId: 'I14-S-P1',
      kind: 'FREEZE',
      court: '川0105',
      caseNumber: PRESERVATION,
      imposedAt: '2025-03-02',
      periodStartsAt: '2025-03-02',
      expiresAt: addDays(today, 20),
      waiting: false,
      queuePosition: 1,
    });
    await insertMeasure({
      id: 'I14-S-S',
      propertyId: 'I14-S-P2',
      kind: 'SEAL',
      court: '川0105',
      caseNumber: PRESERVATION,
      imposedAt: '2025-03-03',
      periodStartsAt: '2025-03-03',
      expiresAt: '2028-03-03',
      waiting: false,
      queuePosition: 1,
    });
    await insertMeasure({
      id: 'I14-S-E',
      propertyId: 'I14-S-P2',
      kind: 'SEAL',
      court: '川0105',
      caseNumber: EXECUTION,
      imposedAt: '2026-01-10',
      periodStartsAt: null,
      expiresAt: null,
      waiting: true,
      queuePosition: 2,
    });
  }

  describe('preservation continues into execution (财产保全规定 Art. 17; issue 14 item 11)', () => {
    const CASE = `query ($n: String!) { case(number: $n) { number lineageNumbers measures { id startsAt periodStartsAt expiresAt status case { number } } } }`;
    type CaseView = {
      case: {
        number: string;
        lineageNumbers: string[];
        measures: {
          id: string;
          startsAt: string;
          periodStartsAt: string | null;
          expiresAt: string | null;
          status: string;
          case: { number: string };
        }[];
      };
    };

    it("the execution case's measures include the preservation case's, with their original dates", async () => {
      const { case: c } = await ok<CaseView>(CASE, { n: EXECUTION }, '川0105');
      expect(c.lineageNumbers).toEqual([PRESERVATION, EXECUTION]);
      expect(c.measures.map((m) => [m.id, m.case.number, m.startsAt, m.periodStartsAt, m.expiresAt, m.status])).toEqual([
        ['I14-S-F', PRESERVATION, '2025-03-02', '2025-03-02', addDays(today, 20), 'IN_EFFECT'],
        ['I14-S-S', PRESERVATION, '2025-03-03', '2025-03-03', '2028-03-03', 'IN_EFFECT'],
        ['I14-S-E', EXECUTION, '2026-01-10', null, null, 'WAITING'],
      ]);
    });

    it("the continued preservation measures are the execution case's to renew; the continuation is not a transfer", async () => {
      const data = await ok<{ case: { measuresToRenew: { id: string }[]; transferredFrom: { number: string } | null } }>(
        `query ($n: String!) { case(number: $n) { measuresToRenew { id } transferredFrom { number } } }`,
        { n: EXECUTION },
        '川0105',
      );
      expect(data.case).toEqual({ measuresToRenew: [{ id: 'I14-S-F' }], transferredFrom: null });
    });
  });
});
