import type { CaseCategory, CaseTypeCode } from '../caseNumber';
import { CRIMINAL_RESTITUTION, movesByTransfer } from '../caseKinds';
import { lowestCommonSuperior } from '../transfers';
import { COURTS_BY_CODE, basicCourtOfDivision, prefectureOfDivision } from '../sichuan';
import { RULES_CONFIG, type RulesConfig } from './config';
import { casesPerOfficer, provincialMedianCasesPerOfficer, type CourtFact } from './facts';

/**
 * Load rebalancing (调案) as one plan over several overloaded courts (or one): directed execution of open
 * implementation cases to courts of the same level with room. The plan is greedy water-filling over all the sending
 * courts at once: the most loaded sending court gives its oldest movable case next, to the best court with room, and
 * every receiving court's count includes every case the plan has already sent it, so no receiving court ends above
 * the provincial median of open cases per enforcement officer after *all* the plan's moves. A case goes out of its
 * court's prefecture only to where its main property lies or a debtor is domiciled; among the courts left the "两便"
 * factors choose (main property, the debtors' domicile, the court's load, its spare capacity), with the
 * receiving-court weights of the configuration.
 */

/**
 * Which cases rebalancing moves: the implementation cases a transfer may move (domain/caseKinds.ts: never a review
 * case, never criminal restitution), and of those only 执 and 执恢 — a preservation case (执保) continues into its
 * execution case rather than being moved on its own (issue #14 items 3 and 13). The registry reads only these.
 */
export const MOVABLE_TYPE_CODES: readonly CaseTypeCode[] = ['执', '执恢'];
export const UNMOVABLE_CATEGORIES: readonly CaseCategory[] = [CRIMINAL_RESTITUTION];

export function isMovableCase(c: { typeCode: string; category: string }): boolean {
  return (MOVABLE_TYPE_CODES as readonly string[]).includes(c.typeCode) && movesByTransfer(c);
}

export interface RebalanceCase {
  number: string;
  /** The court executing the case now: one of the plan's sending courts. */
  court: string;
  filedAt: string;
  /** Case type code (案件类型代字) from the registry: 执, 执恢, 执保, 执异, … */
  typeCode: string;
  category: string;
  /** Division codes of the debtors' domiciles (被执行人住所地); applicants are not "where the parties are". */
  debtorDivisions: (string | null)[];
  /** Properties under a standing measure of the case's lineage: where they lie and their estimated value (fen). */
  properties: { divisionCode: string | null; value: number | null }[];
}

export interface PlanFactor {
  name: 'mainProperty' | 'parties' | 'load' | 'staff';
  weight: number;
  value: number;
  detail: string;
}

export interface PlannedMove {
  caseNumber: string;
  from: string;
  to: string;
  score: number;
  factors: PlanFactor[];
  why: string;
}

export interface DecisionProposal {
  mode: 'DIRECTED';
  decidingCourt: string;
  receivingCourt: string;
  caseNumbers: string[];
  reasons: string[];
  note: string;
}

/** One court the plan touches: a sending court of the request, or a court that receives cases. */
export interface CourtOutcome {
  code: string;
  role: 'SENDING' | 'RECEIVING';
  enforcementStaffCount: number;
  openCasesBefore: number;
  openCasesAfter: number;
  loadBefore: number;
  loadAfter: number;
  explanation: string;
}

export interface RebalanceOutcome {
  provincialMedian: number;
  /** The sending courts' open cases per enforcement officer together (for one court, its own), before and after. */
  loadBefore: number;
  loadAfter: number;
  /** True when any sending court is above the median. */
  overloaded: boolean;
  moves: PlannedMove[];
  decisions: DecisionProposal[];
  courts: CourtOutcome[];
  explanation: string;
}

/** The court of `level` for a place: the basic court seated there, or the prefecture's intermediate court. */
function courtFor(division: string | null, level: CourtFact['level']): string | null {
  if (division === null) return null;
  return level === 'BASIC' ? basicCourtOfDivision(division) : level === 'INTERMEDIATE' ? prefectureOfDivision(division) : null;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const special = (code: string) => COURTS_BY_CODE.get(code)?.special ?? false;
const byFiling = (a: RebalanceCase, b: RebalanceCase) =>
  a.filedAt < b.filedAt ? -1 : a.filedAt > b.filedAt ? 1 : a.number < b.number ? -1 : a.number > b.number ? 1 : 0;

export function planRebalance(
  fromCourts: readonly CourtFact[],
  cases: readonly RebalanceCase[],
  courts: readonly CourtFact[],
  maxCases: number,
  config: RulesConfig = RULES_CONFIG,
): RebalanceOutcome {
  const median = provincialMedianCasesPerOfficer({ courts: new Map(courts.map((c) => [c.code, c])) });
  const senders = [...new Map(fromCourts.map((c) => [c.code, c])).values()];
  const sending = new Set(senders.map((c) => c.code));
  const staffOf = (c: CourtFact) => Math.max(1, c.enforcementStaffCount);
  const open = new Map(courts.map((c) => [c.code, c.openCaseCount]));
  for (const s of senders) open.set(s.code, s.openCaseCount);
  const load = (c: CourtFact) => open.get(c.code)! / staffOf(c);
  const overloaded = senders.some((s) => casesPerOfficer(s) > median);
  const combined = () => senders.reduce((n, s) => n + open.get(s.code)!, 0) / senders.reduce((n, s) => n + staffOf(s), 0);
  const loadBefore = combined();

  // Each sending court's movable cases, oldest first; the others are counted and named in its explanation.
  const queues = new Map<string, RebalanceCase[]>(senders.map((s) => [s.code, []]));
  const kept = new Map<string, number>(senders.map((s) => [s.code, 0]));
  for (const c of [...cases].sort(byFiling)) {
    if (!queues.has(c.court)) continue;
    if (isMovableCase(c)) queues.get(c.court)!.push(c);
    else kept.set(c.court, kept.get(c.court)! + 1);
  }

  // Receivers: courts of the sender's level and kind (a railway court with railway courts) that are not themselves
  // sending, with staff. A court's spare capacity is what it can take before reaching the median.
  const peersOf = new Map(
    senders.map((s) => [
      s.code,
      courts.filter(
        (c) => !sending.has(c.code) && c.level === s.level && c.enforcementStaffCount > 0 && special(c.code) === special(s.code),
      ),
    ]),
  );
  const spare = (c: CourtFact, extra: number) => c.enforcementStaffCount * median - (open.get(c.code)! + extra);
  const maxSpare = new Map([...peersOf].map(([code, peers]) => [code, Math.max(1, ...peers.map((p) => spare(p, 0)))]));
  const weights = config.receivingCourt.weights;
  const moves: PlannedMove[] = [];
  const unplaced = new Map<string, number>();

  const score = (c: RebalanceCase, from: CourtFact, peer: CourtFact): PlannedMove | null => {
    const after = (open.get(peer.code)! + 1) / peer.enforcementStaffCount;
    if (after > median) return null;
    const main = [...c.properties].sort((a, b) => (b.value ?? 0) - (a.value ?? 0))[0] ?? null;
    const propertyCourt = courtFor(main?.divisionCode ?? null, from.level);
    const samePrefecture =
      propertyCourt !== null && peer.prefecture !== null && COURTS_BY_CODE.get(propertyCourt)?.prefecture === peer.prefecture;
    const property = propertyCourt === peer.code ? 1 : samePrefecture ? 0.5 : 0;
    const domiciles = c.debtorDivisions.map((d) => courtFor(d, from.level)).filter((x) => x !== null);
    const home = domiciles.filter((d) => d === peer.code).length;
    const parties = domiciles.length === 0 ? 0 : home / domiciles.length;
    // 两便: out of its own prefecture a case goes only where its main property lies or a debtor is domiciled.
    if (property === 0 && parties === 0 && (peer.prefecture === null || peer.prefecture !== from.prefecture)) return null;
    const room = spare(peer, 1);
    const factors: PlanFactor[] = [
      {
        name: 'mainProperty',
        weight: weights.mainProperty,
        value: round3(property),
        detail: main
          ? `main property in ${main.divisionCode ?? 'an unknown place'}${property === 1 ? ', this court’s area' : property ? ', this court’s prefecture' : ''}`
          : 'no property under control',
      },
      {
        name: 'parties',
        weight: weights.parties,
        value: round3(parties),
        detail: `${home} of ${domiciles.length} debtor(s) with a known domicile live in this court’s area (the applicant’s seat does not count)`,
      },
      {
        name: 'load',
        weight: weights.load,
        value: round3(median > 0 ? Math.max(0, 1 - after / median) : 0),
        detail: `${after.toFixed(2)} open cases per officer after every case this plan sends it (provincial median ${median.toFixed(2)})`,
      },
      {
        name: 'staff',
        weight: weights.staff,
        value: round3(Math.min(1, Math.max(0, room / maxSpare.get(from.code)!))),
        detail: `capacity: room for ${Math.floor(room)} more case(s) under the median (${peer.enforcementStaffCount} enforcement staff × ${median.toFixed(2)} − ${open.get(peer.code)! + 1} open cases); the largest room among the candidates is ${Math.floor(maxSpare.get(from.code)!)}`,
      },
    ];
    const why = [
      property === 1 ? 'the main property lies in its area' : property ? 'the main property lies in its prefecture' : null,
      home ? 'a debtor is domiciled there' : null,
    ]
      .filter((x) => x !== null)
      .join(' and ');
    return {
      caseNumber: c.number,
      from: from.code,
      to: peer.code,
      score: round3(factors.reduce((n, f) => n + f.weight * f.value, 0)),
      factors,
      why: `${from.code} → ${peer.code}${why ? `: ${why};` : ':'} ${after.toFixed(2)} open cases per officer after all the plan's moves to it, within the provincial median ${median.toFixed(2)}`,
    };
  };

  // Water-filling: always relieve the most loaded sending court that is still above the median and has a case left.
  while (moves.length < maxCases) {
    const from = senders
      .filter((s) => load(s) > median && queues.get(s.code)!.length > 0)
      .sort((a, b) => load(b) - load(a) || (a.code < b.code ? -1 : 1))[0];
    if (!from) break;
    const c = queues.get(from.code)!.shift()!;
    let best: PlannedMove | null = null;
    for (const peer of peersOf.get(from.code)!) {
      const m = score(c, from, peer);
      if (m && (!best || m.score > best.score || (m.score === best.score && m.to < best.to))) best = m;
    }
    if (!best) {
      unplaced.set(from.code, (unplaced.get(from.code) ?? 0) + 1);
      continue;
    }
    moves.push(best);
    open.set(best.to, open.get(best.to)! + 1);
    open.set(from.code, open.get(from.code)! - 1);
  }

  const groups = new Map<string, DecisionProposal>();
  for (const m of moves) {
    // The lowest court above both decides the move between them.
    const deciding = lowestCommonSuperior([m.from, m.to]) ?? '川';
    const key = `${deciding}|${m.to}`;
    const d = groups.get(key) ?? {
      mode: 'DIRECTED' as const,
      decidingCourt: deciding,
      receivingCourt: m.to,
      caseNumbers: [],
      reasons: ['CAPACITY'],
      note: '',
    };
    d.caseNumbers.push(m.caseNumber);
    groups.set(key, d);
  }
  const decisions = [...groups.values()].map((d) => {
    const from = [...new Set(moves.filter((m) => d.caseNumbers.includes(m.caseNumber)).map((m) => m.from))];
    const to = courts.find((c) => c.code === d.receivingCourt)!;
    return {
      ...d,
      note: `调案: ${from.map((f) => `${f} carries ${casesPerOfficer(senders.find((s) => s.code === f)!).toFixed(2)}`).join(', ')} open cases per enforcement officer against a provincial median of ${median.toFixed(2)}; ${d.receivingCourt} ends at ${load(to).toFixed(2)} after the whole plan`,
    };
  });

  const movedFrom = (code: string) => moves.filter((m) => m.from === code).length;
  const outcomes: CourtOutcome[] = senders.map((s) => {
    const before = casesPerOfficer(s);
    const n = movedFrom(s.code);
    const notes = [
      before <= median ? `not above the provincial median ${median.toFixed(2)}: nothing to move` : `${n} case(s) moved`,
      kept.get(s.code) ? `${kept.get(s.code)} case(s) stay: not implementation cases (执/执恢) or criminal restitution` : null,
      unplaced.get(s.code) ? `${unplaced.get(s.code)} case(s) found no court with room` : null,
      before > median && load(s) > median && moves.length >= maxCases ? `stopped at maxCases ${maxCases}` : null,
    ].filter((x) => x !== null);
    return {
      code: s.code,
      role: 'SENDING',
      enforcementStaffCount: s.enforcementStaffCount,
      openCasesBefore: s.openCaseCount,
      openCasesAfter: open.get(s.code)!,
      loadBefore: round3(before),
      loadAfter: round3(load(s)),
      explanation: `${s.code}: ${before.toFixed(2)} → ${load(s).toFixed(2)} open cases per officer; ${notes.join('; ')}.`,
    };
  });
  for (const code of [...new Set(moves.map((m) => m.to))].sort()) {
    const c = courts.find((x) => x.code === code)!;
    const n = moves.filter((m) => m.to === code).length;
    outcomes.push({
      code,
      role: 'RECEIVING',
      enforcementStaffCount: c.enforcementStaffCount,
      openCasesBefore: c.openCaseCount,
      openCasesAfter: open.get(code)!,
      loadBefore: round3(casesPerOfficer(c)),
      loadAfter: round3(load(c)),
      explanation: `${code} receives ${n} case(s): ${casesPerOfficer(c).toFixed(2)} → ${load(c).toFixed(2)} open cases per officer, at or below the provincial median ${median.toFixed(2)}.`,
    });
  }

  const loadAfter = combined();
  const names = senders.map((s) => s.code).join(', ');
  const explanation = !overloaded
    ? `${names} ${senders.length === 1 ? 'carries' : 'carry'} ${loadBefore.toFixed(1)} open cases per enforcement officer, ${senders.length === 1 ? '' : 'each '}not above the provincial median ${median.toFixed(1)}: nothing to rebalance.`
    : moves.length === 0
      ? `${names}: overloaded (median ${median.toFixed(1)}) but no court of the same level has room under the median for their movable cases.`
      : `Move ${moves.length} case(s) from ${new Set(moves.map((m) => m.from)).size} court(s) to ${new Set(moves.map((m) => m.to)).size} court(s) in one plan: ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} open cases per officer over ${names} (provincial median ${median.toFixed(1)}); every receiving court is counted with all the plan's moves and ends at or below the median. ` +
        outcomes.map((o) => o.explanation).join(' ');
  return {
    provincialMedian: round3(median),
    loadBefore: round3(loadBefore),
    loadAfter: round3(loadAfter),
    overloaded,
    moves,
    decisions,
    courts: outcomes,
    explanation,
  };
}
