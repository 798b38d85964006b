import { parseDebtorId } from '../../domain/identifiers';
import { RULES_CONFIG, type RulesConfig } from '../../domain/rules/config';
import type { IndexedCandidate } from '../../subgraphs/coordination/sources/ddl';
import type { AssessmentIndexStore, ChangePositions } from '../../subgraphs/coordination/sources/source';
import { currentChangePositions, DEBTOR_FIELDS, indexRowOf, post, type IndexedDebtorWire } from './buildIndex';

/**
 * The incremental refresh of the assessment index (ADR 14): the debtors whose facts a recorded decision, renewal,
 * release or disposal step changed since the positions the index has taken in are read again through the gateway and
 * judged by the same rules as the full pass; their rows are replaced (or removed, when they meet no rule any more) and
 * the positions advance, in one transaction. Court loads stay those of the last pass's snapshot.
 */
const CHANGES = /* GraphQL */ `
  query ($decisions: Int!, $measures: Int!) {
    decisionChanges(after: $decisions) {
      debtorIds
      cursor
      hasMore
    }
    measureChanges(after: $measures) {
      debtorIds
      cursor
      hasMore
    }
  }
`;
const DEBTORS = /* GraphQL */ `
  query ($ids: [ID!]!) {
    debtors(ids: $ids) {
      ${DEBTOR_FIELDS}
    }
  }
`;

function isDebtorId(id: string): boolean {
  try {
    parseDebtorId(id, 'id');
    return true;
  } catch {
    return false;
  }
}

/** `debtors(ids:)` takes at most 100 identifiers. */
const BATCH = 100;

interface Feed {
  debtorIds: string[];
  cursor: number;
  hasMore: boolean;
}

export interface RefreshOptions {
  gatewayUrl: string;
  /** The graph's own service token (a high-court identity), as for the full pass. */
  token: string;
  index: AssessmentIndexStore;
  today: string;
  config?: RulesConfig;
}

/** Refreshes the rows of the debtors changed since the index's positions; returns how many were judged again. */
export async function refreshAssessmentIndex(opts: RefreshOptions): Promise<{ debtors: number; candidates: number; removed: number }> {
  const config = opts.config ?? RULES_CONFIG;
  const loads = await opts.index.courtLoads();
  let positions = await opts.index.changePositions();
  // No pass has run yet, or one from before change positions were kept: the next full pass judges everything.
  if (!loads || !positions) {
    if (loads && !positions) await opts.index.refresh([], [], await currentChangePositions(opts.gatewayUrl, opts.token));
    return { debtors: 0, candidates: 0, removed: 0 };
  }
  const province = { courts: new Map(loads.courts.map((c) => [c.code, c])) };
  const totals = { debtors: 0, candidates: 0, removed: 0 };
  for (;;) {
    const feeds = await post<{ decisionChanges: Feed; measureChanges: Feed }>(opts.gatewayUrl, opts.token, CHANGES, { ...positions });
    // A property's owner may carry no valid identifier (the owner is then no debtor the registry can look up).
    const ids = [...new Set([...feeds.decisionChanges.debtorIds, ...feeds.measureChanges.debtorIds])].filter(isDebtorId).sort();
    const rows: IndexedCandidate[] = [];
    const removed: string[] = [];
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      const { debtors } = await post<{ debtors: (IndexedDebtorWire | null)[] }>(opts.gatewayUrl, opts.token, DEBTORS, { ids: batch });
      debtors.forEach((node, j) => {
        const row = node ? indexRowOf(node, province, opts.today, config) : null;
        if (row) rows.push(row);
        else removed.push(batch[j]!);
      });
    }
    const next: ChangePositions = { decisions: feeds.decisionChanges.cursor, measures: feeds.measureChanges.cursor };
    await opts.index.refresh(rows, removed, next);
    totals.debtors += ids.length;
    totals.candidates += rows.length;
    totals.removed += removed.length;
    positions = next;
    if (!feeds.decisionChanges.hasMore && !feeds.measureChanges.hasMore) return totals;
  }
}

/**
 * Runs the refresh every `intervalMs` until stopped (`npm start`, for a coordination subgraph it hosts); a failed round
 * is logged and retried at the next tick, and rounds never overlap.
 */
export function followChanges(opts: RefreshOptions & { intervalMs: number; onError?: (err: unknown) => void }): { stop: () => void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    refreshAssessmentIndex(opts)
      .catch((err: unknown) => opts.onError?.(err))
      .finally(() => {
        running = false;
      });
  }, opts.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
