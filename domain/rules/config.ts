/**
 * The cross-court selection rules' thresholds and weights: one versioned object. Every assessment records the
 * version it was made under, so a changed threshold never silently rewrites how an old decision reads.
 * docs/rules.md documents each value.
 */
export const RULES_CONFIG = {
  version: '2026.12-3',
  rules: {
    /**
     * The provincial cross-execution standard: the same debtor has at least `minCases` 未实结 implementation cases
     * (执, 执恢, 执保; domain/caseKinds.ts) spread over at least `minCourts` different courts ("在不同法院有10件以上").
     * The standard fixes 10 cases and "different courts" (at least 2); both are configurable.
     * `countTerminatedThisRound`: whether a case closed as 终结本次执行程序 (终本) and not yet resumed counts. The
     * provincial standard counts cases 未实结 (not actually concluded), and a 终本 case is closed procedurally without
     * the debt being satisfied: 最高法《关于严格规范终结本次执行程序的规定（试行）》(法〔2016〕373号) Art. 1 lets a court
     * end "this round" only when no executable property was found, and Art. 9 keeps the case alive (恢复执行 on newly
     * found property; the court checks the debtor's property every six months for five years). Default on.
     */
    MANY_COURTS: { minCases: 10, minCourts: 2, countTerminatedThisRound: true },
    /**
     * The provincial standard: a property undisposed `minIdleMonths` or more *and supervision (督办) brought no
     * progress*. `requireFailedSupervision`: whether the second half is required — a case holding the property (under a
     * standing measure of its lineage) whose latest 督办 since the property became idle ended NO_PROGRESS (the
     * registry's `Case.supervisionOrders`); with it off, idle time alone decides (as before issue 15). Default on, as
     * the standard states it (DESIGN.md §3).
     */
    IDLE_PROPERTY: { minIdleMonths: 6, requireFailedSupervision: true },
    /**
     * 最高人民法院《关于适用〈中华人民共和国民事诉讼法〉执行程序若干问题的解释》 Art. 10: executable property not executed
     * `minMonths` after filing (10(1)) or after its discovery (10(2)); a conduct obligation with no enforcement measure
     * `minMonths` after filing (10(3)). The periods Art. 13 leaves out (中止, 暂缓, public notice, appraisal, jurisdiction
     * dispute, coordination; the registry's `Case.excludedPeriods`) are deducted where they fall inside the six months
     * (law, not a setting). `countTerminatedThisRound`: a 终本 case not yet resumed is judged too (未实结; the same sources as
     * MANY_COURTS: a 终本 case whose found property "cannot be disposed of" still holds it). Default on.
     */
    LONG_UNEXECUTED: { minMonths: 6, countTerminatedThisRound: true },
    /** Cases spread over this many prefectures, or this many courts' seizures on one asset. */
    SPREAD: { minPrefectures: 2, minSeizingCourts: 2 },
    /** No enforcement action recorded for this many days on an unclosed case. */
    PASSIVE_EXECUTION: { minDaysWithoutAction: 90 },
    /**
     * A case far above what a court of its level usually handles (outstanding amount, fen), the debtor's controlled
     * assets far above it, or a court whose open cases per enforcement officer exceed the provincial median by
     * `loadMultipleOfProvincialMedian` — and that has at least `minOpenCasesForOverload` open cases (since 2026.12-3):
     * below that a court is not overloaded whatever its staff, since one case more or less moves a handful of cases
     * "far above" a small median (a small province's artefact: bench/province.md, item 12). 50 is about what one
     * enforcement officer carries at the provincial median of a full province (tens of open cases per officer,
     * bench/province.md item 9): a court with less than one officer's normal load is not beyond its capacity.
     * Only the courts of the debtor's implementation cases are judged (a review case is heard, not executed).
     */
    CAPACITY: {
      usualAmountFen: { BASIC: 10_000_000_00, INTERMEDIATE: 100_000_000_00, HIGH: 1_000_000_000_00 },
      loadMultipleOfProvincialMedian: 1.5,
      minOpenCasesForOverload: 50,
    },
  },
  modes: {
    /** Centralise when the debtor's unclosed cases sit in at least this many courts across prefectures. */
    centralizeMinCourts: 5,
    /** Elevate when an idle asset or an outstanding amount is worth at least this much (fen). */
    elevateMinValueFen: 50_000_000_00,
    /**
     * 执行程序若干问题的解释 Art. 11 (law, not configurable in substance): once a deadline order's deadline has passed
     * and its case is still not executed (未执行完结), the higher court shall execute it itself (ELEVATED) or direct
     * another court to (DIRECTED), never order another deadline. Which of the two is a judgement call: the
     * assessment elevates a case beyond its court's level (rule CAPACITY names it) or one with no peer court to
     * direct it to, and directs the others. `deadlinePassedAfterDays`: the order counts as expired this many days
     * after its deadline (0: the day after the deadline; a grace period is a provincial choice, not law).
     */
    expiredDeadlineOrder: { deadlinePassedAfterDays: 0 },
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
  receivingCourt: {
    /**
     * The "两便" factors of a load rebalancing (调案, domain/rules/rebalance.ts), whose candidates are all of one
     * level, with their weights (sum 1).
     */
    weights: { mainProperty: 0.4, parties: 0.25, load: 0.2, staff: 0.15 },
    /**
     * The factors an assessment ranks its candidate receiving courts by, with their weights (sum 1; docs/rules.md).
     * Each court is judged by its territorial jurisdiction (辖区: a basic court its county, an intermediate court its
     * prefecture, the high court the province): `mainProperty` whether the main property lies in it (民诉法 Art. 235:
     * the court where the property lies may execute), `cases` the share of the debtor's implementation cases
     * executed by courts within it ("where most cases lie"), `parties` the debtor's domicile and the share of its
     * controlled property within it (never the applicant's seat), `level` how well the court's level fits the level
     * the series needs (below), `load` and `staff` its open cases per enforcement officer and its enforcement staff.
     * The weights themselves are a configurable judgement call, not law.
     */
    assessmentWeights: { mainProperty: 0.25, cases: 0.15, parties: 0.15, level: 0.25, load: 0.12, staff: 0.08 },
    /**
     * The level a series needs (a judgement call the province configures; the law names no figures): at least the
     * level of any court already executing one of its implementation cases, and of the court executing a criminal
     * restitution case among them (刑事裁判涉财产部分执行规定 Art. 2: executed by the first-instance court, so the civil
     * series competing for the same assets is not gathered below it); INTERMEDIATE when the cases span at least
     * `intermediate.minPrefectures` prefectures, number at least `intermediate.minCases`, or their outstanding amount
     * exceeds a basic court's usual size (rules.CAPACITY.usualAmountFen.BASIC); HIGH likewise with `high.*` and the
     * intermediate usual size. `fitOneLevelAbove`: the level factor of a court one level above the level needed
     * (the level needed itself scores 1, two levels above or any level below 0).
     */
    level: {
      intermediate: { minPrefectures: 2, minCases: 30 },
      high: { minPrefectures: 4, minCases: 100 },
      fitOneLevelAbove: 0.2,
    },
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
  substantiveProgress: {
    moneyRecovered: true,
    propertyDisposed: true,
    settlement: true,
    closedFullyExecuted: true,
    conductPerformed: true,
  },
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
