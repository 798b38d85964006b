/**
 * The cross-court selection rules' thresholds and weights: one versioned object. Every assessment records the
 * version it was made under, so a changed threshold never silently rewrites how an old decision reads.
 * docs/rules.md documents each value.
 */
export const RULES_CONFIG = {
  version: '2026.12-1',
  rules: {
    /**
     * The provincial cross-execution standard: the same debtor has at least `minCases` 未实结 implementation cases
     * (执, 执恢, 执保; domain/caseKinds.ts) spread over at least `minCourts` different courts ("在不同法院有10件以上").
     * The standard fixes 10 cases and "different courts" (at least 2); both are configurable.
     */
    MANY_COURTS: { minCases: 10, minCourts: 2 },
    /**
     * A property undisposed this long. DESIGN also asks that supervision (督办) brought no progress; the systems
     * record no supervision yet (it arrives with the transfer workflow), so idle time alone decides for now.
     */
    IDLE_PROPERTY: { minIdleMonths: 6 },
    /** A case unexecuted this long past filing, not counting statutory excluded periods. */
    LONG_UNEXECUTED: { minMonths: 6 },
    /** Cases spread over this many prefectures, or this many courts' seizures on one asset. */
    SPREAD: { minPrefectures: 2, minSeizingCourts: 2 },
    /** No enforcement action recorded for this many days on an unclosed case. */
    PASSIVE_EXECUTION: { minDaysWithoutAction: 90 },
    /**
     * A case far above what a court of its level usually handles (outstanding amount, fen), the debtor's controlled
     * assets far above it, or a court whose open cases per enforcement officer exceed the provincial median by this
     * multiple.
     */
    CAPACITY: {
      usualAmountFen: { BASIC: 10_000_000_00, INTERMEDIATE: 100_000_000_00, HIGH: 1_000_000_000_00 },
      loadMultipleOfProvincialMedian: 1.5,
    },
  },
  modes: {
    /** Centralise when the debtor's unclosed cases sit in at least this many courts across prefectures. */
    centralizeMinCourts: 5,
    /** Elevate when an idle asset or an outstanding amount is worth at least this much (fen). */
    elevateMinValueFen: 50_000_000_00,
  },
  /**
   * Urgency orders the province-wide candidate list: the weights of the rules met, plus up to 1 for the number of
   * unclosed cases (saturating at `caseCountScale`), up to 1 for the outstanding amount (log scale, saturating
   * at 10^`amountLog10Scale` yuan), up to 0.5 for the age of the oldest unclosed case (saturating at `ageYearsScale`
   * years) and up to 0.5 for the prefectures its unclosed cases span (saturating at `prefectureCountScale`).
   */
  urgency: {
    ruleWeights: { MANY_COURTS: 3, CAPACITY: 2, IDLE_PROPERTY: 2, SPREAD: 1.5, LONG_UNEXECUTED: 1, PASSIVE_EXECUTION: 1 },
    caseCountScale: 20,
    amountLog10Scale: 9,
    ageYearsScale: 5,
    prefectureCountScale: 3,
  },
  /** The "两便" factors for choosing a receiving court, with their weights (sum 1). */
  receivingCourt: {
    weights: { mainProperty: 0.4, parties: 0.25, load: 0.2, staff: 0.15 },
  },
  /** Controlled property must be disposed within this many months unless a reason to hold it is recorded. */
  disposalDeadlineMonths: 6,
  /** Court, bureau and tribunal leaders handle at least this share of the cases a court receives by transfer. */
  leaderHandling: { minShare: 0.5 },
  /** Measures expiring within this many days of a transfer are flagged for renewal by the receiving court. */
  expiryWindowDays: 30,
  /**
   * What counts as substantive progress after a transfer decision (any one suffices): money recovered, a lineage
   * property disposed of, a settlement (执行和解) recorded, or closure as fully executed, each after the decision.
   */
  substantiveProgress: { moneyRecovered: true, propertyDisposed: true, settlement: true, closedFullyExecuted: true },
} as const;

/** The configuration's shape with its values widened, so a variant (another version, a test) can be stated. */
type Widen<T> = T extends number
  ? number
  : T extends string
    ? string
    : T extends boolean
      ? boolean
      : { readonly [K in keyof T]: Widen<T[K]> };
export type RulesConfig = Widen<typeof RULES_CONFIG>;
export type RuleId = keyof RulesConfig['rules'];
export const RULE_IDS = Object.keys(RULES_CONFIG.rules) as RuleId[];
