import { isImplementationCase } from '../../domain/caseKinds';
import { assessDebtor, type Assessment } from '../../domain/rules/assess';
import { yuanToFen } from '../../domain/money';
import { RULES_CONFIG, type RulesConfig } from '../../domain/rules/config';
import { prefectureKey, type CourtFact, type ProvinceFacts } from '../../domain/rules/facts';
import { ruleMask, urgencyOf } from '../../domain/rules/urgency';
import type { CandidateSnapshot, IndexedCandidate } from '../../subgraphs/coordination/sources/ddl';
import { debtorFacts } from '../../subgraphs/coordination/sources/facts';
import type { DebtorRepresentation } from '../../subgraphs/coordination/sources/records';
import type { AssessmentIndexStore, ChangePositions } from '../../subgraphs/coordination/sources/source';
import { subgraphTypeDefs } from '../../subgraphs/catalogue';
import { Kind } from 'graphql';

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
/**
 * The facts `Debtor.transferAssessment` requires, read from the `@requires` of coordination's SDL: the index pass
 * asks the gateway for exactly the selection the live assessment is given, so the two can never judge different facts.
 */
export function assessmentRequirements(): string {
  for (const def of subgraphTypeDefs('coordination').definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION || def.name.value !== 'Debtor') continue;
    const field = def.fields?.find((f) => f.name.value === 'transferAssessment');
    const requires = field?.directives?.find((d) => d.name.value === 'requires');
    const fields = requires?.arguments?.find((a) => a.name.value === 'fields')?.value;
    if (fields?.kind === Kind.STRING) return fields.value;
  }
  throw new Error("coordination's SDL has no @requires(fields:) on Debtor.transferAssessment");
}

/** What the index judges of a debtor: the facts `Debtor.transferAssessment` requires, and its cross-court figures. */
export const DEBTOR_FIELDS = /* GraphQL */ `
  id
  ${assessmentRequirements()}
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
`;
const DEBTOR_PAGE = /* GraphQL */ `
  query ($first: Int!, $after: String) {
    debtorPage(first: $first, after: $after) {
      nodes {
        ${DEBTOR_FIELDS}
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

export async function post<T>(url: string, token: string, query: string, variables?: Record<string, unknown>): Promise<T> {
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
  await index.replaceCourtLoads({ courts, at: new Date().toISOString() });
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

/** A debtor as the index judges it (DEBTOR_FIELDS in wire form). */
export type IndexedDebtorWire = DebtorRepresentation & { crossCourt: CrossCourtWire };

/**
 * The debtor's index row, judged by the same rules as its live assessment; null when it meets no rule and nothing is
 * recommended. A debtor meeting no rule any more whose deadline order expired unexecuted is still a candidate: the
 * assessment escalates it (domain/rules/history.ts), and the high court must see it.
 */
export function indexRowOf(node: IndexedDebtorWire, province: ProvinceFacts, today: string, config: RulesConfig): IndexedCandidate | null {
  const debtor = debtorFacts(node);
  const assessment = assessDebtor(debtor, { today, province, config });
  const mask = ruleMask(assessment.rules);
  if (mask === 0 && assessment.recommendedMode === null) return null;
  const prefectures = [
    ...new Set(
      // The prefectures of crossCourt: the courts executing unclosed implementation cases (review cases are heard,
      // not executed: domain/caseKinds.ts).
      debtor.unclosedCases
        .filter((c) => isImplementationCase(c.typeCode))
        .map((c) => province.courts.get(c.courtCode))
        .filter((c) => c !== undefined)
        .map(prefectureKey),
    ),
  ].sort();
  return {
    debtor_id: debtor.id,
    urgency: urgencyOf(assessment.rules, debtor, today, config),
    rule_mask: mask,
    prefectures: `|${prefectures.join('|')}|`,
    recommended_mode: assessment.recommendedMode,
    snapshot: snapshotOf(node.crossCourt, assessment),
  };
}

const CHANGE_POSITIONS = /* GraphQL */ `
  {
    decisionChanges {
      cursor
    }
    measureChanges {
      cursor
    }
  }
`;

/** Where the systems' write logs stand now: a pass judges everything up to here (ADR 14). */
export async function currentChangePositions(gatewayUrl: string, token: string): Promise<ChangePositions> {
  const now = await post<{ decisionChanges: { cursor: number }; measureChanges: { cursor: number } }>(gatewayUrl, token, CHANGE_POSITIONS);
  return { decisions: now.decisionChanges.cursor, measures: now.measureChanges.cursor };
}

export async function buildAssessmentIndex(opts: BuildOptions): Promise<{ debtorsScanned: number; candidates: number }> {
  const config = opts.config ?? RULES_CONFIG;
  // Read before the scan: a write recorded during the pass is judged again by the next refresh.
  const changesAfter = await currentChangePositions(opts.gatewayUrl, opts.token);
  const province = await snapshotCourtLoads(opts.gatewayUrl, opts.token, opts.index);
  const rows: IndexedCandidate[] = [];
  let scanned = 0;
  let after: string | null = null;
  for (;;) {
    const page: {
      debtorPage: {
        nodes: IndexedDebtorWire[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    } = await post(opts.gatewayUrl, opts.token, DEBTOR_PAGE, { first: opts.pageSize ?? 2000, after });
    for (const node of page.debtorPage.nodes) {
      const row = indexRowOf(node, province, opts.today, config);
      if (row) rows.push(row);
    }
    scanned += page.debtorPage.nodes.length;
    opts.onProgress?.(scanned, rows.length);
    if (!page.debtorPage.pageInfo.hasNextPage) break;
    after = page.debtorPage.pageInfo.endCursor;
  }
  await opts.index.replace(rows, {
    assessedOn: opts.today,
    configVersion: config.version,
    builtAt: new Date().toISOString(),
    debtorsScanned: scanned,
    changesAfter,
  });
  return { debtorsScanned: scanned, candidates: rows.length };
}
