import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../domain/dates';
import { MAX_PERIOD_MONTHS, type PropertyKind } from '../../domain/measures';
import type { RunningGraph } from '../../scripts/graph';
import { COURTS } from '../../domain/sichuan';
import type { MeasureRow } from '../../subgraphs/property-control/sources/ddl';
import { DIALECTS, postGraphQL, startGraphOn, testToday } from '../support/graph';
import { copyTestStore, type Records, type TestStore } from '../support/stores';

/**
 * Issue #4 item 3: property-control's writes (renewal, release, disposal steps) at their legal limits, through the
 * gateway over HTTP, on a private copy of the test province, on both dialects (issue 16 item 5). Expectations come from
 * the records before each call.
 */

const today = testToday();

describe.each(DIALECTS)('property-control writes on %s', (dialect) => {
  let store: TestStore;
  let graph: RunningGraph;
  let property: Records;

  beforeAll(async () => {
    store = await copyTestStore(dialect);
    graph = await startGraphOn(store.dir, { databases: store.databases });
    property = store.records('property-control');
  });

  afterAll(async () => {
    await graph?.close();
    await store?.drop();
  });

  // ---------------------------------------------------------------------------------------------------------------

  /** A measure row with its property's kind, as the writes read it. */
  type MeasureWithKind = MeasureRow & { property_kind: PropertyKind };

  type GqlError = { message: string; extensions?: { code?: string; field?: string; rule?: string } };

  const MEASURE = 'id status startsAt periodStartsAt expiresAt waiting queuePosition renewals releasedAt renewalApplicationDue';
  interface MeasureView {
    id: string;
    status: string;
    startsAt: string;
    periodStartsAt: string | null;
    expiresAt: string | null;
    waiting: boolean;
    queuePosition: number;
    renewals: number;
    releasedAt: string | null;
    renewalApplicationDue: string | null;
  }

  const RENEW = `mutation ($input: RenewMeasureInput!) { renewMeasure(input: $input) { replayed measure { ${MEASURE} } } }`;
  const RELEASE = `mutation ($input: ReleaseMeasureInput!) { releaseMeasure(input: $input) { replayed released { ${MEASURE} } tookEffect { ${MEASURE} } } }`;
  const STEP = `mutation ($input: DisposalStepInput!) { recordDisposalStep(input: $input) { replayed property {
  id disposalStage undisposedSince disposalHistory { stage method price occurredAt succeeded } measures { id status releasedAt } } } }`;

  const newKey = (label: string) => `${label}-${randomUUID()}`;

  /** As the high court, whose scope is the whole province, unless another court is named. */
  async function post<T>(query: string, variables: Record<string, unknown>, as = '川') {
    const { status, body } = await postGraphQL<T>(graph.gateway.url, query, variables, { as });
    expect(status).toBe(200);
    return body;
  }

  async function ok<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const body = await post<T>(query, variables);
    expect(body.errors).toBeUndefined();
    return body.data!;
  }

  const measureRow = async (id: string) =>
    (await property.get<MeasureWithKind>(
      'select m.*, p.kind as property_kind from measures m join properties p on p.id = m.property_id where m.id = ?',
      id,
    ))!;
  const measuresDump = () => property.all('select * from measures order by id');
  const propertyDump = async (id: string) => ({
    property: await property.get('select * from properties where id = ?', id),
    steps: await property.all('select * from disposal_steps where property_id = ? order by seq', id),
    measures: await property.all('select * from measures where property_id = ? order by id', id),
  });
  const auditOf = (key: string) =>
    property.all('select operation, outcome, code, field, rule from audit_log where idempotency_key = ? order by id', key);

  /** Measures one test has taken, so tests do not share a measure or a property. */
  const usedProperties = new Set<string>();

  async function pickMeasure(cond: string, ...params: unknown[]): Promise<MeasureWithKind> {
    const rows = (await property.all(
      `select m.*, p.kind as property_kind from measures m join properties p on p.id = m.property_id where ${cond} order by m.id`,
      ...params,
    )) as MeasureWithKind[];
    const m = rows.find((r) => !usedProperties.has(r.property_id));
    expect(m, cond).toBeDefined();
    usedProperties.add(m!.property_id);
    return m!;
  }

  const IN_EFFECT = `m.released_at is null and m.waiting = 0 and m.expires_at >= ?`;

  /** A refused write names the field and rule, changes nothing and leaves one REFUSED audit record. */
  async function expectRefused(
    query: string,
    input: Record<string, unknown> & { idempotencyKey: string },
    code: string,
    field: string,
    rule: string,
    snapshot: () => Promise<unknown>,
    as = '川',
  ) {
    const before = await snapshot();
    const body = await post(query, { input }, as);
    expect(body.errors?.length, JSON.stringify(body.data)).toBeGreaterThan(0);
    const err = body.errors![0] as GqlError;
    expect(err.extensions).toMatchObject({ code, field, rule });
    expect(err.message).toContain(field);
    expect(await snapshot()).toEqual(before);
    expect(await auditOf(input.idempotencyKey)).toEqual([expect.objectContaining({ outcome: 'REFUSED', code, field, rule })]);
    return err;
  }

  // ---------------------------------------------------------------------------------------------------------------

  describe('renewMeasure', () => {
    it.each([
      ['REAL_ESTATE', 36],
      ['BANK_DEPOSIT', 12],
    ] as const)('renews a %s measure by at most %i months, and only to a later expiry', async (kind, months) => {
      expect(MAX_PERIOD_MONTHS[kind]).toBe(months);
      const m = await pickMeasure(`${IN_EFFECT} and p.kind = ?`, today, kind);
      const expiry = m.expires_at!;
      const limit = addMonths(expiry, months);
      const renew = (expiresAt: string) => ({ measureId: m.id, expiresAt, idempotencyKey: newKey('renew') });

      await expectRefused(RENEW, renew(expiry), 'BAD_USER_INPUT', 'input.expiresAt', 'RENEWAL_NOT_LATER', measuresDump);
      await expectRefused(RENEW, renew(addDays(expiry, -1)), 'BAD_USER_INPUT', 'input.expiresAt', 'RENEWAL_NOT_LATER', measuresDump);
      const tooLong = await expectRefused(
        RENEW,
        renew(addDays(limit, 1)),
        'BAD_USER_INPUT',
        'input.expiresAt',
        'RENEWAL_PERIOD_LIMIT',
        measuresDump,
      );
      expect(tooLong.message).toContain(limit);

      const exact = renew(limit);
      const data = await ok<{ renewMeasure: { replayed: boolean; measure: MeasureView } }>(RENEW, { input: exact });
      expect(data.renewMeasure.replayed).toBe(false);
      expect(data.renewMeasure.measure).toMatchObject({
        id: m.id,
        status: 'IN_EFFECT',
        startsAt: m.imposed_at,
        periodStartsAt: expiry,
        expiresAt: limit,
        renewals: m.renewals + 1,
        releasedAt: null,
      });
      // The next application for renewal is due 7 days before the new expiry.
      expect(data.renewMeasure.measure.renewalApplicationDue).toBe(addDays(limit, -7));
      expect(await measureRow(m.id)).toMatchObject({
        period_starts_at: expiry,
        expires_at: limit,
        renewals: m.renewals + 1,
        imposed_at: m.imposed_at,
      });

      const replay = await ok<{ renewMeasure: { replayed: boolean; measure: MeasureView } }>(RENEW, { input: exact });
      expect(replay.renewMeasure.replayed).toBe(true);
      expect(replay.renewMeasure.measure).toMatchObject({ expiresAt: limit, renewals: m.renewals + 1 });
      expect(await measureRow(m.id)).toMatchObject({ period_starts_at: expiry, expires_at: limit, renewals: m.renewals + 1 });
      expect(await auditOf(exact.idempotencyKey)).toEqual([
        expect.objectContaining({ outcome: 'ACCEPTED' }),
        expect.objectContaining({ outcome: 'REPLAYED' }),
      ]);
    });

    it('refuses to renew a lapsed measure, and says it cannot be renewed', async () => {
      const m = await pickMeasure(`m.released_at is null and m.waiting = 0 and m.expires_at < ?`, today);
      const err = await expectRefused(
        RENEW,
        { measureId: m.id, expiresAt: addMonths(today, 1), idempotencyKey: newKey('renew') },
        'CONFLICT',
        'input.measureId',
        'MEASURE_LAPSED',
        measuresDump,
      );
      expect(err.message).toContain('cannot be renewed');
      expect(err.message).toContain(m.expires_at!);
    });

    it('refuses to renew a waiting seizure', async () => {
      const m = await pickMeasure(`m.released_at is null and m.waiting = 1`);
      await expectRefused(
        RENEW,
        { measureId: m.id, expiresAt: addMonths(today, 1), idempotencyKey: newKey('renew') },
        'CONFLICT',
        'input.measureId',
        'MEASURE_WAITING',
        measuresDump,
      );
    });

    it('refuses to renew a released measure', async () => {
      const m = await pickMeasure(`m.released_at is not null and m.released_at <= ?`, today);
      await expectRefused(
        RENEW,
        { measureId: m.id, expiresAt: addMonths(today, 1), idempotencyKey: newKey('renew') },
        'CONFLICT',
        'input.measureId',
        'MEASURE_RELEASED',
        measuresDump,
      );
    });

    it('refuses a malformed idempotency key, naming the input field', async () => {
      const m = await pickMeasure(`${IN_EFFECT} and p.kind = 'VEHICLE'`, today);
      await expectRefused(
        RENEW,
        { measureId: m.id, expiresAt: addMonths(m.expires_at!, 1), idempotencyKey: 'bad key!' },
        'BAD_USER_INPUT',
        'input.idempotencyKey',
        'IDEMPOTENCY_KEY_FORMAT',
        measuresDump,
      );
    });

    it('refuses an unknown measure', async () => {
      expect(await property.get('select id from measures where id = ?', 'M99999999')).toBeUndefined();
      await expectRefused(
        RENEW,
        { measureId: 'M99999999', expiresAt: addMonths(today, 1), idempotencyKey: newKey('renew') },
        'NOT_FOUND',
        'input.measureId',
        'MEASURE_NOT_FOUND',
        measuresDump,
      );
    });
  });

  describe('releaseMeasure', () => {
    it('lets the earliest waiting seizure take effect for the legal period when the measure in effect is released', async () => {
      // A property with exactly one measure in effect and at least two waiting, so the queue order matters.
      const m = await pickMeasure(
        `${IN_EFFECT}
       and (select count(*) from measures o where o.property_id = m.property_id and o.released_at is null and o.waiting = 0 and o.expires_at >= ?) = 1
       and (select count(*) from measures w where w.property_id = m.property_id and w.released_at is null and w.waiting = 1) >= 2`,
        today,
        today,
      );
      const waiting = (await property.all(
        'select * from measures where property_id = ? and released_at is null and waiting = 1 order by queue_position',
        m.property_id,
      )) as MeasureRow[];
      const [next, ...rest] = waiting;
      const key = newKey('release');

      const data = await ok<{ releaseMeasure: { replayed: boolean; released: MeasureView; tookEffect: MeasureView | null } }>(RELEASE, {
        input: { measureId: m.id, idempotencyKey: key },
      });
      expect(data.releaseMeasure.replayed).toBe(false);
      expect(data.releaseMeasure.released).toMatchObject({ id: m.id, status: 'RELEASED', releasedAt: today });
      expect(data.releaseMeasure.tookEffect).toMatchObject({
        id: next!.id,
        status: 'IN_EFFECT',
        waiting: false,
        periodStartsAt: today,
        expiresAt: addMonths(today, MAX_PERIOD_MONTHS[m.property_kind]),
        startsAt: next!.imposed_at,
      });
      for (const w of rest) expect(await measureRow(w.id)).toMatchObject({ waiting: 1, released_at: null, expires_at: w.expires_at });

      const replay = await ok<{ releaseMeasure: { replayed: boolean; tookEffect: MeasureView | null } }>(RELEASE, {
        input: { measureId: m.id, idempotencyKey: key },
      });
      expect(replay.releaseMeasure.replayed).toBe(true);
      expect(replay.releaseMeasure.tookEffect?.id).toBe(next!.id);
      for (const w of rest) expect((await measureRow(w.id)).waiting).toBe(1);

      await expectRefused(
        RELEASE,
        { measureId: m.id, idempotencyKey: newKey('release') },
        'CONFLICT',
        'input.measureId',
        'MEASURE_RELEASED',
        measuresDump,
      );
    });
  });

  describe('recordDisposalStep in legal order and within the price limits', () => {
    // Each test takes a property of its own and brings it, through the same mutation, to the stage it starts from,
    // so the tests pass alone and in any order.
    let propertyId: string;
    const snapshot = () => propertyDump(propertyId);
    const step = (stage: string, price: string, occurredAt: string, succeeded: boolean, method: string | null = null) => ({
      propertyId,
      stage,
      method,
      price,
      occurredAt,
      succeeded,
      idempotencyKey: newKey('step'),
    });
    type PropertyView = {
      id: string;
      disposalStage: string;
      undisposedSince: string | null;
      disposalHistory: { stage: string; method: string | null; price: string; occurredAt: string; succeeded: boolean }[];
      measures: { id: string; status: string; releasedAt: string | null }[];
    };
    const record = async (input: ReturnType<typeof step>) =>
      (await ok<{ recordDisposalStep: { replayed: boolean; property: PropertyView } }>(STEP, { input })).recordDisposalStep;
    const refuse = (input: ReturnType<typeof step>, rule: string, field = 'input.price', code = 'BAD_USER_INPUT') =>
      expectRefused(STEP, input, code, field, rule, snapshot);

    /** The legal path the scenario walks: reference price, a failed first and second auction, then the sale. */
    const PATH = [
      () => step('REFERENCE_PRICE', '1000000.00', '2026-06-01', true, 'APPRAISAL'),
      () => step('FIRST_AUCTION', '700000.00', '2026-06-10', false),
      () => step('SECOND_AUCTION', '560000.00', '2026-06-20', false),
      () => step('SALE', '560000.00', today, true),
    ];

    /** A fresh property with the first `done` steps of the path recorded. */
    async function propertyAfter(done: number): Promise<void> {
      // No step yet, under a measure in effect since before the first step's day, and more than one measure on it; not a
      // bank deposit, which is deducted, not auctioned (issue 15 item 10).
      const m = await pickMeasure(
        `${IN_EFFECT} and m.period_starts_at <= '2026-06-01' and p.disposal_stage = 'NONE' and p.kind != 'BANK_DEPOSIT'
       and not exists (select 1 from disposal_steps d where d.property_id = m.property_id)
       and (select count(*) from measures o where o.property_id = m.property_id and o.released_at is null) >= 2`,
        today,
      );
      propertyId = m.property_id;
      for (const next of PATH.slice(0, done)) expect((await record(next())).replayed).toBe(false);
    }

    it('refuses any first step but the reference price', async () => {
      await propertyAfter(0);
      await refuse(step('FIRST_AUCTION', '700000.00', '2026-06-01', false), 'DISPOSAL_ORDER', 'input.stage');
      await refuse(step('SALE', '700000.00', '2026-06-01', true), 'DISPOSAL_ORDER', 'input.stage');
    });

    it('refuses a step dated after today', async () => {
      await propertyAfter(0);
      await refuse(step('REFERENCE_PRICE', '1000000.00', addDays(today, 1), true, 'APPRAISAL'), 'DATE_IN_FUTURE', 'input.occurredAt');
    });

    it('records the reference price, once however often it is retried', async () => {
      await propertyAfter(0);
      const input = step('REFERENCE_PRICE', '1000000.00', '2026-06-01', true, 'APPRAISAL');
      const first = await record(input);
      expect(first.replayed).toBe(false);
      expect(first.property.disposalStage).toBe('REFERENCE_PRICE');
      expect(first.property.disposalHistory).toEqual([
        { stage: 'REFERENCE_PRICE', method: 'APPRAISAL', price: '1000000.00', occurredAt: '2026-06-01', succeeded: true },
      ]);
      const again = await record(input);
      expect(again.replayed).toBe(true);
      expect(
        await property.all('select seq, step, method, price, occurred_at, outcome from disposal_steps where property_id = ?', propertyId),
      ).toEqual([{ seq: 1, step: 'REFERENCE_PRICE', method: 'APPRAISAL', price: 100000000, occurred_at: '2026-06-01', outcome: 'DONE' }]);
    });

    it('refuses a method on an auction, a date before the previous step, and a first reserve under 70%', async () => {
      await propertyAfter(1);
      await refuse(step('FIRST_AUCTION', '700000.00', '2026-06-10', false, 'APPRAISAL'), 'METHOD_NOT_APPLICABLE', 'input.method');
      await refuse(step('FIRST_AUCTION', '700000.00', '2026-05-31', false), 'DATE_BEFORE_PREVIOUS_STEP', 'input.occurredAt');
      const err = await refuse(step('FIRST_AUCTION', '699999.99', '2026-06-10', false), 'FIRST_AUCTION_PRICE_FLOOR');
      expect(err.message).toContain('700000.00');
    });

    it('records a failed first auction at exactly 70% of the reference price', async () => {
      await propertyAfter(1);
      const r = await record(step('FIRST_AUCTION', '700000.00', '2026-06-10', false));
      expect(r.property.disposalStage).toBe('FIRST_AUCTION');
      expect(r.property.disposalHistory.at(-1)).toEqual({
        stage: 'FIRST_AUCTION',
        method: null,
        price: '700000.00',
        occurredAt: '2026-06-10',
        succeeded: false,
      });
    });

    it('refuses a second reserve cut by more than 20%, or raised above the first', async () => {
      await propertyAfter(2);
      await refuse(step('SECOND_AUCTION', '559999.99', '2026-06-20', false), 'SECOND_AUCTION_PRICE_CUT');
      await refuse(step('SECOND_AUCTION', '700000.01', '2026-06-20', false), 'SECOND_AUCTION_PRICE_CUT');
    });

    it('records a failed second auction cut by exactly 20%', async () => {
      await propertyAfter(2);
      const r = await record(step('SECOND_AUCTION', '560000.00', '2026-06-20', false));
      expect(r.property.disposalStage).toBe('SECOND_AUCTION');
      expect(r.property.disposalHistory.map((s) => [s.stage, s.price, s.succeeded])).toEqual([
        ['REFERENCE_PRICE', '1000000.00', true],
        ['FIRST_AUCTION', '700000.00', false],
        ['SECOND_AUCTION', '560000.00', false],
      ]);
    });

    it('refuses a sale under the second reserve and taking in payment at any other price', async () => {
      await propertyAfter(3);
      await refuse(step('SALE', '559999.99', today, true), 'SALE_PRICE_FLOOR');
      await refuse(step('TAKEN_IN_PAYMENT', '560000.01', today, true), 'TAKEN_IN_PAYMENT_PRICE');
      await refuse(step('TAKEN_IN_PAYMENT', '559999.99', today, true), 'TAKEN_IN_PAYMENT_PRICE');
    });

    it('records the sale at the second reserve, which disposes of the property and ends every measure on it', async () => {
      await propertyAfter(3);
      const measures = (await property.all('select id from measures where property_id = ? and released_at is null', propertyId)) as {
        id: string;
      }[];
      expect(measures.length).toBeGreaterThanOrEqual(2);
      const input = step('SALE', '560000.00', today, true);
      const r = await record(input);
      expect(r.property).toMatchObject({ disposalStage: 'SALE', undisposedSince: null });
      expect(r.property.disposalHistory.at(-1)).toEqual({
        stage: 'SALE',
        method: null,
        price: '560000.00',
        occurredAt: today,
        succeeded: true,
      });
      for (const m of r.property.measures) expect(m).toMatchObject({ status: 'RELEASED' });
      for (const m of measures)
        expect(r.property.measures.find((x) => x.id === m.id)).toEqual({ id: m.id, status: 'RELEASED', releasedAt: today });
      expect(await property.get('select count(*) as n from measures where property_id = ? and released_at is null', propertyId)).toEqual({
        n: 0,
      });
      expect(await property.get('select disposal_stage, undisposed_since from properties where id = ?', propertyId)).toEqual({
        disposal_stage: 'SALE',
        undisposed_since: null,
      });

      const replay = await record(input);
      expect(replay.replayed).toBe(true);
      expect(await property.get('select count(*) as n from disposal_steps where property_id = ?', propertyId)).toEqual({ n: 4 });
    });

    it('refuses any step after the property was disposed of', async () => {
      await propertyAfter(4);
      await refuse(step('TAKEN_IN_PAYMENT', '560000.00', today, true), 'PROPERTY_ALREADY_DISPOSED', 'input.propertyId', 'CONFLICT');
    });
  });

  describe('court scope: a court writes only on measures and properties its scope holds', () => {
    // 川01 and its basic courts.
    const scope01 = COURTS.filter((c) => c.code === '川01' || c.parent === '川01')
      .map((c) => `'${c.code}'`)
      .join(', ');
    const outside01 = `m.court_code not in (${scope01})`;

    it('refuses 川01 renewing a measure imposed outside its prefecture (FORBIDDEN), before saying anything of the measure', async () => {
      const m = await pickMeasure(`${IN_EFFECT} and ${outside01}`, today);
      const err = await expectRefused(
        RENEW,
        { measureId: m.id, expiresAt: addDays(m.expires_at!, 1), idempotencyKey: newKey('renew') },
        'FORBIDDEN',
        'input.measureId',
        'MEASURE_NOT_IN_SCOPE',
        measuresDump,
        '川01',
      );
      // The court that imposed it is not named: it lies outside the viewer's scope.
      expect(err.message).not.toContain(m.court_code);
    });

    it('refuses 川01 a disposal step on a property no court of its scope holds, even one out of legal order', async () => {
      const m = await pickMeasure(
        `${outside01} and not exists (select 1 from measures o where o.property_id = m.property_id and o.court_code in (${scope01}))`,
      );
      const input = {
        propertyId: m.property_id,
        stage: 'SALE',
        method: null,
        price: '1.00',
        occurredAt: today,
        succeeded: true,
        idempotencyKey: newKey('step'),
      };
      const err = await expectRefused(
        STEP,
        input,
        'FORBIDDEN',
        'input.propertyId',
        'PROPERTY_NOT_IN_SCOPE',
        () => propertyDump(m.property_id),
        '川01',
      );
      expect(err.message).not.toMatch(/auction|reference price|disposed/i);
    });
  });
});
