import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect } from '../../lib/database';
import type { RunningGraph } from '../../scripts/graph';
import { databasesFor, DIALECTS, openRaw, postGraphQL, startTestGraph } from '../support/graph';

/**
 * Issue #2: the number of SQL statements for an operation must not grow with the number of rows it returns.
 * The same walk for 10 and for 100 debtors, over real HTTP, counting every statement in all three databases.
 */
const WALK_MANY = /* GraphQL */ `
  query ($ids: [ID!]!) {
    debtors(ids: $ids) {
      id
      name
      cases {
        number
        court {
          name
          openCaseCount
          enforcementStaffCount
          officers {
            id
            name
          }
        }
        handler {
          id
          name
          isLeader
        }
        applicants {
          name
          debtor {
            id
          }
        }
        measures {
          id
        }
      }
      properties {
        id
        measures {
          id
          status
          court {
            name
          }
          case {
            number
          }
        }
        disposalHistory {
          stage
        }
      }
    }
  }
`;

let graph: RunningGraph;
/** The walk's statement counts (10, 100 debtors) per dialect: the same operation runs the same statements on both. */
const walkCounts: Partial<Record<Dialect, number[]>> = {};
const statements: string[] = [];

/**
 * The statements of the bigger operation (`more` rows) are no more than the smaller one's, on both dialects. On
 * PostgreSQL answers arrive over the network in turns of their own; the subgraphs' loaders hold a batch until none of
 * the request's statements is in flight (lib/requestBatches.ts), so one level's loads still meet in one statement
 * (before that, 36 statements for 100 debtors against 34 for 10 were seen).
 */
function expectNoGrowth(more: number, fewer: number) {
  expect(more).toBeLessThanOrEqual(fewer);
}

/** Debtors that have both cases and properties, busiest first, so every level of the walk has rows. */
function debtorIds(n: number): string[] {
  const property = openRaw('property-control');
  const registry = openRaw('case-registry');
  const owners = (
    property
      .prepare(`select owner_id id from properties where owner_id is not null group by owner_id order by count(*) desc, owner_id`)
      .all() as { id: string }[]
  ).map((r) => r.id);
  const isDebtor = registry.prepare(`select 1 from case_parties where person_id = ? and role = 'DEBTOR' limit 1`);
  const ids = owners.filter((id) => isDebtor.get(id) !== undefined).slice(0, n);
  property.close();
  registry.close();
  return ids;
}

async function countStatements(ids: string[]) {
  statements.length = 0;
  const { body } = await postGraphQL<{ debtors: { cases: unknown[]; properties: unknown[] }[] }>(graph.gateway.url, WALK_MANY, { ids });
  expect(body.errors).toBeUndefined();
  const rows = body.data!.debtors.reduce((n, d) => n + 1 + d.cases.length + d.properties.length, 0);
  return { statements: statements.length, rows };
}

describe.each(DIALECTS)('issue #2 batching: SQL statements do not grow with rows, stores on %s', (dialect) => {
  beforeAll(async () => {
    // A 100-debtor walk is far over the default cost limit; this test is about SQL batching.
    graph = await startTestGraph({ onQuery: (sql) => statements.push(sql), databases: databasesFor(dialect) }, { MAX_COST: 1_000_000 });
  });
  afterAll(() => graph.close());

  it('runs the same number of statements for 100 debtors as for 10', async () => {
    const ten = await countStatements(debtorIds(10));
    const hundred = await countStatements(debtorIds(100));
    expect(hundred.rows).toBeGreaterThan(ten.rows * 3);
    expect(ten.statements).toBeGreaterThan(5);
    expectNoGrowth(hundred.statements, ten.statements);
    walkCounts[dialect] = [ten.statements, hundred.statements];
    if (dialect === 'postgres' && walkCounts.sqlite) expect(walkCounts.postgres).toEqual(walkCounts.sqlite);
    // Far fewer statements than rows: every list and reference went through one batched statement per level.
    expect(hundred.statements).toBeLessThan(hundred.rows / 10);
  });

  it('finds the court carrying each measure in one statement whatever the number of measures (issue 14 item 9)', async () => {
    const run = async (ids: string[]) => {
      statements.length = 0;
      const { body } = await postGraphQL<{ debtors: { properties: { measures: { carryingCourt: { code: string } | null }[] }[] }[] }>(
        graph.gateway.url,
        `query ($ids: [ID!]!) { debtors(ids: $ids) { properties { measures { carryingCourt { code } } } } }`,
        { ids },
      );
      expect(body.errors).toBeUndefined();
      const measures = body.data!.debtors.flatMap((d) => d.properties.flatMap((p) => p.measures));
      expect(measures.every((m) => m.carryingCourt !== null)).toBe(true);
      return {
        all: statements.length,
        carriers: statements.filter((q) => /not exists/i.test(q) && /lineage_root/.test(q)).length,
        measures: measures.length,
      };
    };
    const ten = await run(debtorIds(10));
    const hundred = await run(debtorIds(100));
    expect(hundred.measures).toBeGreaterThan(ten.measures * 3);
    expect([ten.carriers, hundred.carriers]).toEqual([1, 1]);
    expect(hundred.all).toBe(ten.all);
  });

  it("judges 100 debtors' assessments — their 未实结 cases with each case's lineage measures — in no more statements than 10 (issue 14 items 5, 7)", async () => {
    const run = async (ids: string[]) => {
      statements.length = 0;
      const { body } = await postGraphQL<{ debtors: { terminatedThisRoundCases: unknown[]; unclosedCases: unknown[] }[] }>(
        graph.gateway.url,
        `query ($ids: [ID!]!) { debtors(ids: $ids) { unclosedCases { number } terminatedThisRoundCases { number }
          crossCourt { unconcludedCaseCount } transferAssessment { recommendedMode rules { id met } } } }`,
        { ids },
      );
      expect(body.errors).toBeUndefined();
      const cases = body.data!.debtors.reduce((n, d) => n + d.unclosedCases.length + d.terminatedThisRoundCases.length, 0);
      return { statements: statements.length, cases };
    };
    const ten = await run(debtorIds(10));
    const hundred = await run(debtorIds(100));
    // Rows grow (the ten are the heaviest serial debtors, so not tenfold) while statements do not.
    expect(hundred.cases).toBeGreaterThan(ten.cases * 2);
    expect(ten.statements).toBeGreaterThan(3);
    expectNoGrowth(hundred.statements, ten.statements);
  });

  it("reads a case list's courts ahead only when its selection asks for them, in the one statement the cases' fields made (issue 18)", async () => {
    const ids = debtorIds(10);
    const courtReads = () => statements.filter((q) => /from "courts" where "code"/i.test(q)).length;
    const run = async (fields: string) => {
      statements.length = 0;
      const { body } = await postGraphQL<{ debtors: { cases: { number: string; court?: { code: string; name: string } }[] }[] }>(
        graph.gateway.url,
        `query ($ids: [ID!]!) { debtors(ids: $ids) { unclosedCases { number ${fields} } } }`,
        { ids },
      );
      expect(body.errors).toBeUndefined();
      return { all: statements.length, courts: courtReads(), data: body.data! };
    };
    const bare = await run('');
    const withCourt = await run('court { code name } executingCourt { code }');
    const viaFragment = await run('... on Case { court { code name } }');
    expect(bare.courts).toBe(0);
    expect([withCourt.courts, viaFragment.courts]).toEqual([1, 1]);
    expect([withCourt.all, viaFragment.all]).toEqual([bare.all + 1, bare.all + 1]);
    // Each case still names its own court, as the registry records it.
    const registry = openRaw('case-registry');
    const courtOf = registry.prepare(
      `select c.court_code code, k.name from cases c join courts k on k.code = c.court_code where c.number = ?`,
    );
    const cases = withCourt.data.debtors.flatMap(
      (d) => (d as unknown as { unclosedCases: { number: string; court: unknown }[] }).unclosedCases,
    );
    expect(cases.length).toBeGreaterThan(10);
    for (const c of cases) expect(c.court).toEqual(courtOf.get(c.number));
    registry.close();
  });

  it('answers transferStatistics for a long period with no more statements than for a short one', async () => {
    const run = async (from: string) => {
      statements.length = 0;
      const { body } = await postGraphQL<{ transferStatistics: { cases: unknown[]; byMode: unknown[] } }>(
        graph.gateway.url,
        `query ($from: Date!) { transferStatistics(from: $from, to: "2026-06-30") { cases { id } byMode { casesWithSubstantiveProgress } } }`,
        { from },
      );
      expect(body.errors).toBeUndefined();
      return { statements: statements.length, cases: body.data!.transferStatistics.cases.length };
    };
    const short = await run('2026-01-01');
    const long = await run('2019-01-01');
    expect(long.cases).toBeGreaterThan(short.cases * 2);
    expectNoGrowth(long.statements, short.statements);
  });
});
