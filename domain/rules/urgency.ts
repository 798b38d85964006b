import { RULES_CONFIG, RULE_IDS, type RuleId, type RulesConfig } from './config';
import { isImplementationCase } from '../caseKinds';
import { daysBetween } from '../dates';
import { COURTS_BY_CODE } from '../sichuan';
import { outstanding, prefectureKey, type DebtorFacts } from './facts';
import type { RuleResult } from './rules';

/**
 * How urgently a debtor needs the high court's attention, for ordering the province-wide candidate list: the weights
 * of the rules met, then the debtor's size and how stuck and scattered its cases are, each term saturating, so two
 * debtors meeting the same rules are told apart by their unclosed cases, the outstanding amount, the age of the oldest
 * unclosed case and the prefectures the cases span (issue 15 item 12), counting implementation cases only.
 */
export function urgencyOf(rules: readonly RuleResult[], d: DebtorFacts, today: string, config: RulesConfig = RULES_CONFIG): number {
  const { ruleWeights, caseCountScale, amountLog10Scale, ageYearsScale, prefectureCountScale } = config.urgency;
  const ruleScore = rules.filter((r) => r.met).reduce((n, r) => n + ruleWeights[r.id], 0);
  // The debtor's size is its implementation cases' (执, 执恢, 执保): a review case carries no debt of its own, as the
  // rules and the crossCourt figures read it.
  const implementation = d.unclosedCases.filter((c) => isImplementationCase(c.typeCode));
  const cases = Math.min(1, implementation.length / caseCountScale);
  const yuan = implementation.reduce((n, c) => n + outstanding(c), 0) / 100;
  const amount = Math.min(1, Math.log10(1 + yuan) / amountLog10Scale);
  const oldest = implementation.reduce((o, c) => (c.filedAt < o ? c.filedAt : o), today);
  const age = Math.min(1, Math.max(0, daysBetween(oldest, today)) / 365 / ageYearsScale) / 2;
  const prefectures = new Set(
    implementation.map((c) => {
      const court = COURTS_BY_CODE.get(c.courtCode);
      return court ? prefectureKey(court) : c.courtCode;
    }),
  ).size;
  const spread = Math.min(1, Math.max(0, prefectures - 1) / Math.max(1, prefectureCountScale - 1)) / 2;
  return Math.round((ruleScore + cases + amount + age + spread) * 1e6) / 1e6;
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
