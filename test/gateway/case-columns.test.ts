import { afterAll, describe, expect, it, vi } from 'vitest';
import { createRequire } from 'node:module';
import type * as GraphQL from 'graphql';
import { buildSchema } from '../../lib/subgraphServer';
import { PROVINCE_VIEWER } from '../../lib/auth';
import type { CaseRegistryContext } from '../../subgraphs/case-registry/context';
import { CASE_FIELD_COLUMNS, caseColumnsFor } from '../../subgraphs/case-registry/resolvers/Case';
import { caseHeavyDebtors } from '../../bench/peers/run';
import { openRaw, openTestSubgraph, testDataDir } from '../support/graph';

/**
 * Issue 18, ADR 32: a debtor's case list reads only the columns its selection's fields read (`CASE_FIELD_COLUMNS`).
 * Each field of `Case`, asked through `Debtor.cases` (columns read for it alone), must answer exactly as the same case
 * asked by its key (`_entities` of `Case`: the whole row), for debtors whose cases fill every nullable column.
 */
const registry = openTestSubgraph('case-registry');
afterAll(() => registry.close());

// The CommonJS graphql the subgraph schema is built with (an ES import would load a second copy).
const graphql = createRequire(import.meta.url)('graphql') as typeof GraphQL;
const schema = buildSchema(registry);
const caseType = schema.getType('Case') as GraphQL.GraphQLObjectType;

/** A debtor named in the most cases, and one per nullable column with a case where it is filled. */
const debtors = (() => {
  const cr = openRaw('case-registry');
  const ids = new Set<string>();
  const debtorOf = (where: string) =>
    (
      cr
        .prepare(
          `select p.person_id id from case_parties p join cases c on c.number = p.case_number
           where p.role = 'DEBTOR' and p.person_id is not null and ${where} order by p.person_id limit 1`,
        )
        .get() as { id: string } | undefined
    )?.id;
  for (const column of [
    'closed_at',
    'closure',
    'conduct_ordered',
    'amount_due',
    'handler_id',
    'transferred_from',
    'last_action_at',
    'settled_at',
  ]) {
    const id = debtorOf(`c.${column} is not null`);
    if (id) ids.add(id);
  }
  cr.close();
  ids.add(caseHeavyDebtors(testDataDir(), 1)[0]!);
  return [...ids];
})();

/** The field with a selection of every argument-free leaf of its type (a leaf: itself). */
function selectionOf(field: GraphQL.GraphQLField<unknown, unknown>): string {
  const type = graphql.getNamedType(field.type);
  if (graphql.isLeafType(type)) return field.name;
  const fields = (type as GraphQL.GraphQLObjectType).getFields();
  const leaves = Object.values(fields).filter((f) => f.args.length === 0 && graphql.isLeafType(graphql.getNamedType(f.type)));
  return `${field.name} { __typename ${leaves.map((f) => f.name).join(' ')} }`;
}

async function run(query: string, variables: Record<string, unknown>, ctx: unknown = registry.createContext(PROVINCE_VIEWER)) {
  return await graphql.execute({ schema, document: graphql.parse(query), contextValue: ctx, variableValues: variables });
}

describe("a debtor's case list reads only its selection's columns (issue 18, ADR 32)", () => {
  it('names the columns of every field of Case in the schema', () => {
    expect(Object.keys(CASE_FIELD_COLUMNS).sort()).toEqual(Object.keys(caseType.getFields()).sort());
  });

  it.each(Object.values(caseType.getFields()).map((f) => [f.name, f] as const))(
    '%s answers the same read with its columns as read with the whole row',
    async (_name, field) => {
      const selection = selectionOf(field);
      const ctx = registry.createContext(PROVINCE_VIEWER) as unknown as CaseRegistryContext;
      // The source is the subgraph's, shared by every context: the spy is taken off after this one read.
      const read = vi.spyOn(ctx.source, 'casesByDebtor');
      let columnsRead: unknown[];
      const listed = await run(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Debtor { cases { number ${selection} } } } }`,
        { r: debtors.map((id) => ({ __typename: 'Debtor', id })) },
        ctx,
      ).finally(() => {
        columnsRead = read.mock.calls.map((call) => call[2]);
        read.mockRestore();
      });
      // The list's one read asked for the key, the scope's court and this field's columns only.
      const own = CASE_FIELD_COLUMNS[field.name as keyof typeof CASE_FIELD_COLUMNS];
      expect(columnsRead!).toEqual([[...new Set(['number', 'executing_court', ...own])].sort()]);
      const cases = (listed.data!._entities as { cases: { number: string }[] }[]).flatMap((d) => d.cases);
      expect(cases.length).toBeGreaterThan(debtors.length);
      const byKey = await run(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Case { number ${selection} } } }`, {
        r: cases.map((c) => ({ __typename: 'Case', number: c.number })),
      });
      expect(listed.errors?.map((e) => e.message)).toEqual(byKey.errors?.map((e) => e.message));
      expect(cases).toEqual(byKey.data!._entities);
    },
  );

  it('reads whole rows for a field it does not know, and its columns in one order whatever the selection’s', () => {
    const infoOf = (document: string) => {
      const operation = graphql.parse(document).definitions[0] as GraphQL.OperationDefinitionNode;
      return { fieldNodes: [operation.selectionSet.selections[0] as GraphQL.FieldNode], fragments: {} };
    };
    expect(caseColumnsFor(infoOf('{ cases { number notAField } }'))).toBeNull();
    expect(caseColumnsFor(infoOf('{ cases { handler { id } __typename status } }'))).toEqual([
      'executing_court',
      'handler_id',
      'number',
      'status',
    ]);
    expect(caseColumnsFor(infoOf('{ cases { status handler { name } } }'))).toEqual(['executing_court', 'handler_id', 'number', 'status']);
  });
});
