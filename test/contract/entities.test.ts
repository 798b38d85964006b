import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fenToYuan } from '../../domain/money';
import type { SubgraphName } from '../../subgraphs/catalogue';
import { databasesFor, DIALECTS, openRaw, testToday } from '../support/graph';
import { identicalData, serveSubgraphs, type ServedSubgraphs } from '../support/servedSubgraphs';

/**
 * Each subgraph answers `_entities` for every entity it contributes to, as the gateway will call it: over real HTTP,
 * with the gateway's token, on both runtimes (Apollo Server and Mercurius, issue 17 item 6). Every operation below is
 * sent to both, which must answer alike; each assertion therefore holds for both runtimes.
 */
// Every subgraph's contract on both stores: its SQLite file and the same records copied into PostgreSQL (migrate-data).
describe.each(DIALECTS)('stores on %s', (dialect) => {
  let served: ServedSubgraphs;

  beforeAll(async () => {
    served = await serveSubgraphs(undefined, undefined, { databases: databasesFor(dialect) });
  });

  afterAll(async () => {
    await served?.close();
  });

  async function entities(subgraph: SubgraphName, representations: object[], selection: string) {
    const data = await identicalData<{ _entities: Record<string, unknown>[] }>(served, subgraph, {
      query: `query ($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`,
      variables: { r: representations },
    });
    return data._entities;
  }

  const registry = openRaw('case-registry');
  const property = openRaw('property-control');
  const personnel = openRaw('personnel');
  afterAll(() => [registry, property, personnel].forEach((db) => db.close()));

  describe('case-registry _entities', () => {
    it('resolves Court by code, null for an unknown court', async () => {
      const [court, missing] = await entities(
        'case-registry',
        [
          { __typename: 'Court', code: '川0105' },
          { __typename: 'Court', code: '川0199' },
        ],
        '... on Court { code name level prefecture parent { code } }',
      );
      expect(court).toEqual({ code: '川0105', name: '成都市青羊区人民法院', level: 'BASIC', prefecture: '川01', parent: { code: '川01' } });
      expect(missing).toBeNull();
    });

    it('resolves Debtor by identifier with its cases', async () => {
      const row = registry
        .prepare(
          `select person_id id, count(*) n from case_parties where role = 'DEBTOR' and person_id is not null group by person_id order by n desc limit 1`,
        )
        .get() as { id: string; n: number };
      const person = registry.prepare('select * from persons where id = ?').get(row.id) as { name: string; kind: string };
      const [debtor] = await entities(
        'case-registry',
        [{ __typename: 'Debtor', id: row.id }],
        '... on Debtor { id name kind cases { number } }',
      );
      expect(debtor).toMatchObject({ id: row.id, name: person.name, kind: person.kind });
      expect((debtor!.cases as unknown[]).length).toBe(row.n);
    });

    it('resolves Case by number with amounts as exact yuan strings', async () => {
      const c = registry.prepare(`select * from cases where amount_due is not null order by number limit 1`).get() as {
        number: string;
        amount_due: number;
        amount_recovered: number;
        status: string;
      };
      const [got, missing] = await entities(
        'case-registry',
        [
          { __typename: 'Case', number: c.number },
          { __typename: 'Case', number: '(2020)川0105执999999号' },
        ],
        '... on Case { number status amountDue amountRecovered lineageNumbers }',
      );
      expect(got).toEqual({
        number: c.number,
        status: c.status,
        amountDue: fenToYuan(c.amount_due),
        amountRecovered: fenToYuan(c.amount_recovered),
        lineageNumbers: [c.number],
      });
      expect(missing).toBeNull();
    });

    it('resolves Officer by id with the cases the officer handles', async () => {
      const row = registry
        .prepare(`select handler_id id, count(*) n from cases where handler_id is not null group by handler_id order by n desc limit 1`)
        .get() as { id: string; n: number };
      const [officer] = await entities(
        'case-registry',
        [{ __typename: 'Officer', id: row.id }],
        '... on Officer { id casesHandled { number } }',
      );
      expect(officer!.id).toBe(row.id);
      expect((officer!.casesHandled as unknown[]).length).toBe(row.n);
    });
  });

  describe('case-registry _entities (cross-court and transfers)', () => {
    it('gives every case naming a Debtor its carrying court, as ControlMeasure.carryingCourt does for the case (ADR 21)', async () => {
      // A debtor with a transferred case, so some lineage is carried by another court than the case's own.
      const { id } = registry
        .prepare(
          `select p.person_id id from case_parties p join cases c on c.number = p.case_number
           where p.role = 'DEBTOR' and p.person_id is not null and c.transferred_from is not null order by p.person_id limit 1`,
        )
        .get() as { id: string };
      const numbers = (
        registry
          .prepare(`select distinct case_number from case_parties where person_id = ? and role = 'DEBTOR' order by case_number`)
          .all(id) as { case_number: string }[]
      ).map((r) => r.case_number);
      const [debtor] = await entities(
        'case-registry',
        [{ __typename: 'Debtor', id }],
        '... on Debtor { caseCarriers { case { number } carryingCourt { code } } }',
      );
      const carriers = debtor!.caseCarriers as { case: { number: string }; carryingCourt: { code: string } | null }[];
      expect(carriers.map((c) => c.case.number).sort()).toEqual(numbers);
      const perMeasure = await entities(
        'case-registry',
        carriers.map((c, i) => ({ __typename: 'ControlMeasure', id: `M${i}`, caseNumber: c.case.number })),
        '... on ControlMeasure { carryingCourt { code } }',
      );
      expect(carriers.map((c) => c.carryingCourt)).toEqual(perMeasure.map((m) => m.carryingCourt));
      expect(carriers.some((c) => c.carryingCourt !== null)).toBe(true);
    });

    it('resolves CrossCourtSummary by debtorId with the case figures', async () => {
      // Implementation cases only (issue 14 item 5): a review case (执异, 执复, 执监, 执协, 执他) is heard, not executed.
      const row = registry
        .prepare(
          `select p.person_id id, count(distinct c.number) n, count(distinct c.executing_court) courts from case_parties p join cases c on c.number = p.case_number where p.role = 'DEBTOR' and p.person_id is not null and c.status != 'CLOSED' and c.type_code in ('执', '执恢', '执保') group by p.person_id order by courts desc limit 1`,
        )
        .get() as { id: string; n: number; courts: number };
      // 未实结 adds the implementation cases closed as 终本 that no case carries on.
      const terminated = registry
        .prepare(
          `select count(distinct c.number) n from case_parties p join cases c on c.number = p.case_number where p.role = 'DEBTOR' and p.person_id = ? and c.status = 'CLOSED' and c.closure = 'TERMINATED_THIS_ROUND' and c.type_code in ('执', '执恢', '执保') and not exists (select 1 from cases x where x.transferred_from = c.number or x.continues = c.number)`,
        )
        .get(row.id) as { n: number };
      const [summary] = await entities(
        'case-registry',
        [{ __typename: 'CrossCourtSummary', debtorId: row.id }],
        '... on CrossCourtSummary { debtorId unclosedCaseCount courtCount terminatedThisRoundCaseCount unconcludedCaseCount }',
      );
      expect(summary).toEqual({
        debtorId: row.id,
        unclosedCaseCount: row.n,
        courtCount: row.courts,
        terminatedThisRoundCaseCount: terminated.n,
        unconcludedCaseCount: row.n + terminated.n,
      });
    });

    it('resolves Transfer by id, null for an unknown one', async () => {
      const t = registry.prepare('select * from transfers order by id limit 1').get() as { id: string; mode: string; decided_at: string };
      const n = registry.prepare('select count(*) n from transfer_cases where transfer_id = ?').get(t.id) as { n: number };
      const [got, missing] = await entities(
        'case-registry',
        [
          { __typename: 'Transfer', id: t.id },
          { __typename: 'Transfer', id: 'T999999' },
        ],
        '... on Transfer { id mode decidedAt cases { from { number } } }',
      );
      expect(got).toMatchObject({ id: t.id, mode: t.mode, decidedAt: t.decided_at });
      expect((got!.cases as unknown[]).length).toBe(n.n);
      expect(missing).toBeNull();
    });
  });

  describe('property-control _entities', () => {
    it('resolves CrossCourtSummary by debtorId with the property figures', async () => {
      // Idle: held today by a measure in effect or waiting (neither released nor lapsed), undisposed six months or more.
      const row = property
        .prepare(
          `select p.owner_id id, count(*) n from properties p where p.owner_id is not null and p.undisposed_since <= date(?, '-6 months')
           and exists (select 1 from measures m where m.property_id = p.id and (m.released_at is null or m.released_at > ?) and (m.waiting = 1 or m.expires_at >= ?))
         group by p.owner_id order by n desc limit 1`,
        )
        .get(testToday(), testToday(), testToday()) as { id: string; n: number };
      const [summary] = await entities(
        'property-control',
        [{ __typename: 'CrossCourtSummary', debtorId: row.id }],
        '... on CrossCourtSummary { debtorId idlePropertyCount }',
      );
      expect(summary).toEqual({ debtorId: row.id, idlePropertyCount: row.n });
    });

    it('resolves Property by id, null for an unknown one', async () => {
      const p = property.prepare(`select * from properties order by id limit 1`).get() as { id: string; kind: string; description: string };
      const [got, missing] = await entities(
        'property-control',
        [
          { __typename: 'Property', id: p.id },
          { __typename: 'Property', id: 'NO-SUCH' },
        ],
        '... on Property { id kind description }',
      );
      expect(got).toEqual({ id: p.id, kind: p.kind, description: p.description });
      expect(missing).toBeNull();
    });

    it('resolves ControlMeasure by id', async () => {
      const m = property.prepare(`select * from measures order by id limit 1`).get() as {
        id: string;
        kind: string;
        case_number: string;
        court_code: string;
        queue_position: number;
      };
      const [got] = await entities(
        'property-control',
        [{ __typename: 'ControlMeasure', id: m.id }],
        '... on ControlMeasure { id kind queuePosition court { code } case { number } }',
      );
      expect(got).toEqual({
        id: m.id,
        kind: m.kind,
        queuePosition: m.queue_position,
        court: { code: m.court_code },
        case: { number: m.case_number },
      });
    });

    it('resolves Debtor by id with its properties', async () => {
      const row = property
        .prepare(`select owner_id id, count(*) n from properties where owner_id is not null group by owner_id order by n desc limit 1`)
        .get() as { id: string; n: number };
      const [debtor] = await entities('property-control', [{ __typename: 'Debtor', id: row.id }], '... on Debtor { id properties { id } }');
      expect((debtor!.properties as unknown[]).length).toBe(row.n);
    });

    it('resolves Case measures through the lineage the gateway supplies', async () => {
      const rows = property.prepare(`select case_number, count(*) n from measures group by case_number order by n desc limit 2`).all() as {
        case_number: string;
        n: number;
      }[];
      const [a, b] = rows as [{ case_number: string; n: number }, { case_number: string; n: number }];
      // A lineage of two cases sees the measures of both, without any row being rewritten.
      const [got] = await entities(
        'property-control',
        [{ __typename: 'Case', number: b.case_number, lineageNumbers: [a.case_number, b.case_number] }],
        '... on Case { number measures { id } }',
      );
      expect((got!.measures as unknown[]).length).toBe(a.n + b.n);
    });

    it("lists a Debtor's case lineage measures flat, as Case.measures and measuredProperties answer them (ADR 21)", async () => {
      const rows = property.prepare(`select case_number from measures group by case_number order by count(*) desc limit 3`).all() as {
        case_number: string;
      }[];
      const [a, b, c] = rows.map((r) => r.case_number) as [string, string, string];
      const unclosedCases = [{ number: b, lineageNumbers: [a, b] }];
      const terminatedThisRoundCases = [{ number: c, lineageNumbers: [c] }];
      const [debtor] = await entities(
        'property-control',
        [{ __typename: 'Debtor', id: '11010519491231002X', unclosedCases, terminatedThisRoundCases }],
        '... on Debtor { caseLineageMeasures { case { number } measures { id status } measuredProperties { id undisposedSince } } }',
      );
      const perCase = await entities(
        'property-control',
        [...unclosedCases, ...terminatedThisRoundCases].map((k) => ({ __typename: 'Case', ...k })),
        '... on Case { number measures { id status } measuredProperties { id undisposedSince } }',
      );
      expect(debtor!.caseLineageMeasures).toEqual(perCase.map(({ number, ...facts }) => ({ case: { number }, ...facts })));
      expect((debtor!.caseLineageMeasures as { measures: unknown[] }[])[0]!.measures.length).toBeGreaterThan(1);
    });

    /** Ids of the measures of these cases in effect (judged today) that expire within 30 days of `from`. */
    const dueIds = (numbers: string[], from: string) =>
      (
        property
          .prepare(
            `select id from measures where case_number in (select value from json_each(?)) and waiting = 0 and (released_at is null or released_at > ?)
             and expires_at >= ? and expires_at >= ? and expires_at <= date(?, '+30 days') order by id`,
          )
          .all(JSON.stringify(numbers), testToday(), testToday(), from, from) as { id: string }[]
      ).map((r) => r.id);

    it("lists a RebalancePlan's open case lineage measures flat, as for a Debtor (ADR 21)", async () => {
      const number = (
        property.prepare(`select case_number from measures group by case_number order by count(*) desc limit 1`).get() as {
          case_number: string;
        }
      ).case_number;
      const openCases = [{ number, lineageNumbers: [number] }];
      const [plan] = await entities(
        'property-control',
        [{ __typename: 'RebalancePlan', id: 'plan', openCases }],
        '... on RebalancePlan { openCaseMeasures { case { number } measures { id } measuredProperties { id estimatedValue } } }',
      );
      const [debtor] = await entities(
        'property-control',
        [{ __typename: 'Debtor', id: '11010519491231002X', unclosedCases: openCases, terminatedThisRoundCases: [] }],
        '... on Debtor { caseLineageMeasures { case { number } measures { id } measuredProperties { id estimatedValue } } }',
      );
      expect(plan!.openCaseMeasures).toEqual(debtor!.caseLineageMeasures);
      expect((plan!.openCaseMeasures as { measures: unknown[] }[])[0]!.measures.length).toBeGreaterThan(1);
    });

    it("flags a Case's measures that lapse within the window", async () => {
      // A case with measures both inside and outside the window, so the rule has something to leave out.
      const { case_number: number } = property
        .prepare(
          `select case_number from measures group by case_number
           having sum(waiting = 0 and (released_at is null or released_at > @d) and expires_at between @d and date(@d, '+30 days')) > 0
              and count(*) > sum(waiting = 0 and (released_at is null or released_at > @d) and expires_at between @d and date(@d, '+30 days'))
           order by case_number limit 1`,
        )
        .get({ d: testToday() }) as { case_number: string };
      const expected = dueIds([number], testToday());
      expect(expected.length).toBeGreaterThan(0);
      const [got] = await entities(
        'property-control',
        [{ __typename: 'Case', number, lineageNumbers: [number] }],
        '... on Case { measuresToRenew { id } }',
      );
      expect((got!.measuresToRenew as { id: string }[]).map((m) => m.id).sort()).toEqual(expected);
      expect((property.prepare('select count(*) n from measures where case_number = ?').get(number) as { n: number }).n).toBeGreaterThan(
        expected.length,
      );
    });

    it("flags a Transfer's lineage measures within the window of a later decision date, each once", async () => {
      const decidedAt = (property.prepare(`select date(?, '+20 days') d`).get(testToday()) as { d: string }).d;
      const rows = property
        .prepare(
          `select case_number from measures group by case_number
           having sum(waiting = 0 and (released_at is null or released_at > @d) and expires_at between @d and date(@d, '+30 days')) > 0
           order by case_number limit 2`,
        )
        .all({ d: decidedAt }) as { case_number: string }[];
      const numbers = rows.map((r) => r.case_number);
      const expected = dueIds(numbers, decidedAt);
      expect(expected.length).toBeGreaterThan(0);
      // Two cases carrying on the same lineage: its measures are listed once.
      const cases = [{ carriedOn: { lineageNumbers: numbers } }, { carriedOn: { lineageNumbers: [numbers[1]] } }];
      const [got] = await entities(
        'property-control',
        [{ __typename: 'Transfer', id: 'T1', decidedAt, cases }],
        '... on Transfer { measuresToRenew { id } }',
      );
      expect((got!.measuresToRenew as { id: string }[]).map((m) => m.id).sort()).toEqual(expected);
    });
  });

  describe('coordination _entities', () => {
    it('assesses a Debtor from the facts in its representation', async () => {
      const cases = Array.from({ length: 10 }, (_, i) => ({
        number: `(2024)川01${String(i + 4).padStart(2, '0')}执1号`,
        filedAt: '2024-01-10',
        lastActionAt: '2024-02-01',
        amountDue: '1000.00',
        amountRecovered: '0.00',
        category: 'CIVIL',
        executingCourt: { code: `川01${String(i + 4).padStart(2, '0')}` },
        excludedPeriods: [],
        supervisionOrders: [],
      }));
      const [debtor] = await entities(
        'coordination',
        [
          {
            __typename: 'Debtor',
            id: '11010519491231002X',
            divisionCode: '510104',
            unclosedCases: cases,
            terminatedThisRoundCases: [],
            properties: [],
            caseCarriers: [],
            caseLineageMeasures: cases.map((c) => ({ case: { number: c.number }, measures: [], measuredProperties: [] })),
            transferHistory: [],
            externalCases: [],
          },
        ],
        '... on Debtor { id transferAssessment { recommendedMode rules { id met } } }',
      );
      const assessment = debtor!.transferAssessment as { recommendedMode: string; rules: { id: string; met: boolean }[] };
      expect(assessment.recommendedMode).toBe('CENTRALIZED');
      expect(assessment.rules.find((r) => r.id === 'MANY_COURTS')!.met).toBe(true);
    });

    it("reports a Court's leader share from the received cases in its representation", async () => {
      const received = [
        { number: '(2025)川0104执1号', handler: { id: 'OF1' } },
        { number: '(2025)川0104执2号', handler: { id: 'OF2' } },
        { number: '(2025)川0104执3号', handler: null },
      ];
      // The roster's facts arrive flat on the court: the leaders among the handlers (ADR 21).
      const [got] = await entities(
        'coordination',
        [{ __typename: 'Court', code: '川0104', receivedTransferLeaders: [{ id: 'OF1' }], receivedTransferCases: received }],
        '... on Court { code transferHandling { transferredCases handledByLeaders share meetsRule casesNotHandledByLeaders { number } } }',
      );
      expect(got).toEqual({
        code: '川0104',
        transferHandling: {
          transferredCases: 3,
          handledByLeaders: 1,
          share: 0.333,
          meetsRule: false,
          casesNotHandledByLeaders: [{ number: '(2025)川0104执2号' }, { number: '(2025)川0104执3号' }],
        },
      });
    });
  });

  describe('personnel _entities', () => {
    it('resolves Officer by id, null for an unknown one', async () => {
      const o = personnel.prepare(`select * from officers order by id limit 1`).get() as {
        id: string;
        name: string;
        court_code: string;
        post: string;
      };
      const [got, missing] = await entities(
        'personnel',
        [
          { __typename: 'Officer', id: o.id },
          { __typename: 'Officer', id: 'OF-NONE' },
        ],
        '... on Officer { id name post court { code } }',
      );
      expect(got).toEqual({ id: o.id, name: o.name, post: o.post, court: { code: o.court_code } });
      expect(missing).toBeNull();
    });

    it('resolves Court staffing by code', async () => {
      const row = personnel
        .prepare(`select count(*) n from officers where court_code = '川0105' and enforcement = 1 and active = 1`)
        .get() as { n: number };
      const [court] = await entities(
        'personnel',
        [{ __typename: 'Court', code: '川0105' }],
        '... on Court { code enforcementStaffCount leaders { isLeader } }',
      );
      expect(court!.enforcementStaffCount).toBe(row.n);
      expect(row.n).toBeGreaterThan(0);
      expect((court!.leaders as { isLeader: boolean }[]).every((l) => l.isLeader)).toBe(true);
    });

    it("gives a RebalancePlan's courts, each once in code order, their staffing (ADR 21)", async () => {
      const [plan] = await entities(
        'personnel',
        [{ __typename: 'RebalancePlan', id: 'plan', fromCourts: [{ code: '川0105' }], courts: [{ code: '川0106' }, { code: '川0105' }] }],
        '... on RebalancePlan { staffedCourts { code enforcementStaffCount } }',
      );
      const [a, b] = await entities(
        'personnel',
        ['川0105', '川0106'].map((code) => ({ __typename: 'Court', code })),
        '... on Court { code enforcementStaffCount }',
      );
      expect(plan!.staffedCourts).toEqual([a, b]);
      expect(a!.enforcementStaffCount).toBeGreaterThan(0);
    });

    it("picks the leaders out of a Court's received transfer handlers, each once, in id order (ADR 21)", async () => {
      const officers = personnel.prepare(`select id, post from officers where court_code = '川0105' and active = 1 order by id`).all() as {
        id: string;
        post: string;
      }[];
      const [got] = await entities(
        'personnel',
        [{ __typename: 'Court', code: '川0105', receivedTransferHandlers: [...officers, officers[0]!, { id: 'OF999999' }].reverse() }],
        '... on Court { receivedTransferLeaders { id isLeader } }',
      );
      const leaders = got!.receivedTransferLeaders as { id: string; isLeader: boolean }[];
      expect(leaders.length).toBeGreaterThan(0);
      expect(leaders.length).toBeLessThan(officers.length);
      expect(leaders.every((o) => o.isLeader)).toBe(true);
      expect(leaders.map((o) => o.id)).toEqual([...leaders.map((o) => o.id)].sort());
      const [all] = await entities('personnel', [{ __typename: 'Court', code: '川0105' }], '... on Court { leaders { id } }');
      expect(leaders.map((o) => o.id)).toEqual((all!.leaders as { id: string }[]).map((o) => o.id).sort());
    });
  });
});
