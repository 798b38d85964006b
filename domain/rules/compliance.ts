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

/** Measures in effect that lapse within the configured window unless the court holding the case renews them. */
export function measuresToRenew<M extends MeasureExpiry>(measures: readonly M[], today: string, config: RulesConfig = RULES_CONFIG): M[] {
  const limit = addDays(today, config.expiryWindowDays);
  return measures.filter((m) => m.status === 'IN_EFFECT' && m.expiresAt !== null && m.expiresAt >= today && m.expiresAt <= limit);
}
