import { afterAll, describe, expect, it, vi } from 'vitest';
import { createRequire } from 'node:module';
import type { execute as Execute, parse as Parse } from 'graphql';
import { buildSchema } from '../../lib/subgraphServer';
import { PROVINCE_VIEWER } from '../../lib/auth';
import type { CaseRegistryContext } from '../../subgraphs/case-registry/context';
import type { PropertyControlContext } from '../../subgraphs/property-control/context';
import { openRaw, openTestSubgraph } from '../support/graph';

/**
 * Issue 18: a list's resolver reads its items' next level in one batch when the selection asks for it, so each item's
 * field answers with the record itself. Counted at the loaders: with the read-ahead a court is loaded once per distinct
 * code (through loadMany), where each case's own `court` field loaded it once per case.
 */
const registry = openTestSubgraph('case-registry');
const property = openTestSubgraph('property-control');
afterAll(async () => {
  await registry.close();
  await property.close();
});

/** The debtor named in the most cases, and the owner of the most properties. */
const busiest = (() => {
  const cr = openRaw('case-registry');
  const pc = openRaw('property-control');
  const debtor = cr
    .prepare(
      `select person_id id from case_parties where role = 'DEBTOR' and person_id is not null group by person_id order by count(*) desc limit 1`,
    )
    .get() as { id: string };
  const owner = pc
    .prepare(`select owner_id id from properties where owner_id is not null group by owner_id order by count(*) desc limit 1`)
    .get() as { id: string };
  cr.close();
  pc.close();
  return { debtor: debtor.id, owner: owner.id };
})();

// The CommonJS graphql the subgraph schema is built with (an ES import would load a second copy).
const { execute, parse } = createRequire(import.meta.url)('graphql') as { execute: typeof Execute; parse: typeof Parse };

async function run<Ctx>(module: typeof registry, ctx: Ctx, query: string, variables: Record<string, unknown>) {
  const schema = buildSchema(module);
  const result = await execute({ schema, document: parse(query), contextValue: ctx, variableValues: variables });
  expect(result.errors).toBeUndefined();
  return result.data as Record<string, unknown>;
}

describe('reading a list’s next level ahead (issue 18)', () => {
  it("loads a debtor's case courts once per court, not once per case, and answers each case's court", async () => {
    const ctx = registry.createContext(PROVINCE_VIEWER) as unknown as CaseRegistryContext;
    const load = vi.spyOn(ctx.loaders.court, 'load');
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Debtor { cases { number court { code } executingCourt { code } } } } }`;
    const data = await run(registry, ctx, query, { r: [{ __typename: 'Debtor', id: busiest.debtor }] });
    const cases = (data._entities as { cases: { court: { code: string }; executingCourt: { code: string } }[] }[])[0]!.cases;
    const codes = new Set(cases.flatMap((c) => [c.court.code, c.executingCourt.code]));
    expect(cases.length).toBeGreaterThan(codes.size * 2);
    expect(load.mock.calls.length).toBe(codes.size);
  });

  it("loads a debtor's properties' measures in one batch and answers each property's measures", async () => {
    const ctx = property.createContext(PROVINCE_VIEWER) as unknown as PropertyControlContext;
    const load = vi.spyOn(ctx.loaders.measuresByProperty, 'load');
    const loadMany = vi.spyOn(ctx.loaders.measuresByProperty, 'loadMany');
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Debtor { properties { id measures { id status } } } } }`;
    const data = await run(property, ctx, query, { r: [{ __typename: 'Debtor', id: busiest.owner }] });
    const properties = (data._entities as { properties: { id: string; measures: { id: string }[] }[] }[])[0]!.properties;
    expect(properties.length).toBeGreaterThan(2);
    expect(properties.some((p) => p.measures.length > 0)).toBe(true);
    // One loadMany of every property; no property's own field loaded again.
    expect(loadMany.mock.calls.map(([ids]) => Array.from(ids).sort())).toEqual([properties.map((p) => p.id).sort()]);
    expect(load.mock.calls.length).toBe(properties.length);
  });

  it('reads nothing ahead when the selection does not ask for it', async () => {
    const ctx = registry.createContext(PROVINCE_VIEWER) as unknown as CaseRegistryContext;
    const load = vi.spyOn(ctx.loaders.court, 'load');
    await run(registry, ctx, `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Debtor { cases { number } } } }`, {
      r: [{ __typename: 'Debtor', id: busiest.debtor }],
    });
    expect(load).not.toHaveBeenCalled();
  });

  it('reports a court missing from the registry as NOT_FOUND at each case that names it, read ahead or not', async () => {
    const ctx = registry.createContext(PROVINCE_VIEWER) as unknown as CaseRegistryContext;
    const cr = openRaw('case-registry');
    const first = cr
      .prepare(
        `select c.number, c.court_code from cases c join case_parties p on p.case_number = c.number
         where p.person_id = ? and p.role = 'DEBTOR' order by c.filed_at desc, c.number limit 1`,
      )
      .get(busiest.debtor) as { number: string; court_code: string };
    cr.close();
    const real = ctx.source.courtsByCode.bind(ctx.source);
    const spy = vi
      .spyOn(ctx.source, 'courtsByCode')
      .mockImplementation(async (codes) => (await real(codes)).map((c) => (c?.code === first.court_code ? null : c)));
    try {
      const schema = buildSchema(registry);
      const listed = await execute({
        schema,
        document: parse(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Debtor { cases { number court { code } } } } }`),
        contextValue: ctx,
        variableValues: { r: [{ __typename: 'Debtor', id: busiest.debtor }] },
      });
      const alone = await execute({
        schema,
        document: parse(`query ($n: String!) { case(number: $n) { court { code } } }`),
        contextValue: registry.createContext(PROVINCE_VIEWER),
        variableValues: { n: first.number },
      });
      for (const result of [listed, alone]) {
        expect(result.errors?.[0]).toMatchObject({ message: `no court ${first.court_code}`, extensions: { code: 'NOT_FOUND' } });
      }
      expect(listed.errors![0]!.path).toEqual(['_entities', 0, 'cases', 0, 'court']);
      expect(alone.errors![0]!.path).toEqual(['case', 'court']);
    } finally {
      spy.mockRestore();
    }
  });
});
