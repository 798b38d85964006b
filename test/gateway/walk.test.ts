import type { BaseContext } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGraph } from '../../scripts/graph';
import { SUBGRAPH_RUNTIMES } from '../../lib/config';
import { SUBGRAPHS, type SubgraphName } from '../../subgraphs/catalogue';
import type { SubgraphModule } from '../../lib/subgraphServer';
import { PROVINCE_VIEWER } from '../../lib/auth';
import { databasesFor, DIALECTS, openAllSubgraphs, openRaw, postGraphQL, startTestGraph, unwrapSingleResult } from '../support/graph';
import { createInProcessGateway } from '../support/inProcessGateway';
import { DEBTOR_WALK } from '../support/operations';

interface Walk {
  debtor: {
    id: string;
    name: string;
    cases: {
      number: string;
      court: { code: string; name: string; enforcementStaffCount: number };
      handler: { id: string; name: string; court: { code: string } } | null;
      measures: { id: string }[];
    }[];
    properties: {
      id: string;
      owner: { id: string; name: string };
      measures: { id: string; court: { code: string; name: string }; case: { number: string } }[];
    }[];
  };
}

const registry = openRaw('case-registry');
const property = openRaw('property-control');
const personnel = openRaw('personnel');
afterAll(() => [registry, property, personnel].forEach((db) => db.close()));

/** A debtor with cases in several courts and controlled property: the walk has something at every level. */
function busyDebtorId(): string {
  const row = property
    .prepare(
      `select p.owner_id id from properties p join measures m on m.property_id = p.id where p.owner_id is not null group by p.owner_id order by count(distinct m.court_code) desc, p.owner_id limit 1`,
    )
    .get() as { id: string };
  return row.id;
}

/** Checks every level of the walk against the three systems' own records. */
function checkWalk(data: Walk, id: string) {
  const person = registry.prepare('select name from persons where id = ?').get(id) as { name: string };
  expect(data.debtor.id).toBe(id);
  expect(data.debtor.name).toBe(person.name);

  const caseNumbers = (
    registry.prepare(`select case_number from case_parties where person_id = ? and role = 'DEBTOR'`).all(id) as { case_number: string }[]
  )
    .map((r) => r.case_number)
    .sort();
  expect(data.debtor.cases.map((c) => c.number).sort()).toEqual(caseNumbers);
  expect(new Set(data.debtor.cases.map((c) => c.court.code)).size).toBeGreaterThan(1);

  for (const c of data.debtor.cases) {
    const row = registry.prepare('select handler_id, court_code from cases where number = ?').get(c.number) as {
      handler_id: string | null;
      court_code: string;
    };
    expect(c.court.code).toBe(row.court_code);
    const staff = personnel
      .prepare('select count(*) n from officers where court_code = ? and enforcement = 1 and active = 1')
      .get(row.court_code) as { n: number };
    expect(c.court.enforcementStaffCount).toBe(staff.n);
    if (row.handler_id) {
      const officer = personnel.prepare('select name, court_code from officers where id = ?').get(row.handler_id) as {
        name: string;
        court_code: string;
      };
      expect(c.handler).toMatchObject({ id: row.handler_id, name: officer.name, court: { code: officer.court_code } });
    }
    // Measures follow the case's lineage (a transferred case keeps its seizures): count those of every case in it.
    const lineage = (
      registry.prepare('select number from cases where lineage_root = (select lineage_root from cases where number = ?)').all(c.number) as {
        number: string;
      }[]
    ).map((r) => r.number);
    const measureCount = property
      .prepare('select count(*) n from measures where case_number in (select value from json_each(?))')
      .get(JSON.stringify(lineage)) as { n: number };
    expect(c.measures.length).toBe(measureCount.n);
  }

  const propertyIds = (property.prepare('select id from properties where owner_id = ? order by id').all(id) as { id: string }[]).map(
    (r) => r.id,
  );
  expect(data.debtor.properties.map((p) => p.id)).toEqual(propertyIds);
  expect(propertyIds.length).toBeGreaterThan(0);
  for (const p of data.debtor.properties) {
    expect(p.owner).toEqual({ id, name: person.name });
    const measures = property
      .prepare('select id, court_code, case_number from measures where property_id = ? order by queue_position')
      .all(p.id) as { id: string; court_code: string; case_number: string }[];
    expect(p.measures.map((m) => [m.id, m.court.code, m.case.number])).toEqual(measures.map((m) => [m.id, m.court_code, m.case_number]));
    for (const m of p.measures) {
      const court = registry.prepare('select name from courts where code = ?').get(m.court.code) as { name: string };
      expect(m.court.name).toBe(court.name);
    }
  }
}

describe.each(DIALECTS)('debtor walk across all three subgraphs, stores on %s', (dialect) => {
  const id = busyDebtorId();

  describe('in-process gateway (LocalGraphQLDataSource)', () => {
    let modules: Record<SubgraphName, SubgraphModule<BaseContext>>;
    let gateway: ReturnType<typeof createInProcessGateway>;
    beforeAll(async () => {
      modules = openAllSubgraphs({ databases: databasesFor(dialect) });
      gateway = createInProcessGateway(modules);
      await gateway.apollo.start();
    });
    afterAll(async () => {
      await gateway.apollo.stop();
      await Promise.all(Object.values(modules).map((m) => m.close()));
    });

    it('answers the walk with every level from its owning subgraph', async () => {
      // In process there is no HTTP authentication: the test hands the gateway the viewer itself (the high court).
      const res = unwrapSingleResult<Walk>(
        await gateway.apollo.executeOperation({ query: DEBTOR_WALK, variables: { id } }, { contextValue: { viewer: PROVINCE_VIEWER } }),
      );
      expect(res.errors).toBeUndefined();
      checkWalk(res.data!, id);
    });
  });

  // Issue 17 item 6: the same walk with every subgraph served by Apollo Server, then by Mercurius.
  describe.each(SUBGRAPH_RUNTIMES)('over real HTTP on port 0, subgraphs on %s', (runtime) => {
    let graph: RunningGraph;
    beforeAll(async () => {
      graph = await startTestGraph({ databases: databasesFor(dialect) }, { SUBGRAPH_RUNTIME: runtime });
    });
    afterAll(() => graph?.close());

    it('answers the walk through the gateway and every catalogued subgraph server', async () => {
      expect(Object.keys(graph.hosted).sort()).toEqual(SUBGRAPHS.map((s) => s.name).sort());
      const { status, body } = await postGraphQL<Walk>(graph.gateway.url, DEBTOR_WALK, { id });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      checkWalk(body.data!, id);
    });

    it('reports ready with every subgraph answering', async () => {
      const res = await fetch(graph.gateway.url.replace('/graphql', '/health/ready'));
      expect(res.status).toBe(200);
      // On both dialects the writing systems take writes (on PostgreSQL through lib/writeTransaction.ts, ADR 23).
      expect(await res.json()).toEqual({
        status: 'ready',
        supergraph: 'loaded',
        failing: [],
        subgraphs: Object.fromEntries(SUBGRAPHS.map((s) => [s.name, 'ready'])),
      });
    });
  });
});
