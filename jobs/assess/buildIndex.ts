import { assessDebtor, type Assessment } from '../../domain/rules/assess';
import { yuanToFen } from '../../domain/money';
import { RULES_CONFIG, type RulesConfig } from '../../domain/rules/config';
import { prefectureKey, type CourtFact, type ProvinceFacts } from '../../domain/rules/facts';
import { ruleMask, urgencyOf } from '../../domain/rules/urgency';
import type { CandidateSnapshot, IndexedCandidate } from '../../subgraphs/coordination/sources/ddl';
import { debtorFacts } from '../../subgraphs/coordination/sources/facts';
import type { DebtorRepresentation } from '../../subgraphs/coordination/sources/records';
import type { AssessmentIndexStore } from '../../subgraphs/coordination/sources/source';

/**
 * Builds the coordination subgraph's read models: first every court's load, then the assessment index — a pass
 * over every debtor through the gateway, asking for the same facts `Debtor.transferAssessment` requires, judging
 * them with the same rules, and keeping the debtors that meet at least one rule with their urgency. It is a client of
 * the graph like any analyst's tool, run out of band (jobs/): the coordination subgraph itself never reads another
 * system, and never imports this job.
 */
const COURTS = /* GraphQL */ `
  {
    courts {
      code
      level
      prefecture
      divisionCode
      openCaseCount
      enforcementStaffCount
    }
  }
`;
const DEBTOR_PAGE = /* GraphQL */ `
  query ($first: Int!, $after: String) {
    debtorPage(first: $first, after: $after) {
      nodes {
        id
        divisionCode
        unclosedCases {
          number
          filedAt
          lastActionAt
          amountDue
          amountRecovered
          category
          executingCourt {
            code
          }
        }
        properties {
          id
          kind
          prefecture
          divisionCode
          estimatedValue
          undisposedSince
          disposalStage
          measures {
            id
            status
            court {
              code
            }
          }
        }
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
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export interface BuildOptions {
  gatewayUrl: string;
  /** Bearer token for the gateway: a high-court identity (the graph's own service token, `RunningGraph.security`). */
  token: string;
  index: AssessmentIndexStore;
  today: string;
  pageSize?: number;
  config?: RulesConfig;
  onProgress?: (debtorsScanned: number, candidates: number) => void;
}

async function post<T>(url: string, token: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (!res.ok || body.errors?.length || !body.data) {
    throw new Error(`assessment index: the gateway answered ${res.status}: ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
  }
  return body.data;
}

/** Reads every court's load through the gateway into the coordination subgraph's snapshot, and returns it. */
export async function snapshotCourtLoads(gatewayUrl: string, token: string, index: AssessmentIndexStore): Promise<ProvinceFacts> {
  const { courts } = await post<{ courts: CourtFact[] }>(gatewayUrl, token, COURTS);
  if (courts.some((c) => c.enforcementStaffCount === null))
    throw new Error('assessment index: the personnel roster did not answer; court loads need its staff counts');
  index.replaceCourtLoads({ courts, at: new Date().toISOString() });
  return { courts: new Map(courts.map((c) => [c.code, c])) };
}

interface CrossCourtWire {
  unclosedCaseCount: number;
  courtCount: number;
  courts: { code: string }[];
  prefectureCount: number;
  prefectures: string[];
  outstandingAmount: string;
  oldestUnclosedFiledAt: string | null;
  idlePropertyCount: number;
  idleSince: string | null;
  sharedSeizureCount: number;
  expiringMeasureCount: number;
}

/** How many receiving courts a candidate's snapshot keeps; the live assessment ranks them all. */
const SNAPSHOT_COURTS = 3;

function snapshotOf(c: CrossCourtWire, assessment: Assessment): CandidateSnapshot {
  const { courts, outstandingAmount, ...figures } = c;
  return {
    summary: { ...figures, courtCodes: courts.map((k) => k.code), outstandingFen: yuanToFen(outstandingAmount) },
    explanation: assessment.explanation,
    receivingCourts: assessment.receivingCourts.slice(0, SNAPSHOT_COURTS),
  };
}

export async function buildAssessmentIndex(opts: BuildOptions): Promise<{ debtorsScanned: number; candidates: number }> {
  const config = opts.config ?? RULES_CONFIG;
  const province = await snapshotCourtLoads(opts.gatewayUrl, opts.token, opts.index);
  const rows: IndexedCandidate[] = [];
  let scanned = 0;
  let after: string | null = null;
  for (;;) {
    const page: {
      debtorPage: {
        nodes: (DebtorRepresentation & { crossCourt: CrossCourtWire })[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    } = await post(opts.gatewayUrl, opts.token, DEBTOR_PAGE, { first: opts.pageSize ?? 2000, after });
    for (const node of page.debtorPage.nodes) {
      const debtor = debtorFacts(node);
      const assessment = assessDebtor(debtor, { today: opts.today, province, config });
      const mask = ruleMask(assessment.rules);
      if (mask === 0) continue;
      const prefectures = [
        ...new Set(
          debtor.unclosedCases
            .map((c) => province.courts.get(c.courtCode))
            .filter((c) => c !== undefined)
            .map(prefectureKey),
        ),
      ].sort();
      rows.push({
        debtor_id: debtor.id,
        urgency: urgencyOf(assessment.rules, debtor, opts.today, config),
        rule_mask: mask,
        prefectures: `|${prefectures.join('|')}|`,
        recommended_mode: assessment.recommendedMode,
        snapshot: snapshotOf(node.crossCourt, assessment),
      });
    }
    scanned += page.debtorPage.nodes.length;
    opts.onProgress?.(scanned, rows.length);
    if (!page.debtorPage.pageInfo.hasNextPage) break;
    after = page.debtorPage.pageInfo.endCursor;
  }
  opts.index.replace(rows, {
    assessedOn: opts.today,
    configVersion: config.version,
    builtAt: new Date().toISOString(),
    debtorsScanned: scanned,
  });
  return { debtorsScanned: scanned, candidates: rows.length };
}
