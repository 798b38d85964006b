import { isConductDone } from '../conduct';
import { RULES_CONFIG, type RulesConfig } from './config';

/** What the graph knows of one case a transfer decision covered, from the registry and property-control. */
export interface TransferredCaseFact {
  transferId: string;
  mode: string;
  decidedAt: string;
  /** Fen recovered since the decision in the case that carries the matter on. */
  recoveredAfter: number;
  /** First disposal (sale, auction sold, taken in payment) of a lineage property on or after the decision. */
  propertyDisposedAt: string | null;
  carriedOn: {
    closure: string | null;
    closedAt: string | null;
    settledAt: string | null;
    /** The conduct obligation's progress events of the carrying-on case (domain/conduct.ts); absent: none. */
    conductProgress?: { occurredAt: string; kind: string }[];
  };
}

export const PROGRESS_KINDS = ['MONEY_RECOVERED', 'PROPERTY_DISPOSED', 'SETTLEMENT', 'CLOSED_FULLY_EXECUTED', 'CONDUCT_PERFORMED'] as const;
export type ProgressKind = (typeof PROGRESS_KINDS)[number];

/** The kinds of substantive progress since the decision that the configuration counts. */
export function progressSince(c: TransferredCaseFact, config: RulesConfig = RULES_CONFIG): ProgressKind[] {
  const counted = config.substantiveProgress;
  const after = (date: string | null) => date !== null && date >= c.decidedAt;
  const kinds: ProgressKind[] = [];
  if (counted.moneyRecovered && c.recoveredAfter > 0) kinds.push('MONEY_RECOVERED');
  if (counted.propertyDisposed && after(c.propertyDisposedAt)) kinds.push('PROPERTY_DISPOSED');
  if (counted.settlement && after(c.carriedOn.settledAt)) kinds.push('SETTLEMENT');
  if (counted.closedFullyExecuted && c.carriedOn.closure === 'FULLY_EXECUTED' && after(c.carriedOn.closedAt))
    kinds.push('CLOSED_FULLY_EXECUTED');
  // A conduct case has no amount: its progress is the conduct done (部分履行 or 履行完毕), not a measure towards it.
  if (counted.conductPerformed && (c.carriedOn.conductProgress ?? []).some((e) => isConductDone(e.kind) && after(e.occurredAt)))
    kinds.push('CONDUCT_PERFORMED');
  return kinds;
}

export interface ModeStatistics {
  mode: string;
  decisions: number;
  casesTransferred: number;
  casesWithSubstantiveProgress: number;
  casesWithMoneyRecovered: number;
  casesWithPropertyDisposed: number;
  casesSettled: number;
  casesClosedFullyExecuted: number;
  moneyRecoveredAfterTransfer: number;
}

/** Per-mode totals over the cases the period's decisions covered; every mode appears, with zeros if unused. */
export function transferStatistics(
  cases: readonly TransferredCaseFact[],
  modes: readonly string[],
  config: RulesConfig = RULES_CONFIG,
): ModeStatistics[] {
  return modes.map((mode) => {
    const ofMode = cases.filter((c) => c.mode === mode);
    const progress = ofMode.map((c) => progressSince(c, config));
    const withKind = (kind: ProgressKind) => progress.filter((p) => p.includes(kind)).length;
    return {
      mode,
      decisions: new Set(ofMode.map((c) => c.transferId)).size,
      casesTransferred: ofMode.length,
      casesWithSubstantiveProgress: progress.filter((p) => p.length > 0).length,
      casesWithMoneyRecovered: withKind('MONEY_RECOVERED'),
      casesWithPropertyDisposed: withKind('PROPERTY_DISPOSED'),
      casesSettled: withKind('SETTLEMENT'),
      casesClosedFullyExecuted: withKind('CLOSED_FULLY_EXECUTED'),
      moneyRecoveredAfterTransfer: ofMode.reduce((n, c) => n + c.recoveredAfter, 0),
    };
  });
}
