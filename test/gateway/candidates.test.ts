import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../domain/rules/config';
import type { RunningGraph } from '../../scripts/graph';
import { openRaw, postGraphQL, startTestGraph } from '../support/graph';

/** Issue #3 item 4: the province-wide candidate list, read from the assessment index built in the global setup. */
let graph: RunningGraph;
const statements: string[] = [];
beforeAll(async () => {
  // The page compares each snapshot with the live assessment's courts, one level deeper than the default depth limit,
  // and asks for 100 candidates' live assessments at once: this test is about the index, not the limits.
  graph = await startTestGraph({ onQuery: (sql) => statements.push(sql) }, { MAX_DEPTH: 7, MAX_COST: 1_000_000 });
});
afterAll(() => graph.close());

const PAGE = /* GraphQL */ `
  query ($first: Int, $after: String, $prefecture: String, $rule: String) {
    transferCandidates(first: $first, after: $after, prefecture: $prefecture, rule: $rule) {
      assessedOn
      configVersion
      nodes {
        urgency
        rulesMet
        recommendedMode
        explanation
        receivingCourts {
          court {
            code
          }
          score
        }
        summary {
          unclosedCaseCount
          courtCount
          courts {
            code
          }
          prefectureCount
          prefectures
          outstandingAmount
          oldestUnclosedFiledAt
          idlePropertyCount
          idleSince
          sharedSeizureCount
          expiringMeasureCount
        }
        debtor {
          id
          crossCourt {
            unclosedCaseCount
            courtCount
            courts {
              code
            }
            prefectureCount
            prefectures
            outstandingAmount
            oldestUnclosedFiledAt
            idlePropertyCount
            idleSince
            sharedSeizureCount
            expiringMeasureCount
          }
          transferAssessment {
            recommendedMode
            explanation
            rules {
              id
              met
            }
            receivingCourts {
              court {
                code
              }
              score
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

interface Node {
  urgency: number;
  rulesMet: string[];
  recommendedMode: string | null;
  explanation: string;
  receivingCourts: { court: { code: string }; score: number }[];
  summary: Record<string, unknown>;
  debtor: {
    id: string;
    crossCourt: Record<string, unknown> & { prefectures: string[] };
    transferAssessment: {
      recommendedMode: string | null;
      explanation: string;
      rules: { id: string; met: boolean }[];
      receivingCourts: { court: { code: string }; score: number }[];
    };
  };
}
interface Page {
  transferCandidates: {
    assessedOn: string;
    configVersion: string;
    nodes: Node[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

async function page(variables: Record<string, unknown>): Promise<Page['transferCandidates']> {
  const { body } = await postGraphQL<Page>(graph.gateway.url, PAGE, variables);
  expect(body.errors).toBeUndefined();
  return body.data!.transferCandidates;
}

async function all(variables: Record<string, unknown>): Promise<Node[]> {
  const nodes: Node[] = [];
  let after: string | null = null;
  for (let i = 0; i < 500; i++) {
    const p = await page({ ...variables, first: 100, after });
    nodes.push(...p.nodes);
    if (!p.pageInfo.hasNextPage) return nodes;
    after = p.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

let everyone: Node[];
beforeAll(async () => {
  everyone = await all({});
});

describe('transferCandidates', () => {
  it('lists every debtor meeting a rule exactly once, most urgent first, agreeing with the live assessment', () => {
    expect(everyone.length).toBeGreaterThan(50);
    expect(new Set(everyone.map((n) => n.debtor.id)).size).toBe(everyone.length);
    const urgencies = everyone.map((n) => n.urgency);
    expect([...urgencies].sort((a, b) => b - a)).toEqual(urgencies);
    // Nothing changed since the pass, so the snapshot equals the live figures and assessment.
    for (const n of everyone) {
      const live = n.debtor.transferAssessment.rules.filter((r) => r.met).map((r) => r.id);
      expect(n.rulesMet).toEqual(live);
      expect(n.recommendedMode).toBe(n.debtor.transferAssessment.recommendedMode);
      expect(n.explanation).toBe(n.debtor.transferAssessment.explanation);
      expect(n.receivingCourts).toEqual(n.debtor.transferAssessment.receivingCourts.slice(0, 3));
      expect(n.summary).toEqual(n.debtor.crossCourt);
    }
  });

  it('leaves out exactly the debtors that meet no rule', async () => {
    const listed = new Set(everyone.map((n) => n.debtor.id));
    const registry = openRaw('case-registry');
    const sample = (
      registry
        .prepare(
          `select distinct person_id id from case_parties where role = 'DEBTOR' and person_id is not null order by person_id limit 100`,
        )
        .all() as { id: string }[]
    ).map((r) => r.id);
    registry.close();
    const { body } = await postGraphQL<{ debtors: { id: string; transferAssessment: { rules: { met: boolean }[] } }[] }>(
      graph.gateway.url,
      `query ($ids: [ID!]!) { debtors(ids: $ids) { id transferAssessment { rules { met } } } }`,
      { ids: sample },
    );
    expect(body.errors).toBeUndefined();
    let met = 0;
    for (const d of body.data!.debtors) {
      const anyMet = d.transferAssessment.rules.some((r) => r.met);
      if (anyMet) met++;
      expect(listed.has(d.id)).toBe(anyMet);
    }
    expect(met).toBeGreaterThan(0);
    expect(met).toBeLessThan(sample.length);
  });

  it('filters by rule and by prefecture', async () => {
    const manyCourts = await all({ rule: 'MANY_COURTS' });
    expect(manyCourts.map((n) => n.debtor.id)).toEqual(everyone.filter((n) => n.rulesMet.includes('MANY_COURTS')).map((n) => n.debtor.id));
    expect(manyCourts.length).toBeGreaterThan(0);
    const yibin = await all({ prefecture: '宜宾市' });
    expect(yibin.map((n) => n.debtor.id)).toEqual(
      everyone.filter((n) => n.debtor.crossCourt.prefectures.includes('川15')).map((n) => n.debtor.id),
    );
    expect(yibin.length).toBeGreaterThan(0);
  });

  it('runs as many SQL statements for 50 candidates as for 5', async () => {
    statements.length = 0;
    const five = await page({ first: 5 });
    const fewer = statements.length;
    statements.length = 0;
    const fifty = await page({ first: 50 });
    expect(fifty.nodes.length).toBe(50);
    expect(five.nodes.length).toBe(5);
    expect(fewer).toBeGreaterThan(3);
    expect(statements.length).toBeLessThanOrEqual(fewer);
  });

  it('refuses an unknown rule, a bad cursor, an empty page and an unknown prefecture with BAD_USER_INPUT', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ rule: 'TOO_BIG' }, 'rule', 'UNKNOWN_RULE'],
      [{ after: 'bm9wZQ' }, 'after', 'CURSOR_FORMAT'],
      [{ first: 0 }, 'first', 'FIRST_RANGE'],
      [{ prefecture: '上海' }, 'prefecture', 'UNKNOWN_PREFECTURE'],
    ];
    for (const [variables, field, rule] of cases) {
      const { body } = await postGraphQL(graph.gateway.url, PAGE, variables);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, rule });
    }
    expect(RULE_IDS).toContain('MANY_COURTS');
  });
});
