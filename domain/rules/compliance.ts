import { addDays } from '../dates';
import { RULES_CONFIG, type RulesConfig } from './config';

/** The handling and supervision rules the high court checks, as pure functions. */

export interface HandledCase {
  number: string;
  handlerIsLeader: boolean | null;
}

/** Leaders (院/局/庭领导) must handle at least the configured share of the cases a court received by transfer. */
export function leaderHandling(cases: readonly HandledCase[], config: RulesConfig = RULES_CONFIG) {
  const minimumShare = config.leaderHandling.minShare;
  const byLeaders = cases.filter((c) => c.handlerIsLeader === true).length;
  const share = cases.length ? byLeaders / cases.length : null;
  return {
    transferredCases: cases.length,
    handledByLeaders: byLeaders,
    share: share === null ? null : Math.round(share * 1000) / 1000,
    minimumShare,
    meetsRule: share === null || share >= minimumShare,
    casesNotHandledByLeaders: cases.filter((c) => c.handlerIsLeader !== true).map((c) => c.number),
  };
}

export interface MeasureExpiry {
  id: string;
  status: string;
  expiresAt: string | null;
}

/**
 * The renewal window: the days from `from` to `expiryWindowDays` later, both inclusive. A measure in effect that
 * expires within it must be renewed by the court holding its case (on a transfer, the receiving court). The one
 * statement of the window: property-control's expiring-measure count takes its bounds from here.
 */
export function renewalWindow(from: string, config: RulesConfig = RULES_CONFIG): { from: string; until: string } {
  return { from, until: addDays(from, config.expiryWindowDays) };
}

/** Measures in effect that lapse within the renewal window from `from` unless the court holding the case renews them. */
export function measuresToRenew<M extends MeasureExpiry>(measures: readonly M[], from: string, config: RulesConfig = RULES_CONFIG): M[] {
  const window = renewalWindow(from, config);
  return measures.filter(
    (m) => m.status === 'IN_EFFECT' && m.expiresAt !== null && m.expiresAt >= window.from && m.expiresAt <= window.until,
  );
}
