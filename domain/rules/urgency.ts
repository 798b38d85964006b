import { RULES_CONFIG, RULE_IDS, type RuleId, type RulesConfig } from './config';
import { outstanding, type DebtorFacts } from './facts';
import type { RuleResult } from './rules';

/** How urgently a debtor needs the high court's attention, for ordering the province-wide candidate list. */
export function urgencyOf(rules: readonly RuleResult[], d: DebtorFacts, config: RulesConfig = RULES_CONFIG): number {
  const { ruleWeights, caseCountScale, amountLog10Scale } = config.urgency;
  const ruleScore = rules.filter((r) => r.met).reduce((n, r) => n + ruleWeights[r.id], 0);
  const cases = Math.min(1, d.unclosedCases.length / caseCountScale);
  const yuan = d.unclosedCases.reduce((n, c) => n + outstanding(c), 0) / 100;
  const amount = Math.min(1, Math.log10(1 + yuan) / amountLog10Scale);
  return Math.round((ruleScore + cases + amount) * 1e6) / 1e6;
}

/** Rules met as a bit mask (bit i = RULE_IDS[i]), for filtering the candidate index by rule. */
export function ruleMask(rules: readonly RuleResult[]): number {
  return rules.reduce((mask, r) => (r.met ? mask | ruleBit(r.id) : mask), 0);
}

export function ruleBit(id: RuleId): number {
  return 1 << RULE_IDS.indexOf(id);
}

export function rulesOfMask(mask: number): RuleId[] {
  return RULE_IDS.filter((id) => (mask & ruleBit(id)) !== 0);
}
