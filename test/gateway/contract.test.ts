import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../../lib/dataFiles';
import type { RunningGraph } from '../../scripts/graph';
import { openRaw, postGraphQL, startTestGraph, testDataDir } from '../support/graph';

/**
 * Issue 17 item 4, a consistent contract: every connection has a `totalCount` that costs no statement per row (one
 * count statement for a root connection, none for a debtor's list, and none at all unless selected), and a debtor's
 * cases and properties page through `casePage` and `propertyPage` to exactly the lists `cases` and `properties` give.
 */

let graph: RunningGraph;
const statements: string[] = [];

beforeAll(async () => {
  // Walks of 100 debtors' pages are over the default cost limit; this file is about the pages and their counts.
  graph = await startTestGraph({ onQuery: (sql) => statements.push(sql) }, { MAX_COST: 1_000_000 });
});
afterAll(() => graph.close());

type Page<T> = { totalCount: number; nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

async function data<T>(query: string, variables?: Record<string, unknown>, as?: string): Promise<T> {
  const { status, body } = await postGraphQL<T>(graph.gateway.url, query, variables, { as });
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  expect(status).toBe(200);
  return body.data!;
}

/** How many statements the three systems ran for one request. */
async function statementsFor(query: string, variables?: Record<string, unknown>): Promise<number> {
  statements.length = 0;
  await data(query, variables);
  return statements.length;
}

function scalar(system: 'case-registry' | 'property-control' | 'coordination', sql: string): number {
  const db = new Database(databaseFile(testDataDir(), system), { readonly: true, fileMustExist: true });
  try {
    return Object.values(db.prepare(sql).get() as Record<string, number>)[0]!;
  } finally {
    db.close();
  }
}

/** Debtors with the most cases and properties, so pages have several pages' worth of rows. */
function busiestDebtors(n: number): string[] {
  const property = openRaw('property-control');
  const registry = openRaw('case-registry');
  try {
    const owners = new Map(
      (
        property.prepare('select owner_id id, count(*) n from properties where owner_id is not null group by owner_id').all() as {
          id: string;
          n: number;
        }[]
      ).map((r) => [r.id, r.n]),
    );
    const debtors = registry
      .prepare(`select person_id id, count(distinct case_number) n from case_parties where role = 'DEBTOR' group by person_id`)
      .all() as { id: string; n: number }[];
    return debtors
      .filter((d) => owners.has(d.id))
      .sort((a, b) => b.n + owners.get(b.id)! - (a.n + owners.get(a.id)!) || a.id.localeCompare(b.id))
      .slice(0, n)
      .map((d) => d.id);
  } finally {
    property.close();
    registry.close();
  }
}

/** Every node of a connection, page by page. */
async function walkPages<T>(
  fetchPage: (after: string | null) => Promise<Page<T>>,
): Promise<{ nodes: T[]; totals: number[]; pages: number }> {
  const nodes: T[] = [];
  const totals: number[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const page = await fetchPage(after);
    pages++;
    nodes.push(...page.nodes);
    totals.push(page.totalCount);
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
    expect(pages).toBeLessThan(200);
  }
  return { nodes, totals, pages };
}

describe('issue 17 item 4: totalCount on every root connection, counted by one statement when selected', () => {
  it('debtorPage.totalCount is the number of debtors in the registry', async () => {
    const { debtorPage } = await data<{ debtorPage: Page<{ id: string }> }>(
      '{ debtorPage(first: 10) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }',
    );
    const debtors = scalar('case-registry', `select count(distinct person_id) from case_parties where role = 'DEBTOR'`);
    expect(debtors).toBeGreaterThan(100);
    expect(debtorPage.totalCount).toBe(debtors);
    expect(debtorPage.nodes).toHaveLength(10);
  });

  it('transfers.totalCount is the number of decisions the filter admits, in the viewer scope too', async () => {
    const all = scalar('case-registry', 'select count(*) from transfers');
    expect(all).toBeGreaterThan(0);
    const q = 'query ($mode: TransferMode) { transfers(first: 5, mode: $mode) { totalCount nodes { id } } }';
    expect((await data<{ transfers: Page<unknown> }>(q)).transfers.totalCount).toBe(all);
    const directed = scalar('case-registry', `select count(*) from transfers where mode = 'DIRECTED'`);
    expect((await data<{ transfers: Page<unknown> }>(q, { mode: 'DIRECTED' })).transfers.totalCount).toBe(directed);
    // A basic court counts only what it may see: the same count as walking its pages.
    const seen = await walkPages(
      async (after) =>
        (
          await data<{ transfers: Page<{ id: string }> }>(
            'query ($after: String) { transfers(first: 100, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }',
            { after },
            '川0105',
          )
        ).transfers,
    );
    expect(seen.totals.every((t) => t === seen.nodes.length)).toBe(true);
    expect(seen.nodes.length).toBeLessThan(all);
  });

  it('transferCandidates.totalCount is the size of the assessment index the filter admits', async () => {
    const indexed = scalar('coordination', 'select count(*) from assessment_index');
    expect(indexed).toBeGreaterThan(0);
    const { transferCandidates } = await data<{ transferCandidates: Page<unknown> }>(
      '{ transferCandidates(first: 3) { totalCount nodes { urgency } } }',
    );
    expect(transferCandidates.totalCount).toBe(indexed);
    const chengdu = scalar('coordination', `select count(*) from assessment_index where prefectures like '%|川01|%'`);
    const one = await data<{ transferCandidates: Page<unknown> }>('{ transferCandidates(first: 3, prefecture: "川01") { totalCount } }');
    expect(one.transferCandidates.totalCount).toBe(chengdu);
  });

  it('overdueDisposals.totalCount is the number of properties its pages hold', async () => {
    const walked = await walkPages(
      async (after) =>
        (
          await data<{ overdueDisposals: Page<{ id: string }> }>(
            'query ($after: String) { overdueDisposals(first: 100, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }',
            { after },
          )
        ).overdueDisposals,
    );
    expect(walked.nodes.length).toBeGreaterThan(0);
    expect(new Set(walked.nodes.map((n) => n.id)).size).toBe(walked.nodes.length);
    expect(walked.totals.every((t) => t === walked.nodes.length)).toBe(true);
  });

  it.each([
    ['debtorPage', '{ debtorPage(first: 50) { %s nodes { id } } }'],
    ['transfers', '{ transfers(first: 50) { %s nodes { id } } }'],
    ['transferCandidates', '{ transferCandidates(first: 50) { %s nodes { urgency } } }'],
    ['overdueDisposals', '{ overdueDisposals(first: 50) { %s nodes { id } } }'],
  ])('%s: totalCount adds exactly one statement, and none unless selected', async (_, query) => {
    const without = await statementsFor(query.replace('%s', ''));
    const withCount = await statementsFor(query.replace('%s', 'totalCount'));
    expect(withCount).toBe(without + 1);
  });
});

const DEBTOR_PAGES = /* GraphQL */ `
  query ($id: ID!, $first: Int, $casesAfter: String, $propertiesAfter: String) {
    debtor(id: $id) {
      cases {
        number
      }
      properties {
        id
      }
      casePage(first: $first, after: $casesAfter) {
        totalCount
        nodes {
          number
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
      propertyPage(first: $first, after: $propertiesAfter) {
        totalCount
        nodes {
          id
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

type DebtorPages = {
  debtor: {
    cases: { number: string }[];
    properties: { id: string }[];
    casePage: Page<{ number: string }>;
    propertyPage: Page<{ id: string }>;
  };
};

describe("issue 17 item 4: a debtor's cases and properties are paged, with their totalCount", () => {
  it.each([['川'], ['川01']])('casePage and propertyPage page through exactly cases and properties (viewer %s)', async (court) => {
    let checked = 0;
    for (const id of busiestDebtors(5)) {
      const whole = await postGraphQL<DebtorPages>(graph.gateway.url, DEBTOR_PAGES, { id, first: 1 }, { as: court });
      if (whole.body.data?.debtor == null) continue;
      const { cases, properties } = whole.body.data.debtor;
      const casePages = await walkPages(
        async (after) => (await data<DebtorPages>(DEBTOR_PAGES, { id, first: 4, casesAfter: after }, court)).debtor.casePage,
      );
      const propertyPages = await walkPages(
        async (after) => (await data<DebtorPages>(DEBTOR_PAGES, { id, first: 4, propertiesAfter: after }, court)).debtor.propertyPage,
      );
      expect(casePages.nodes).toEqual(cases);
      expect(propertyPages.nodes).toEqual(properties);
      expect(casePages.totals.every((t) => t === cases.length)).toBe(true);
      expect(propertyPages.totals.every((t) => t === properties.length)).toBe(true);
      if (cases.length > 4) expect(casePages.pages).toBe(Math.ceil(cases.length / 4));
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('filters casePage by status as cases does', async () => {
    const [id] = busiestDebtors(1);
    const { debtor } = await data<{ debtor: { cases: unknown[]; casePage: Page<unknown> } }>(
      'query ($id: ID!) { debtor(id: $id) { cases(status: CLOSED) { number } casePage(status: CLOSED, first: 100) { totalCount nodes { number } } } }',
      { id },
    );
    expect(debtor.casePage.nodes).toEqual(debtor.cases);
    expect(debtor.casePage.totalCount).toBe(debtor.cases.length);
  });

  it("pages 100 debtors' cases and properties, with their counts, in no more statements than 10", async () => {
    const query = `query ($ids: [ID!]!) { debtors(ids: $ids) {
      casePage(first: 3) { totalCount nodes { number court { name } } }
      propertyPage(first: 3) { totalCount nodes { id measures { id } } }
    } }`;
    const run = async (ids: string[]) => {
      statements.length = 0;
      const { debtors } = await data<{ debtors: { casePage: Page<unknown>; propertyPage: Page<unknown> }[] }>(query, { ids });
      return { statements: statements.length, rows: debtors.reduce((n, d) => n + d.casePage.totalCount + d.propertyPage.totalCount, 0) };
    };
    const ten = await run(busiestDebtors(10));
    const hundred = await run(busiestDebtors(100));
    expect(hundred.rows).toBeGreaterThan(ten.rows * 3);
    expect(hundred.statements).toBeLessThanOrEqual(ten.statements);
    // Counting a debtor's list costs no statement: it is the list one statement loaded.
    const uncounted = await statementsFor(query.replaceAll('totalCount ', ''), { ids: busiestDebtors(10) });
    expect(uncounted).toBe(ten.statements);
  });

  it('refuses a page size outside 1..100 naming first', async () => {
    const [id] = busiestDebtors(1);
    const zero = await postGraphQL(graph.gateway.url, 'query ($id: ID!) { debtor(id: $id) { casePage(first: 0) { totalCount } } }', { id });
    expect(zero.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first', rule: 'FIRST_RANGE' });
    const over = await postGraphQL(graph.gateway.url, 'query ($id: ID!) { debtor(id: $id) { propertyPage(first: 101) { totalCount } } }', {
      id,
    });
    expect(over.status).toBe(400);
    expect(over.body.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_LIMIT', field: 'first', rule: 'MAX_LIST_SIZE' });
    const cursor = await postGraphQL(graph.gateway.url, 'query ($id: ID!) { debtor(id: $id) { casePage(after: "nope") { totalCount } } }', {
      id,
    });
    expect(cursor.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after', rule: 'CURSOR_FORMAT' });
  });
});
