import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../domain/dates';
import { measureStatus } from '../../domain/measures';
import { fenToYuan } from '../../domain/money';
import { RULES_CONFIG } from '../../domain/rules/config';
import type { RunningGraph } from '../../scripts/graph';
import type { CaseRow } from '../../subgraphs/case-registry/sources/ddl';
import type { MeasureRow } from '../../subgraphs/property-control/sources/ddl';
import { openRaw, postGraphQL, startTestGraph, testToday } from '../support/graph';

/**
 * Debtor.crossCourt: case figures from the registry, property figures from property-control, joined under one key.
 * Every figure must equal a brute-force recomputation over the debtor's own records.
 */
const QUERY = /* GraphQL */ `
  query ($ids: [ID!]!) {
    debtors(ids: $ids) {
      id
      crossCourt {
        unclosedCaseCount
        terminatedThisRoundCaseCount
        unconcludedCaseCount
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
    }
  }
`;

let graph: RunningGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph.close());

const registry = openRaw('case-registry');
const property = openRaw('property-control');
afterAll(() => [registry, property].forEach((db) => db.close()));

function bruteForce(id: string, today: string) {
  const cases = registry
    .prepare(`select distinct c.* from case_parties p join cases c on c.number = p.case_number where p.person_id = ? and p.role = 'DEBTOR'`)
    .all(id) as CaseRow[];
  // Implementation cases only (执, 执恢, 执保; issue 14 item 5); 未实结 adds the 终本 cases no case carries on.
  const implementation = cases.filter((c) => ['执', '执恢', '执保'].includes(c.type_code));
  const unclosed = implementation.filter((c) => c.status !== 'CLOSED');
  const carriedOn = (c: CaseRow) =>
    registry.prepare('select 1 from cases where transferred_from = ? or continues = ?').get(c.number, c.number) !== undefined;
  const terminated = implementation.filter((c) => c.status === 'CLOSED' && c.closure === 'TERMINATED_THIS_ROUND' && !carriedOn(c));
  const courts = [...new Set(unclosed.map((c) => c.executing_court))].sort();
  const prefectureOf = (code: string) =>
    (
      registry
        .prepare(`select coalesce(prefecture, case when level = 'BASIC' then parent else code end) p from courts where code = ?`)
        .get(code) as { p: string }
    ).p;
  const prefectures = [...new Set(courts.map(prefectureOf))].sort();
  const outstanding = unclosed.reduce((n, c) => n + (c.amount_due === null ? 0 : c.amount_due - c.amount_recovered), 0);
  const oldest = unclosed.map((c) => c.filed_at).sort()[0] ?? null;

  // Judged with the domain's own measureStatus, not a copy of the SQL under test.
  const props = property.prepare('select id, undisposed_since from properties where owner_id = ?').all(id) as {
    id: string;
    undisposed_since: string | null;
  }[];
  const measures = props.flatMap((p) => property.prepare('select * from measures where property_id = ?').all(p.id) as MeasureRow[]);
  const status = (m: MeasureRow) => measureStatus({ releasedAt: m.released_at, waiting: m.waiting === 1, expiresAt: m.expires_at }, today);
  const standing = (m: MeasureRow) => status(m) === 'IN_EFFECT' || status(m) === 'WAITING';
  const cutoff = addMonths(today, -RULES_CONFIG.rules.IDLE_PROPERTY.minIdleMonths);
  const idle = props.filter(
    (p) => p.undisposed_since !== null && p.undisposed_since <= cutoff && measures.some((m) => m.property_id === p.id && standing(m)),
  );
  const shared = props.filter(
    (p) => new Set(measures.filter((m) => m.property_id === p.id && standing(m)).map((m) => m.court_code)).size >= 2,
  );
  const limit = addDays(today, RULES_CONFIG.expiryWindowDays);
  const expiring = measures.filter((m) => status(m) === 'IN_EFFECT' && m.expires_at !== null && m.expires_at <= limit);
  return {
    unclosedCaseCount: unclosed.length,
    terminatedThisRoundCaseCount: terminated.length,
    unconcludedCaseCount: unclosed.length + terminated.length,
    courtCount: courts.length,
    courts: courts.map((code) => ({ code })),
    prefectureCount: prefectures.length,
    prefectures,
    outstandingAmount: fenToYuan(outstanding),
    oldestUnclosedFiledAt: oldest,
    idlePropertyCount: idle.length,
    idleSince: idle.map((p) => p.undisposed_since!).sort()[0] ?? null,
    sharedSeizureCount: shared.length,
    expiringMeasureCount: expiring.length,
  };
}

describe('Debtor.crossCourt', () => {
  it('equals a brute-force recomputation over each debtor’s records, for the busiest and for ordinary debtors', async () => {
    const busiest = (
      property
        .prepare(`select owner_id id from properties where owner_id is not null group by owner_id order by count(*) desc limit 30`)
        .all() as { id: string }[]
    ).map((r) => r.id);
    const ordinary = (
      registry
        .prepare(
          `select person_id id from case_parties where role = 'DEBTOR' and person_id is not null group by person_id order by person_id limit 70`,
        )
        .all() as { id: string }[]
    ).map((r) => r.id);
    const ids = [...new Set([...busiest, ...ordinary])];
    const { body } = await postGraphQL<{ debtors: { id: string; crossCourt: Record<string, unknown> }[] }>(graph.gateway.url, QUERY, {
      ids,
    });
    expect(body.errors).toBeUndefined();
    for (const d of body.data!.debtors) expect(d.crossCourt).toEqual(bruteForce(d.id, testToday()));
    // The sample exercises every figure, not just zeros.
    const all = body.data!.debtors.map((d) => d.crossCourt);
    for (const field of ['courtCount', 'prefectureCount', 'idlePropertyCount', 'sharedSeizureCount']) {
      expect(all.some((s) => (s[field] as number) >= 2)).toBe(true);
    }
    expect(all.some((s) => (s.expiringMeasureCount as number) > 0)).toBe(true);
  });
});
