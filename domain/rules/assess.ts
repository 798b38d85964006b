import { isCriminalRestitution, isImplementationCase, movesByTransfer } from '../caseKinds';
import { fenToYuan } from '../money';
import { COURTS_BY_CODE, HIGH_COURT_CODE, basicCourtOfDivision, prefectureOfDivision } from '../sichuan';
import type { TransferMode } from '../transferModes';
import { lowestCommonSuperior } from '../transfers';
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
import { evaluateRules, type RuleContext, type RuleResult } from './rules';

export interface Factor {
  name: 'mainProperty' | 'parties' | 'load' | 'staff';
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

/**
 * Scores candidate receiving courts by the "两便" factors — near the main property, near the parties, light load,
 * enough enforcement staff — each shown with its weight and value, and sorts them best first.
 */
export function rankReceivingCourts(
  d: DebtorFacts,
  candidates: readonly CourtFact[],
  province: ProvinceFacts,
  config: RulesConfig = RULES_CONFIG,
): CourtCandidate[] {
  const weights = config.receivingCourt.weights;
  const main = mainProperty(d);
  const median = provincialMedianCasesPerOfficer(province);
  const maxStaff = Math.max(1, ...candidates.map((c) => c.enforcementStaffCount));
  const homePrefecture = d.divisionCode ? prefectureOfDivision(d.divisionCode) : null;
  const inPlay = casesInPlay(d, config.rules);
  const casesIn = (court: CourtFact) =>
    inPlay.filter((c) => {
      const held = province.courts.get(c.courtCode);
      return held !== undefined && prefectureKey(held) === prefectureKey(court);
    }).length;

  return candidates
    .map((court) => {
      let property = 0;
      let propertyDetail = 'no controlled property';
      if (main) {
        if (main.divisionCode !== null && main.divisionCode === court.divisionCode && court.level === 'BASIC') {
          property = 1;
          propertyDetail = `main property ${main.id} lies in the court's county`;
        } else if (main.prefecture !== null && main.prefecture === court.prefecture) {
          property = 0.6;
          propertyDetail = `main property ${main.id} lies in the court's prefecture`;
        } else if (court.level === 'HIGH' && main.prefecture !== null) {
          property = 0.3;
          propertyDetail = `main property ${main.id} lies in the province`;
        } else propertyDetail = `main property ${main.id} lies elsewhere (${main.prefecture ?? 'outside Sichuan'})`;
      }
      const share = inPlay.length ? casesIn(court) / inPlay.length : 0;
      const home = homePrefecture !== null && homePrefecture === court.prefecture ? 1 : 0;
      const parties = 0.6 * share + 0.4 * home;
      const load = casesPerOfficer(court);
      const loadValue = median > 0 ? Math.max(0, Math.min(1, 1 - load / (2 * median))) : 0.5;
      const staffValue = court.enforcementStaffCount / maxStaff;
      const factors: Factor[] = [
        { name: 'mainProperty', weight: weights.mainProperty, value: round3(property), detail: propertyDetail },
        {
          name: 'parties',
          weight: weights.parties,
          value: round3(parties),
          detail: `${Math.round(share * 100)}% of the debtor's unclosed cases are in the court's area${home ? "; the debtor's seat is there" : ''}`,
        },
        {
          name: 'load',
          weight: weights.load,
          value: round3(loadValue),
          detail: `${load.toFixed(1)} open cases per enforcement officer (provincial median ${median.toFixed(1)})`,
        },
        { name: 'staff', weight: weights.staff, value: round3(staffValue), detail: `${court.enforcementStaffCount} enforcement staff` },
      ];
      return { courtCode: court.code, score: round3(factors.reduce((n, f) => n + f.weight * f.value, 0)), factors };
    })
    .sort((a, b) => b.score - a.score || a.courtCode.localeCompare(b.courtCode));
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
  const rank = (candidates: CourtFact[]) => rankReceivingCourts(d, candidates, ctx.province, config);
  const base = { configVersion: config.version, assessedOn: ctx.today, rules };

  if (met.size === 0) {
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
    const candidates = [
      ...new Map([...caseCourts, ...locationCourts, ...home].filter((c) => c.level !== 'HIGH').map((c) => [c.code, c])).values(),
    ];
    const ranked = rank(candidates);
    return {
      ...base,
      recommendedMode: 'CENTRALIZED',
      receivingCourts: ranked,
      proposedCases: movable.map((c) => c.number).sort(),
      explanation:
        `Rules met: ${metList}. ${implementation.length} unclosed cases in ${caseCourts.length} courts across ${prefectures.size} prefectures ` +
        `compete for the same assets, so centralized execution (集中执行) moves them to one court: ${ranked[0]?.courtCode ?? 'none'} ranks first` +
        (main ? `, nearest the main property ${main.id}.` : '.') +
        stayingNote,
    };
  }

  // Several courts' measures on one asset: the courts keep their cases under one coordinated plan.
  if (shared.length > 0) {
    const holders = [...new Set(shared.flatMap((p) => p.measures.filter(standing).map((m) => m.courtCode)))];
    const covered = implementation.filter((c) => holders.includes(c.courtCode));
    const ranked = rank(coordinatorOf([...holders, ...covered.map((c) => c.courtCode)]));
    const criminal = implementation.some((c) => isCriminalRestitution(c.category));
    return {
      ...base,
      recommendedMode: 'COLLABORATIVE',
      receivingCourts: ranked,
      proposedCases: covered.map((c) => c.number).sort(),
      explanation:
        `Rules met: ${metList}. ${shared.length} assets are held by measures of several courts (${shared.map((p) => p.id).join(', ')})` +
        (criminal ? ', with criminal restitution competing with civil creditors' : '') +
        `; collaborative execution (协同执行) keeps each case where it is under one plan coordinated by ${ranked[0]?.courtCode ?? 'none'}, ` +
        `the lowest court above ${holders.sort().join(', ')}.`,
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
        `outstanding ${fenToYuan(atTarget.reduce((n, c) => n + outstanding(c), 0))} yuan.`,
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
        .join(', ')}.`,
  };

  /** The coordinator of a collaboration: the lowest court above every court involved (domain/transfers.ts). */
  function coordinatorOf(codes: string[]): CourtFact[] {
    return courtsOf([lowestCommonSuperior(codes) ?? HIGH_COURT_CODE]);
  }
}
