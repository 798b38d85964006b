import { addDays } from '../dates';
import { MOVING_MODES } from '../transfers';
import { RULES_CONFIG, type RulesConfig } from './config';
import { casesInPlay, type CaseFact, type DebtorFacts, type DecisionFact } from './facts';

/**
 * 最高人民法院关于适用《中华人民共和国民事诉讼法》执行程序若干问题的解释 Art. 11: when the higher court has ordered the
 * executing court to execute within a deadline (责令限期执行) and the court, without good reason, still has not executed
 * the case when the deadline passes (仍未执行完结), the higher court "shall" rule that it executes the case itself or
 * orders another court of its area to execute it (应当裁定由本院执行或者指令本辖区其他人民法院执行); Art. 12 gives the
 * forms (a 督促执行令 for the deadline, a ruling for the escalation). Another deadline order is no longer open.
 */
export interface ExpiredDeadlineOrder {
  order: DecisionFact;
  /** The day after which the order counts as expired (its deadline plus the configured grace, 0 by default). */
  expiredAfter: string;
  /** The debtor's unclosed case carrying the ordered case on today: still not executed. */
  stillUnexecuted: CaseFact;
}

/**
 * The debtor's deadline orders whose deadline has passed while the case they named is still not executed (未执行完结:
 * unclosed, or closed as 终本 and not resumed while the configuration counts 终本 cases) and no later moving decision
 * (directed, elevated, centralized) has taken it up. A case executed or closed otherwise since needs no escalation; on
 * the deadline day itself the order still runs.
 */
export function expiredDeadlineOrders(d: DebtorFacts, today: string, config: RulesConfig = RULES_CONFIG): ExpiredDeadlineOrder[] {
  const history = d.history ?? [];
  const grace = config.modes.expiredDeadlineOrder.deadlinePassedAfterDays;
  const unclosed = new Map(casesInPlay(d, config.rules).map((c) => [c.number, c]));
  // A later moving decision on the same lineage (carried on by the same case today) has already taken the case up.
  const takenUp = (order: DecisionFact) =>
    history.some(
      (h) =>
        h.transferId !== order.transferId &&
        h.carriedOn === order.carriedOn &&
        h.decidedAt >= order.decidedAt &&
        (MOVING_MODES as readonly string[]).includes(h.mode),
    );
  const found: ExpiredDeadlineOrder[] = [];
  const seen = new Set<string>();
  for (const order of history) {
    if (order.mode !== 'DEADLINE_ORDER') continue;
    const expiredAfter = addDays(order.deadline, grace);
    if (today <= expiredAfter) continue;
    const open = unclosed.get(order.carriedOn);
    if (!open || seen.has(open.number) || takenUp(order)) continue;
    seen.add(open.number);
    found.push({ order, expiredAfter, stillUnexecuted: open });
  }
  return found;
}

/** Deadline orders still running today (deadline not passed): a deadline order is still the measure in force. */
export function runningDeadlineOrders(d: DebtorFacts, today: string, config: RulesConfig = RULES_CONFIG): DecisionFact[] {
  const grace = config.modes.expiredDeadlineOrder.deadlinePassedAfterDays;
  const unclosed = new Set(casesInPlay(d, config.rules).map((c) => c.number));
  return (d.history ?? []).filter((h) => h.mode === 'DEADLINE_ORDER' && today <= addDays(h.deadline, grace) && unclosed.has(h.carriedOn));
}

/** The order in words, for explanations: `T000012 (川, decided 2026-01-05, deadline 2026-04-05) on (2025)川0105执12号`. */
export function describeOrder(e: ExpiredDeadlineOrder): string {
  const o = e.order;
  const carried = o.carriedOn === o.caseNumber ? '' : `, carried on as ${o.carriedOn}`;
  return `${o.transferId} (${o.decidingCourt}, decided ${o.decidedAt}, deadline ${o.deadline}) on ${o.caseNumber}${carried}`;
}
