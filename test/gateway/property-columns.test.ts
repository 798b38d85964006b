import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRequire } from 'node:module';
import type * as GraphQL from 'graphql';
import { buildSchema } from '../../lib/subgraphServer';
import { PROVINCE_VIEWER } from '../../lib/auth';
import type { PropertyControlContext } from '../../subgraphs/property-control/context';
import { PROPERTY_FIELD_COLUMNS, propertyColumnsFor } from '../../subgraphs/property-control/resolvers/Property';
import { openPropertyControlSqlite, type SqlPropertyControl } from '../../subgraphs/property-control/sources/sqlite';
import { postgresSettingsFor } from '../../lib/database';
import { databaseFile } from '../../lib/dataFiles';
import { databasesFor, DIALECTS, openRaw, openTestSubgraph, testDataDir } from '../support/graph';

/**
 * Issue 18, ADR 33: a debtor's list of properties reads only the columns its selection's fields read
 * (`PROPERTY_FIELD_COLUMNS`). Each field of `Property`, asked through `Debtor.properties` (columns read for it alone),
 * must answer exactly as the same property asked by its key (`_entities` of `Property`: the whole row), for owners whose
 * properties fill every nullable column.
 */
const propertyControl = openTestSubgraph('property-control');
afterAll(() => propertyControl.close());

// The CommonJS graphql the subgraph schema is built with (an ES import would load a second copy).
const graphql = createRequire(import.meta.url)('graphql') as typeof GraphQL;
const schema = buildSchema(propertyControl);
const propertyType = schema.getType('Property') as GraphQL.GraphQLObjectType;

/** The owner of the most properties, and one per nullable column with a property where it is filled. */
const owners = (() => {
  const pc = openRaw('property-control');
  const ids = new Set<string>();
  const ownerOf = (where: string) =>
    (
      pc.prepare(`select owner_id id from properties where owner_id is not null and ${where} order by owner_id limit 1`).get() as
        { id: string } | undefined
    )?.id;
  for (const column of ['division_code', 'prefecture', 'estimated_value', 'undisposed_since', 'disposal_hold_reason']) {
    const id = ownerOf(`${column} is not null`);
    if (id) ids.add(id);
  }
  ids.add(ownerOf('out_of_province = 1')!);
  ids.add(ownerOf(`id in (select property_id from encumbrances)`)!);
  ids.add(ownerOf(`id in (select property_id from disposal_steps)`)!);
  ids.add(
    (
      pc
        .prepare(`select owner_id id from properties where owner_id is not null group by owner_id order by count(*) desc, owner_id limit 1`)
        .get() as { id: string }
    ).id,
  );
  pc.close();
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

async function run(query: string, variables: Record<string, unknown>, ctx: unknown = propertyControl.createContext(PROVINCE_VIEWER)) {
  return await graphql.execute({ schema, document: graphql.parse(query), contextValue: ctx, variableValues: variables });
}

describe("a debtor's list of properties reads only its selection's columns (issue 18, ADR 33)", () => {
  it('names the columns of every field of Property in the schema', () => {
    expect(Object.keys(PROPERTY_FIELD_COLUMNS).sort()).toEqual(Object.keys(propertyType.getFields()).sort());
  });

  it.each(Object.values(propertyType.getFields()).map((f) => [f.name, f] as const))(
    '%s answers the same read with its columns as read with the whole row',
    async (_name, field) => {
      const selection = selectionOf(field);
      const ctx = propertyControl.createContext(PROVINCE_VIEWER) as unknown as PropertyControlContext;
      // The source is the subgraph's, shared by every context: the spy is taken off after this one read.
      const read = vi.spyOn(ctx.source, 'propertiesByOwner');
      let columnsRead: unknown[];
      const listed = await run(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Debtor { properties { id ${selection} } } } }`,
        { r: owners.map((id) => ({ __typename: 'Debtor', id })) },
        ctx,
      ).finally(() => {
        columnsRead = read.mock.calls.map((call) => call[1]);
        read.mockRestore();
      });
      // The list's one read asked for the key, kind and owner, and this field's columns only.
      const own = PROPERTY_FIELD_COLUMNS[field.name as keyof typeof PROPERTY_FIELD_COLUMNS];
      expect(columnsRead!).toEqual([[...new Set(['id', 'kind', 'owner_id', ...own])].sort()]);
      const properties = (listed.data!._entities as { properties: { id: string }[] }[]).flatMap((d) => d.properties);
      expect(properties.length).toBeGreaterThan(owners.length);
      const byKey = await run(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Property { id ${selection} } } }`, {
        r: properties.map((p) => ({ __typename: 'Property', id: p.id })),
      });
      expect(listed.errors?.map((e) => e.message)).toEqual(byKey.errors?.map((e) => e.message));
      expect(properties).toEqual(byKey.data!._entities);
    },
  );

  it('reads whole rows for a field it does not know, and for the other lists of a debtor’s properties', async () => {
    const infoOf = (document: string) => {
      const operation = graphql.parse(document).definitions[0] as GraphQL.OperationDefinitionNode;
      return { fieldNodes: [operation.selectionSet.selections[0] as GraphQL.FieldNode], fragments: {} };
    };
    expect(propertyColumnsFor(infoOf('{ properties { id notAField } }'))).toBeNull();
    expect(propertyColumnsFor(infoOf('{ properties { locationCourt { code } __typename kind } }'))).toEqual([
      'division_code',
      'id',
      'kind',
      'out_of_province',
      'owner_id',
    ]);
    const ctx = propertyControl.createContext(PROVINCE_VIEWER) as unknown as PropertyControlContext;
    const read = vi.spyOn(ctx.source, 'propertiesByOwner');
    const answer = await run(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Debtor { properties { id } propertyPage(first: 5) { nodes { description } } } } }`,
      { r: owners.slice(0, 2).map((id) => ({ __typename: 'Debtor', id })) },
      ctx,
    ).finally(() => {
      expect(read.mock.calls.map((call) => call[1] ?? null)).toEqual([['id', 'kind', 'owner_id'], null]);
      read.mockRestore();
    });
    expect(answer.errors).toBeUndefined();
  });
});

describe.each(DIALECTS)("a debtor's properties by their columns, stores on %s (ADR 33)", (dialect) => {
  const statements: string[] = [];
  let source: SqlPropertyControl;
  beforeAll(() => {
    source = openPropertyControlSqlite(databaseFile(testDataDir(), 'property-control'), {
      readonly: true,
      postgres: postgresSettingsFor(databasesFor(dialect), 'property-control'),
      onQuery: (text) => statements.push(text),
    });
  });
  afterAll(() => source.close());

  it('reads only the columns asked for: the whole rows cut to them, in the same order, in one statement', async () => {
    const ids = [...owners, 'NO-SUCH-OWNER'];
    const columns = ['description', 'disposal_stage', 'estimated_value', 'id', 'kind', 'owner_id', 'undisposed_since'] as const;
    const whole = await source.propertiesByOwner(ids);
    statements.length = 0;
    const narrow = await source.propertiesByOwner(ids, columns);
    expect(statements).toHaveLength(1);
    expect(statements[0]).not.toMatch(/select \*/);
    expect(narrow).toEqual(whole.map((list) => list.map((p) => Object.fromEntries(columns.map((k) => [k, p[k]])))));
    expect(narrow.at(-1)).toEqual([]);
    expect(narrow.flat().length).toBeGreaterThan(owners.length);
  });
});
