import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES_CONFIG } from '../../domain/rules/config';
import type { RunningGraph } from '../../scripts/graph';
import { openRaw, postGraphQL, startTestGraph, testToday } from '../support/graph';

/** Debtor.transferAssessment through the gateway: facts from three subgraphs, judged by coordination. */
const QUERY = /* GraphQL */ `
  query ($ids: [ID!]!) {
    debtors(ids: $ids) {
      id
      crossCourt {
        unclosedCaseCount
        courts {
          code
        }
        prefectureCount
        idlePropertyCount
        sharedSeizureCount
      }
      transferAssessment {
        configVersion
        assessedOn
        recommendedMode
        explanation
        rules {
          id
          met
          threshold
          observed
          evidence {
            cases {
              number
              status
              closure
            }
            courts {
              code
              name
            }
            properties {
              id
              kind
            }
            dates
            detail
          }
        }
        receivingCourts {
          court {
            code
            name
            level
          }
          score
          factors {
            name
            weight
            value
            detail
          }
        }
      }
    }
  }
`;

interface Assessment {
  configVersion: string;
  assessedOn: string;
  recommendedMode: string;
  explanation: string;
  rules: {
    id: string;
    met: boolean;
    evidence: {
      cases: { number: string; status: string; closure: string | null }[];
      courts: { code: string; name: string }[];
      properties: { id: string; kind: string }[];
      detail: string;
    };
  }[];
  receivingCourts: {
    court: { code: string; name: string; level: string };
    score: number;
    factors: { name: string; weight: number; value: number }[];
  }[];
}
interface Row {
  id: string;
  crossCourt: {
    unclosedCaseCount: number;
    courts: { code: string }[];
    prefectureCount: number;
    idlePropertyCount: number;
    sharedSeizureCount: number;
  };
  transferAssessment: Assessment;
}

let graph: RunningGraph;
let rows: Row[];
const registry = openRaw('case-registry');
afterAll(() => registry.close());

beforeAll(async () => {
  graph = await startTestGraph();
  const busiest = (
    registry
      .prepare(
        `select p.person_id id from case_parties p join cases c on c.number = p.case_number where p.role = 'DEBTOR' and p.person_id is not null and c.status != 'CLOSED' group by p.person_id order by count(distinct c.executing_court) desc, p.person_id limit 5`,
      )
      .all() as { id: string }[]
  ).map((r) => r.id);
  const quiet = (
    registry
      .prepare(
        `select p.person_id id from case_parties p where p.role = 'DEBTOR' and p.person_id is not null and not exists (select 1 from case_parties q join cases c on c.number = q.case_number where q.person_id = p.person_id and (c.status != 'CLOSED' or (c.closure = 'TERMINATED_THIS_ROUND' and not exists (select 1 from cases x where x.transferred_from = c.number or x.continues = c.number)))) limit 3`,
      )
      .all() as { id: string }[]
  ).map((r) => r.id);
  const { body } = await postGraphQL<{ debtors: Row[] }>(graph.gateway.url, QUERY, { ids: [...busiest, ...quiet] });
  expect(body.errors).toBeUndefined();
  rows = body.data!.debtors;
});
afterAll(() => graph.close());

/** The debtor's unclosed cases, read from the registry directly. */
function unclosedCasesOf(debtorId: string): { number: string; executing_court: string; type_code: string }[] {
  return registry
    .prepare(
      `select distinct c.number, c.executing_court, c.type_code from cases c join case_parties p on p.case_number = c.number
       where p.role = 'DEBTOR' and p.person_id = ? and c.status != 'CLOSED' order by c.number`,
    )
    .all(debtorId) as { number: string; executing_court: string; type_code: string }[];
}

/** The debtor's cases closed as 终本 that no case was opened from or continues. */
function terminatedCasesOf(debtorId: string): { number: string; executing_court: string; type_code: string }[] {
  return registry
    .prepare(
      `select distinct c.number, c.executing_court, c.type_code from cases c join case_parties p on p.case_number = c.number
       where p.role = 'DEBTOR' and p.person_id = ? and c.status = 'CLOSED' and c.closure = 'TERMINATED_THIS_ROUND'
         and not exists (select 1 from cases x where x.transferred_from = c.number or x.continues = c.number)
       order by c.number`,
    )
    .all(debtorId) as { number: string; executing_court: string; type_code: string }[];
}

describe('Debtor.transferAssessment', () => {
  it('recommends centralized execution for the debtors with unclosed cases in the most courts, naming one court that holds cases or property', () => {
    const busy = rows.slice(0, 5).filter((r) => r.transferAssessment.rules.find((x) => x.id === 'MANY_COURTS')!.met);
    expect(busy.length).toBeGreaterThan(0);
    for (const r of busy) {
      const a = r.transferAssessment;
      expect(a.recommendedMode).toBe('CENTRALIZED');
      expect(a.explanation).toContain('集中执行');
      expect(a.receivingCourts.length).toBeGreaterThan(0);
      expect(a.receivingCourts[0]!.court.name).toMatch(/法院$/);
      const scores = a.receivingCourts.map((c) => c.score);
      expect([...scores].sort((x, y) => y - x)).toEqual(scores);
      expect(a.receivingCourts[0]!.factors.map((f) => [f.name, f.weight])).toEqual(
        Object.entries(RULES_CONFIG.receivingCourt.assessmentWeights),
      );
    }
  });

  it('judges MANY_COURTS and SPREAD on the same facts crossCourt reports, with evidence resolved by the owning subgraphs', () => {
    for (const r of rows) {
      const rule = (id: string) => r.transferAssessment.rules.find((x) => x.id === id)!;
      expect(r.transferAssessment.rules.map((x) => x.id)).toEqual([
        'MANY_COURTS',
        'IDLE_PROPERTY',
        'LONG_UNEXECUTED',
        'SPREAD',
        'PASSIVE_EXECUTION',
        'CAPACITY',
      ]);
      // Issue 14 items 3 and 6: MANY_COURTS counts the implementation cases (执, 执恢, 执保) of crossCourt's unclosed
      // cases — at least minCases of them over at least minCourts courts. Before, it compared crossCourt's courts with
      // minCourts = 10 and took every unclosed case (review cases too) as evidence.
      // Issue 14 item 5: crossCourt counts implementation cases only, and MANY_COURTS counts the 未实结 ones: the
      // unclosed, and those closed as 终本 that no case carries on.
      const implementation = (c: { type_code: string }) => ['执', '执恢', '执保'].includes(c.type_code);
      const unclosed = unclosedCasesOf(r.id).filter(implementation);
      expect(unclosed).toHaveLength(r.crossCourt.unclosedCaseCount);
      const counted = [...unclosed, ...terminatedCasesOf(r.id).filter(implementation)].sort((a, b) => a.number.localeCompare(b.number));
      const countedCourts = [...new Set(counted.map((c) => c.executing_court))].sort();
      const { minCases, minCourts } = RULES_CONFIG.rules.MANY_COURTS;
      expect(rule('MANY_COURTS').met).toBe(counted.length >= minCases && countedCourts.length >= minCourts);
      expect(rule('MANY_COURTS').evidence.courts.map((c) => c.code)).toEqual(countedCourts);
      expect(rule('MANY_COURTS').evidence.cases.map((c) => c.number)).toEqual(counted.map((c) => c.number).sort());
      expect(rule('MANY_COURTS').evidence.cases.every((c) => c.status !== 'CLOSED' || c.closure === 'TERMINATED_THIS_ROUND')).toBe(true);
      expect(rule('SPREAD').met).toBe(r.crossCourt.prefectureCount >= 2 || r.crossCourt.sharedSeizureCount > 0);
      expect(rule('SPREAD').evidence.properties.length).toBe(r.crossCourt.sharedSeizureCount);
      // IDLE_PROPERTY's idle properties are crossCourt's; those it counts are the ones whose 督办 failed (issue 15
      // item 2), the others are listed as idle but not counted — every idle property appears once in its detail.
      expect(rule('IDLE_PROPERTY').evidence.properties.length).toBeLessThanOrEqual(r.crossCourt.idlePropertyCount);
      expect(rule('IDLE_PROPERTY').evidence.detail.split(' undisposed since ').length - 1).toBe(r.crossCourt.idlePropertyCount);
      for (const c of rule('MANY_COURTS').evidence.courts) {
        expect(c.name).toBe((registry.prepare('select name from courts where code = ?').get(c.code) as { name: string }).name);
      }
      expect(r.transferAssessment.configVersion).toBe(RULES_CONFIG.version);
      expect(r.transferAssessment.assessedOn).toBe(testToday());
    }
  });

  it('recommends nothing for a debtor whose cases are all concluded (closed, and none as 终本 waiting to resume)', () => {
    const closed = rows.slice(5);
    expect(closed.length).toBeGreaterThan(0);
    for (const r of closed) {
      expect(r.crossCourt.unclosedCaseCount).toBe(0);
      expect(r.transferAssessment.recommendedMode).toBeNull();
      expect(r.transferAssessment.receivingCourts).toEqual([]);
    }
  });
});
