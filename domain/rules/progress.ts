import { RULES_CONFIG, type RulesConfig } from './config';

/** What the registry knows of one case a transfer decision covered. */
export interface TransferredCaseFact {
  mode: string;
  decidedAt: string;
  recoveredBefore: number;
  carriedOn: { amountRecovered: number; closure: string | null; closedAt: string | null };
}

export function recoveredAfter(c: TransferredCaseFact): number {
  return Math.max(0, c.carriedOn.amountRecovered - c.recoveredBefore);
}

/** Substantive progress after a decision, as the configuration defines it. */
export function hasSubstantiveProgress(c: TransferredCaseFact, config: RulesConfig = RULES_CONFIG): boolean {
  const { moneyRecovered, closedFullyExecuted } = config.substantiveProgress;
  if (moneyRecovered && recoveredAfter(c) > 0) return true;
  return closedFullyExecuted && c.carriedOn.closure === 'FULLY_EXECUTED' && c.carriedOn.closedAt !== null && c.carriedOn.closedAt >= c.decidedAt;
}

export interface ModeStatistics {
  mode: string;
  decisions: number;
  casesTransferred: number;
  casesWithSubstantiveProgress: number;
  moneyRecoveredAfterTransfer: number;
}

/** Per-mode totals over the cases the period's decisions covered; every mode appears, with zeros if unused. */
export function transferStatistics(
  cases: readonly (TransferredCaseFact & { transferId: string })[],
  modes: readonly string[],
  config: RulesConfig = RULES_CONFIG,
): ModeStatistics[] {
  return modes.map((mode) => {
    const ofMode = cases.filter((c) => c.mode === mode);
    return {
      mode,
      decisions: new Set(ofMode.map((c) => c.transferId)).size,
      casesTransferred: ofMode.length,
      casesWithSubstantiveProgress: ofMode.filter((c) => hasSubstantiveProgress(c, config)).length,
      moneyRecoveredAfterTransfer: ofMode.reduce((n, c) => n + recoveredAfter(c), 0),
    };
  });
}
