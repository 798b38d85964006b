import { isCriminalRestitution, isImplementationCase, movesByTransfer } from '../caseKinds';
import { fenToYuan } from '../money';
import { COURTS_BY_CODE, HIGH_COURT_CODE, basicCourtOfDivision, prefectureOfDivision } from '../sichuan';
import type { TransferMode } from '../transferModes';
import { isAbove, lowestCommonSuperior } from '../transfers';
import { RULES_CONFIG, type RuleId, type RulesConfig } from './config';
import {
  casesInPlay,
  casesPerOfficer,
  outstanding,
  prefectureKey,
  provincialMedianCasesPerOfficer,
  standing,
  type CourtFact,
  type DebtorFacts,
  type PropertyFact,
  type ProvinceFacts,
} from './facts';
import { describeOrder, expiredDeadlineOrders, runningDeadlineOrders } from './history';
import { competedAssets, evaluateRules, type RuleContext, type RuleResult } from './rules';

export interface Factor {
  name: 'mainProperty' | 'cases' | 'parties' | 'level' | 'load' | 'staff';
  weight: number;
  value: number;
  detail: string;
}

export interface CourtCandidate {
  courtCode: string;
  score: number;
  factors: Factor[];
}

export interface Assessment {
  configVersion: string;
  assessedOn: string;
  rules: RuleResult[];
  /** Null when no rule is met or nothing can be moved. */
  recommendedMode: TransferMode | null;
  receivingCourts: CourtCandidate[];
  /**
   * The cases a decision on the recommended mode names: for a moving mode the cases it would move (implementation
   * cases only, never a criminal restitution case, which stays with its criminal court); for collaborative execution
   * or a deadline order the implementation cases it covers. Empty when nothing is recommended.
   */
  proposedCases: string[];
  explanation: string;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The most valuable asset still under control: where execution would mostly happen. */
export function mainProperty(d: DebtorFacts): PropertyFact | null {
  const held = d.properties.filter((p) => p.undisposedSince !== null && p.measures.some(standing));
  const pool = held.length ? held : d.properties;
  return pool.reduce<PropertyFact | null>(
    (best, p) => (best === null || (p.estimatedValue ?? 0) > (best.estimatedValue ?? 0) ? p : best),
    null,
  );
}

export type CourtLevel = CourtFact['level'];
const LEVELS: readonly CourtLevel[] = ['BASIC', 'INTERMEDIATE', 'HIGH'];
const LEVEL_WORDS: Record<CourtLevel, string> = { BASIC: 'a basic court', INTERMEDIATE: 'an intermediate court', HIGH: 'the high court' };

/** The level a debtor's series needs, with the reasons (config receivingCourt.level; docs/rules.md). */
export interface LevelNeeded {
  level: CourtLevel;
  reasons: string[];
}

/**
 * The lowest court level that fits the series: its size (case count, outstanding amount against the levels' usual
 * sizes), the prefectures it spans, the level of the courts already executing its cases and of a criminal
 * restitution case's court among them.
 */
export function levelNeeded(d: DebtorFacts, province: ProvinceFacts, config: RulesConfig = RULES_CONFIG): LevelNeeded {
  const { intermediate, high } = config.receivingCourt.level;
  const usual = config.rules.CAPACITY.usualAmountFen;
  const cases = casesInPlay(d, config.rules).filter((c) => isImplementationCase(c.typeCode));
  const held = cases.map((c) => ({ c, court: province.courts.get(c.courtCode) })).filter((x) => x.court !== undefined);
  const prefectures = new Set(held.map((x) => prefectureKey(x.court!))).size;
  const amount = cases.reduce((n, c) => n + Math.max(0, outstanding(c)), 0);
  const reasons: Record<CourtLevel, string[]> = { BASIC: [], INTERMEDIATE: [], HIGH: [] };
  const need = (level: CourtLevel, why: string) => reasons[level].push(why);
  if (prefectures >= high.minPrefectures) need('HIGH', `cases in ${prefectures} prefectures (≥ ${high.minPrefectures})`);
  else if (prefectures >= intermediate.minPrefectures)
    need('INTERMEDIATE', `cases in ${prefectures} prefectures (≥ ${intermediate.minPrefectures})`);
  if (cases.length >= high.minCases) need('HIGH', `${cases.length} implementation cases (≥ ${high.minCases})`);
  else if (cases.length >= intermediate.minCases) need('INTERMEDIATE', `${cases.length} implementation cases (≥ ${intermediate.minCases})`);
  if (amount > usual.INTERMEDIATE)
    need('HIGH', `outstanding ${fenToYuan(amount)} yuan above an intermediate court's usual ${fenToYuan(usual.INTERMEDIATE)}`);
  else if (amount > usual.BASIC)
    need('INTERMEDIATE', `outstanding ${fenToYuan(amount)} yuan above a basic court's usual ${fenToYuan(usual.BASIC)}`);
  for (const level of ['HIGH', 'INTERMEDIATE'] as const) {
    const criminal = held.filter((x) => isCriminalRestitution(x.c.category) && x.court!.level === level).map((x) => x.c.number);
    if (criminal.length) need(level, `criminal restitution case ${criminal.join(', ')} executed by ${LEVEL_WORDS[level]}`);
    const atLevel = held.filter((x) => !isCriminalRestitution(x.c.category) && x.court!.level === level).map((x) => x.court!.code);
    if (atLevel.length) need(level, `cases already executed by ${[...new Set(atLevel)].sort().join(', ')}`);
  }
  const level = reasons.HIGH.length ? 'HIGH' : reasons.INTERMEDIATE.length ? 'INTERMEDIATE' : 'BASIC';
  return {
    level,
    reasons:
      level === 'BASIC' ? [`${cases.length} implementation cases in one prefecture within a basic court's usual size`] : reasons[level],
  };
}

/**
 * Whether a place lies within a court's territorial jurisdiction (辖区): a basic court's county, an intermediate court's
 * prefecture, the high court's province. Special courts (railway transport) have no territory of places here.
 */
function placeWithin(court: CourtFact, divisionCode: string | null): boolean {
  if (divisionCode === null) return false;
  if (court.level === 'HIGH') return prefectureOfDivision(divisionCode) !== null;
  if (court.level === 'INTERMEDIATE') return court.prefecture !== null && prefectureOfDivision(divisionCode) === court.prefecture;
  return basicCourtOfDivision(divisionCode) === court.code;
}

/** Whether a court executing a case lies within a candidate's territorial jurisdiction (or is the candidate). */
function courtWithin(candidate: CourtFact, held: CourtFact): boolean {
  if (candidate.level === 'HIGH') return true;
  if (candidate.level === 'INTERMEDIATE') return held.code === candidate.code || prefectureKey(held) === candidate.code;
  return held.code === candidate.code;
}

const TERRITORY: Record<CourtLevel, string> = { BASIC: 'county', INTERMEDIATE: 'prefecture', HIGH: 'province' };

/**
 * Scores candidate receiving courts — the main property within the court's territorial jurisdiction, the share of the
 * cases there, the parties (debtor's domicile and controlled property) there, the fit of the court's level to the
 * level the series needs, its load and its enforcement staff — each shown with its weight and value, best first.
 */
export function rankReceivingCourts(
  d: DebtorFacts,
  candidates: readonly CourtFact[],
  province: ProvinceFacts,
  config: RulesConfig = RULES_CONFIG,
): CourtCandidate[] {
  const weights = config.receivingCourt.assessmentWeights;
  const main = mainProperty(d);
  const needed = levelNeeded(d, province, config);
  // Load and staff compare a court with courts of its own level: a higher court executes few cases itself, so its
  // low open-case count and large staff say nothing about its room for a series.
  const maxStaff = (level: CourtLevel) => Math.max(1, ...candidates.filter((c) => c.level === level).map((c) => c.enforcementStaffCount));
  // The 未实结 implementation cases: unclosed, and 终本 not yet resumed while the configuration counts them.
  const cases = casesInPlay(d, config.rules).filter((c) => isImplementationCase(c.typeCode));
  const held = d.properties.filter((p) => p.undisposedSince !== null && p.measures.some(standing));
  const pool = held.length ? held : d.properties;
  const poolValue = pool.reduce((n, p) => n + (p.estimatedValue ?? 0), 0);

  return candidates
    .map((court) => {
      const territory = TERRITORY[court.level];
      let property = 0;
      let propertyDetail = 'no controlled property';
      if (main) {
        property = placeWithin(court, main.divisionCode) ? 1 : 0;
        propertyDetail = property
          ? `main property ${main.id} lies within the court's territorial jurisdiction (its ${territory})`
          : `main property ${main.id} lies outside the court's ${territory} (${main.divisionCode ?? 'outside Sichuan'})`;
      }
      const casesThere = cases.filter((c) => {
        const at = province.courts.get(c.courtCode);
        return at !== undefined && courtWithin(court, at);
      }).length;
      const caseShare = cases.length ? casesThere / cases.length : 0;
      const domicile = placeWithin(court, d.divisionCode);
      const inside = pool.filter((p) => placeWithin(court, p.divisionCode));
      const propertyShare = pool.length
        ? poolValue > 0
          ? inside.reduce((n, p) => n + (p.estimatedValue ?? 0), 0) / poolValue
          : inside.length / pool.length
        : 0;
      const parties = 0.5 * (domicile ? 1 : 0) + 0.5 * propertyShare;
      const step = LEVELS.indexOf(court.level) - LEVELS.indexOf(needed.level);
      const levelValue = step === 0 ? 1 : step === 1 ? config.receivingCourt.level.fitOneLevelAbove : 0;
      const levelDetail =
        `the series needs ${LEVEL_WORDS[needed.level]} (${needed.reasons.join('; ')}); this is ${LEVEL_WORDS[court.level]}` +
        (step < 0 ? ', below it' : step > 0 ? `, ${step} level${step > 1 ? 's' : ''} above it` : '');
      const load = casesPerOfficer(court);
      const median = levelMedianCasesPerOfficer(province, court.level);
      const loadValue = median > 0 ? Math.max(0, Math.min(1, 1 - load / (2 * median))) : 0.5;
      const largest = maxStaff(court.level);
      const staffValue = court.enforcementStaffCount / largest;
      const factors: Factor[] = [
        { name: 'mainProperty', weight: weights.mainProperty, value: round3(property), detail: propertyDetail },
        {
          name: 'cases',
          weight: weights.cases,
          value: round3(caseShare),
          detail: `${casesThere} of the debtor's ${cases.length} 未实结 implementation cases are executed within the court's ${territory}`,
        },
        {
          name: 'parties',
          weight: weights.parties,
          value: round3(parties),
          detail:
            `the debtor's domicile ${d.divisionCode ?? 'unknown'} lies ${domicile ? 'within' : 'outside'} the court's ${territory}; ` +
            `${Math.round(propertyShare * 100)}% of its controlled property (by value) lies within it`,
        },
        { name: 'level', weight: weights.level, value: round3(levelValue), detail: levelDetail },
        {
          name: 'load',
          weight: weights.load,
          value: round3(loadValue),
          detail: `${load.toFixed(1)} open cases per enforcement officer (median of ${LEVEL_PLURAL[court.level]} ${median.toFixed(1)})`,
        },
        {
          name: 'staff',
          weight: weights.staff,
          value: round3(staffValue),
          detail: `${court.enforcementStaffCount} enforcement staff (largest candidate of its level: ${largest})`,
        },
      ];
      return { courtCode: court.code, score: round3(factors.reduce((n, f) => n + f.weight * f.value, 0)), factors };
    })
    .sort((a, b) => b.score - a.score || a.courtCode.localeCompare(b.courtCode));
}

const LEVEL_PLURAL: Record<CourtLevel, string> = { BASIC: 'basic courts', INTERMEDIATE: 'intermediate courts', HIGH: 'the high court' };
const levelMedians = new WeakMap<ProvinceFacts['courts'], Map<CourtLevel, number>>();

/** Median open cases per enforcement officer over the courts of one level that have open cases (cached per court table). */
function levelMedianCasesPerOfficer(province: ProvinceFacts, level: CourtLevel): number {
  let byLevel = levelMedians.get(province.courts);
  if (!byLevel) levelMedians.set(province.courts, (byLevel = new Map()));
  const known = byLevel.get(level);
  if (known !== undefined) return known;
  const median = provincialMedianCasesPerOfficer({
    courts: new Map([...province.courts].filter(([, c]) => c.level === level)),
  });
  byLevel.set(level, median);
  return median;
}

/** Recommends a transfer mode from the rules met, and ranks the courts that mode needs. */
export function assessDebtor(d: DebtorFacts, ctx: RuleContext): Assessment {
  const config = ctx.config ?? RULES_CONFIG;
  const rules = evaluateRules(d, ctx);
  const met = new Set<RuleId>(rules.filter((r) => r.met).map((r) => r.id));
  const courtsOf = (codes: Iterable<string>) =>
    [...new Set(codes)].map((c) => ctx.province.courts.get(c)).filter((c): c is CourtFact => c !== undefined);
  // Review cases (执异, 执复, 执监, 执协) are not implementation cases: they neither count nor move. A criminal
  // restitution case counts as evidence for the series but stays with its criminal court. A 终本 case not yet resumed
  // is 未实结 and in play when the rules count it: a decision naming it opens its 执恢 continuation.
  const implementation = casesInPlay(d, config.rules).filter((c) => isImplementationCase(c.typeCode));
  const movable = implementation.filter(movesByTransfer);
  const staying = implementation.filter((c) => !movesByTransfer(c));
  const stayingNote = staying.length
    ? ` The criminal restitution case${staying.length > 1 ? 's' : ''} ${staying.map((c) => `${c.number} (${c.courtCode})`).join(', ')} ` +
      `stay${staying.length > 1 ? '' : 's'} with the criminal court and count${staying.length > 1 ? '' : 's'} as evidence for the series.`
    : '';
  const caseCourts = courtsOf(implementation.map((c) => c.courtCode));
  const prefectures = new Set(caseCourts.map(prefectureKey));
  const shared = d.properties.filter(
    (p) => new Set(p.measures.filter(standing).map((m) => m.courtCode)).size >= config.rules.SPREAD.minSeizingCourts,
  );
  // Encumbered assets secured and unsecured creditors compete for (ADR 18); those claimed in several courts (a seizing
  // court and a court where the mortgagee enforces) call for one plan as several courts' seizures do.
  const competed = competedAssets(d);
  const contested = competed.filter(
    (x) => x.courtCodes.length >= config.rules.SPREAD.minSeizingCourts && !shared.some((p) => p.id === x.propertyId),
  );
  const claimants = [
    'Mortgagees or pledgees',
    ...(competed.some((x) => x.criminalCases.length) ? ['criminal-restitution victims'] : []),
    ...(competed.some((x) => x.ordinaryCases.length) ? ['ordinary creditors'] : []),
  ];
  const competedNote = competed.length
    ? ` ${claimants.slice(0, -1).join(', ')} and ${claimants.at(-1)} compete for ${competed.map((x) => x.propertyId).join(', ')} ` +
      '(secured first, then by the restitution order and civil priority): one plan settles who is paid from it.'
    : '';
  const rank = (candidates: CourtFact[]) => rankReceivingCourts(d, candidates, ctx.province, config);
  const base = { configVersion: config.version, assessedOn: ctx.today, rules };

  const expired = expiredDeadlineOrders(d, ctx.today, config);
  const running = runningDeadlineOrders(d, ctx.today, config);
  const historyNote = expired.length
    ? ` Expired deadline order${expired.length > 1 ? 's' : ''}: ${expired.map(describeOrder).join('; ')}.`
    : '';

  if (met.size === 0 && !expired.some((e) => movesByTransfer(e.stillUnexecuted))) {
    return {
      ...base,
      recommendedMode: null,
      receivingCourts: [],
      proposedCases: [],
      explanation: 'No selection rule is met: the cases stay where they are.',
    };
  }

  const metList = [...met].join(', ');
  if (implementation.length === 0) {
    return {
      ...base,
      recommendedMode: null,
      receivingCourts: [],
      proposedCases: [],
      explanation:
        `Rules met: ${metList}, but the debtor has no unclosed case to move` +
        (casesInPlay(d, config.rules).length ? ' (only review cases, which are not implementation cases)' : '') +
        '; the flagged property is a matter for disposal supervision.',
    };
  }
  // Related cases in many courts across prefectures: one court takes them all.
  if (
    met.has('MANY_COURTS') ||
    (prefectures.size >= config.rules.SPREAD.minPrefectures && caseCourts.length >= config.modes.centralizeMinCourts)
  ) {
    const main = mainProperty(d);
    const locationCourts = courtsOf(d.properties.map((p) => basicCourtOfDivision(p.divisionCode) ?? ''));
    const home = courtsOf([basicCourtOfDivision(d.divisionCode) ?? '']);
    // The courts the law would choose (民诉法 Art. 235; docs/rules.md): the intermediate court of the main property's
    // prefecture and of the prefecture(s) holding most of the cases, and the high court, beside the courts holding
    // cases and the basic courts where the property lies and the debtor is domiciled.
    const perPrefecture = new Map<string, number>();
    for (const c of implementation) {
      const at = ctx.province.courts.get(c.courtCode);
      if (at) perPrefecture.set(prefectureKey(at), (perPrefecture.get(prefectureKey(at)) ?? 0) + 1);
    }
    const most = Math.max(0, ...perPrefecture.values());
    const intermediate = courtsOf([
      ...(main?.divisionCode ? [prefectureOfDivision(main.divisionCode) ?? ''] : []),
      ...[...perPrefecture].filter(([, n]) => n === most).map(([key]) => key),
    ]).filter((c) => c.level === 'INTERMEDIATE');
    const candidates = [
      ...new Map(
        [...caseCourts, ...locationCourts, ...home, ...intermediate, ...courtsOf([HIGH_COURT_CODE])].map((c) => [c.code, c]),
      ).values(),
    ];
    const ranked = rank(candidates);
    const first = ranked[0];
    const needed = levelNeeded(d, ctx.province, config);
    return {
      ...base,
      recommendedMode: 'CENTRALIZED',
      receivingCourts: ranked,
      proposedCases: movable.map((c) => c.number).sort(),
      explanation:
        `Rules met: ${metList}. ${implementation.length} unclosed cases in ${caseCourts.length} courts across ${prefectures.size} prefectures ` +
        `compete for the same assets, so centralized execution (集中执行) moves them to one court: ${first?.courtCode ?? 'none'} ranks first` +
        (main && first && first.factors[0]!.value === 1 ? `, the main property ${main.id} lying within its territorial jurisdiction` : '') +
        `; the series needs ${LEVEL_WORDS[needed.level]} (${needed.reasons.join('; ')}).` +
        historyNote +
        stayingNote +
        competedNote,
    };
  }

  // An expired deadline order: the higher court shall execute the case itself or direct another court to (执行程序
  // 若干问题的解释 Art. 11); another deadline order is not open. A criminal restitution case stays with its court.
  const escalate = expired.filter((e) => movesByTransfer(e.stillUnexecuted));
  if (escalate.length > 0) {
    const orders = escalate.map(describeOrder).join('; ');
    const decider = escalate[0]!.order.decidingCourt;
    const targets = courtsOf(escalate.map((e) => e.stillUnexecuted.courtCode));
    const beyond = new Set(rules.find((r) => r.id === 'CAPACITY')!.evidence.caseNumbers);
    const peers = [...ctx.province.courts.values()].filter((c) =>
      targets.every(
        (t) =>
          c.code !== t.code &&
          c.level === t.level &&
          isAbove(decider, c.code) &&
          (t.level === 'BASIC' ? c.prefecture !== null && c.prefecture === t.prefecture : c.prefecture !== null),
      ),
    );
    const caseNumbers = escalate.map((e) => e.stillUnexecuted.number).sort();
    const why =
      `Rules met: ${metList || 'none'}. The deadline order ${orders} expired after ${escalate[0]!.expiredAfter} with the case still not ` +
      `executed (未执行完结), so the higher court shall execute it itself or direct another court to (执行程序若干问题的解释 Art. 11); ` +
      'another deadline order is not open. ';
    const elevate = peers.length === 0 || escalate.some((e) => beyond.has(e.stillUnexecuted.number));
    if (!elevate) {
      const ranked = rank(peers);
      return {
        ...base,
        recommendedMode: 'DIRECTED',
        receivingCourts: ranked,
        proposedCases: caseNumbers,
        explanation:
          why +
          `Directed execution (指令执行): ${decider} orders another court of its area to execute it; ${ranked[0]!.courtCode} ranks first.` +
          stayingNote,
      };
    }
    const ranked = rank(courtsOf([decider]));
    return {
      ...base,
      recommendedMode: 'ELEVATED',
      receivingCourts: ranked,
      proposedCases: caseNumbers,
      explanation:
        why +
        `Elevated execution (提级执行): ${decider} executes it itself` +
        (peers.length === 0
          ? ', having no other court of that level in its area to direct it to.'
          : ', the case being beyond its court (rule CAPACITY).') +
        stayingNote,
    };
  }

  // Several courts' measures on one asset: the courts keep their cases under one coordinated plan.
  if (shared.length > 0 || contested.length > 0) {
    const holders = [
      ...new Set([
        ...shared.flatMap((p) => p.measures.filter(standing).map((m) => m.courtCode)),
        ...contested.flatMap((x) => x.courtCodes),
      ]),
    ];
    const covered = implementation.filter((c) => holders.includes(c.courtCode));
    const ranked = rank(coordinatorOf([...holders, ...covered.map((c) => c.courtCode)]));
    const criminal = implementation.some((c) => isCriminalRestitution(c.category));
    return {
      ...base,
      recommendedMode: 'COLLABORATIVE',
      receivingCourts: ranked,
      proposedCases: covered.map((c) => c.number).sort(),
      explanation:
        `Rules met: ${metList}. ` +
        (shared.length ? `${shared.length} assets are held by measures of several courts (${shared.map((p) => p.id).join(', ')})` : '') +
        (shared.length && contested.length ? ' and ' : '') +
        (contested.length
          ? `${contested.length} encumbered assets are claimed in several courts (${contested.map((x) => `${x.propertyId}: ${x.courtCodes.join(', ')}`).join('; ')})`
          : '') +
        (criminal ? ', with criminal restitution competing with civil creditors' : '') +
        `; collaborative execution (协同执行) keeps each case where it is under one plan coordinated by ${ranked[0]?.courtCode ?? 'none'}, ` +
        `the lowest court above ${holders.sort().join(', ')}.` +
        competedNote,
    };
  }

  // Too large for the court that has it: the court above executes it.
  const capacityRule = rules.find((r) => r.id === 'CAPACITY')!;
  const tooLarge = met.has('CAPACITY') && (capacityRule.evidence.caseNumbers.length > 0 || capacityRule.evidence.propertyIds.length > 0);
  const idleValue = d.properties
    .filter((p) => rules.find((r) => r.id === 'IDLE_PROPERTY')!.evidence.propertyIds.includes(p.id))
    .reduce((n, p) => n + (p.estimatedValue ?? 0), 0);
  if (tooLarge || (met.has('IDLE_PROPERTY') && idleValue >= config.modes.elevateMinValueFen)) {
    // The court directly above each basic court (a railway court's is the railway intermediate court); the high
    // court when the cases span prefectures or already sit in intermediate courts.
    const higher = courtsOf(
      caseCourts.map((c) =>
        prefectures.size > 1 || c.level !== 'BASIC' ? HIGH_COURT_CODE : (COURTS_BY_CODE.get(c.code)?.parent ?? HIGH_COURT_CODE),
      ),
    );
    const ranked = rank(higher);
    return {
      ...base,
      recommendedMode: 'ELEVATED',
      receivingCourts: ranked,
      proposedCases: movable.map((c) => c.number).sort(),
      explanation:
        `Rules met: ${metList}. ` +
        (tooLarge ? `${capacityRule.evidence.detail}. ` : `Idle assets worth ${fenToYuan(idleValue)} yuan. `) +
        `Elevated execution (提级执行): ${ranked.map((c) => c.courtCode).join(', ')} executes the case itself.` +
        stayingNote,
    };
  }

  // A stuck case in one court: order it to act, or hand it to a court of the same level with capacity. The court
  // acted on is a stuck court that is also overloaded, else a stuck court, else an overloaded court of the debtor's.
  const stuckRuleIds: RuleId[] = ['LONG_UNEXECUTED', 'PASSIVE_EXECUTION', 'IDLE_PROPERTY'];
  const stuckCourts = [...new Set(rules.filter((r) => r.met && stuckRuleIds.includes(r.id)).flatMap((r) => r.evidence.courtCodes))];
  const overloadedCourts = met.has('CAPACITY') ? capacityRule.evidence.courtCodes : [];
  const targetCode = stuckCourts.find((c) => overloadedCourts.includes(c)) ?? stuckCourts[0] ?? overloadedCourts[0];
  const target = targetCode ? ctx.province.courts.get(targetCode) : undefined;
  if (target) {
    const overloaded = overloadedCourts.includes(target.code);
    const passive = rules.find((r) => r.id === 'PASSIVE_EXECUTION')!;
    const quiet = passive.met && passive.evidence.courtCodes.includes(target.code);
    const peers = [...ctx.province.courts.values()].filter(
      (c) =>
        c.level === target.level &&
        c.code !== target.code &&
        // A basic court's case goes to a basic court of the same prefecture; an intermediate court's to another
        // prefecture's intermediate court (special courts aside).
        (target.level === 'BASIC' ? c.prefecture !== null && c.prefecture === target.prefecture : c.prefecture !== null),
    );
    const atTarget = implementation.filter((c) => c.courtCode === target.code);
    const movableAtTarget = atTarget.filter(movesByTransfer);
    if ((overloaded || quiet) && peers.length > 0 && movableAtTarget.length > 0) {
      const ranked = rank(peers);
      return {
        ...base,
        recommendedMode: 'DIRECTED',
        receivingCourts: ranked,
        proposedCases: movableAtTarget.map((c) => c.number).sort(),
        explanation:
          `Rules met: ${metList}. ${target.code} ` +
          (overloaded
            ? `carries ${casesPerOfficer(target).toFixed(1)} open cases per enforcement officer`
            : 'shows no enforcement action for a long stretch') +
          `; directed execution (指定执行) moves the case to a court of the same level: ${ranked[0]!.courtCode} ranks first.`,
      };
    }
    return {
      ...base,
      recommendedMode: 'DEADLINE_ORDER',
      receivingCourts: [],
      proposedCases: atTarget.map((c) => c.number).sort(),
      explanation:
        `Rules met: ${metList}. ${target.code} keeps the case and must act by a deadline (督促执行); ` +
        `outstanding ${fenToYuan(atTarget.reduce((n, c) => n + outstanding(c), 0))} yuan.` +
        running
          .filter((o) => atTarget.some((c) => c.number === o.carriedOn))
          .map(
            (o) =>
              ` The deadline order ${o.transferId} (${o.decidingCourt}) runs until ${o.deadline}; once it passes unexecuted, the case is escalated.`,
          )
          .join('') +
        expired
          .filter((e) => !movesByTransfer(e.stillUnexecuted) && atTarget.includes(e.stillUnexecuted))
          .map(
            (e) =>
              ` The deadline order ${describeOrder(e)} expired unexecuted, but a criminal restitution case stays with its criminal court ` +
              '(刑事裁判涉财产部分执行规定 Art. 2): the higher court supervises it there.',
          )
          .join(''),
    };
  }

  // Cases spread over prefectures without a shared asset: one plan across the courts, coordinated from above them.
  const ranked = rank(coordinatorOf(caseCourts.map((c) => c.code)));
  return {
    ...base,
    recommendedMode: 'COLLABORATIVE',
    receivingCourts: ranked,
    proposedCases: implementation.map((c) => c.number).sort(),
    explanation:
      `Rules met: ${metList}. The cases stay in their courts under one plan coordinated by ${ranked[0]?.courtCode ?? 'none'} (协同执行), ` +
      `the lowest court above ${caseCourts
        .map((c) => c.code)
        .sort()
        .join(', ')}.` +
      competedNote,
  };

  /** The coordinator of a collaboration: the lowest court above every court involved (domain/transfers.ts). */
  function coordinatorOf(codes: string[]): CourtFact[] {
    return courtsOf([lowestCommonSuperior(codes) ?? HIGH_COURT_CODE]);
  }
}
