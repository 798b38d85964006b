import { COURTS_BY_CODE, basicCourtOfDivision, prefectureOfDivision } from '../sichuan';
import { RULES_CONFIG, type RulesConfig } from './config';
import { casesPerOfficer, provincialMedianCasesPerOfficer, type CourtFact } from './facts';

/**
 * Load rebalancing (调案): move open cases from an overloaded court to courts of the same level with room, by
 * directed execution. A receiving court is never pushed above the provincial median of open cases per enforcement
 * officer, nor sent where neither its main property nor a party lies unless the court is of the sending court's own
 * prefecture; among the courts left, the "两便" factors choose (where the case's main property lies, where its parties
 * are, the court's load, its staff), with the receiving-court weights of the configuration.
 */

export interface RebalanceCase {
  number: string;
  filedAt: string;
  /** Division codes of the case's debtors and applicants. */
  partyDivisions: (string | null)[];
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

export interface RebalanceOutcome {
  provincialMedian: number;
  loadBefore: number;
  loadAfter: number;
  overloaded: boolean;
  moves: PlannedMove[];
  decisions: DecisionProposal[];
  explanation: string;
}

/** The court of `level` for a place: the basic court seated there, or the prefecture's intermediate court. */
function courtFor(division: string | null, level: CourtFact['level']): string | null {
  if (division === null) return null;
  return level === 'BASIC' ? basicCourtOfDivision(division) : level === 'INTERMEDIATE' ? prefectureOfDivision(division) : null;
}

/** The lowest court above both: the one that may decide a move between them. */
export function lowestCommonSuperior(a: string, b: string): string {
  const chain = (code: string) => {
    const out: string[] = [];
    for (let c = COURTS_BY_CODE.get(code)?.parent ?? null; c !== null; c = COURTS_BY_CODE.get(c)?.parent ?? null) out.push(c);
    return out;
  };
  const above = new Set(chain(b));
  return chain(a).find((c) => above.has(c)) ?? '川';
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function planRebalance(
  from: CourtFact,
  cases: readonly RebalanceCase[],
  courts: readonly CourtFact[],
  maxCases: number,
  config: RulesConfig = RULES_CONFIG,
): RebalanceOutcome {
  const median = provincialMedianCasesPerOfficer({ courts: new Map(courts.map((c) => [c.code, c])) });
  const staff = Math.max(1, from.enforcementStaffCount);
  const loadBefore = casesPerOfficer(from);
  const overloaded = loadBefore > median;
  const empty = (explanation: string): RebalanceOutcome => ({
    provincialMedian: round3(median),
    loadBefore: round3(loadBefore),
    loadAfter: round3(loadBefore),
    overloaded,
    moves: [],
    decisions: [],
    explanation,
  });
  if (!overloaded)
    return empty(
      `${from.code} carries ${loadBefore.toFixed(1)} open cases per enforcement officer, not above the provincial median ${median.toFixed(1)}: nothing to rebalance.`,
    );

  const special = COURTS_BY_CODE.get(from.code)?.special ?? false;
  const peers = courts.filter(
    (c) =>
      c.code !== from.code &&
      c.level === from.level &&
      c.enforcementStaffCount > 0 &&
      (COURTS_BY_CODE.get(c.code)?.special ?? false) === special,
  );
  const maxStaff = Math.max(1, ...peers.map((c) => c.enforcementStaffCount));
  const planned = new Map<string, number>();
  const weights = config.receivingCourt.weights;
  const moves: PlannedMove[] = [];
  let remaining = from.openCaseCount;
  let unplaced = 0;

  for (const c of [...cases].sort((a, b) => (a.filedAt < b.filedAt ? -1 : a.filedAt > b.filedAt ? 1 : a.number < b.number ? -1 : 1))) {
    if (moves.length >= maxCases || remaining / staff <= median) break;
    const main = [...c.properties].sort((a, b) => (b.value ?? 0) - (a.value ?? 0))[0] ?? null;
    const propertyCourt = courtFor(main?.divisionCode ?? null, from.level);
    const partyCourts = c.partyDivisions.map((d) => courtFor(d, from.level)).filter((x) => x !== null);
    let best: PlannedMove | null = null;
    for (const peer of peers) {
      const after = (peer.openCaseCount + (planned.get(peer.code) ?? 0) + 1) / peer.enforcementStaffCount;
      if (after > median) continue;
      const samePrefecture = (code: string | null) =>
        code !== null && COURTS_BY_CODE.get(code)?.prefecture === peer.prefecture && peer.prefecture !== null;
      const property = propertyCourt === peer.code ? 1 : samePrefecture(propertyCourt) ? 0.5 : 0;
      const parties =
        partyCourts.length === 0
          ? 0
          : partyCourts.reduce((n, p) => n + (p === peer.code ? 1 : samePrefecture(p) ? 0.5 : 0), 0) / partyCourts.length;
      // 两便: a case goes only where its main property or a party lies, or to a court of its own prefecture.
      if (property === 0 && parties === 0 && (peer.prefecture === null || peer.prefecture !== from.prefecture)) continue;
      const load = median > 0 ? Math.max(0, 1 - after / median) : 0;
      const staffValue = peer.enforcementStaffCount / maxStaff;
      const factors: PlanFactor[] = [
        {
          name: 'mainProperty',
          weight: weights.mainProperty,
          value: round3(property),
          detail: main
            ? `main property in ${main.divisionCode ?? 'an unknown place'}${propertyCourt === peer.code ? ', this court’s area' : property ? ', this court’s prefecture' : ''}`
            : 'no property under control',
        },
        {
          name: 'parties',
          weight: weights.parties,
          value: round3(parties),
          detail: `${partyCourts.filter((p) => p === peer.code).length} of ${partyCourts.length} parties in this court’s area`,
        },
        {
          name: 'load',
          weight: weights.load,
          value: round3(load),
          detail: `${after.toFixed(1)} open cases per officer after the move (provincial median ${median.toFixed(1)})`,
        },
        { name: 'staff', weight: weights.staff, value: round3(staffValue), detail: `${peer.enforcementStaffCount} enforcement staff` },
      ];
      const score = round3(factors.reduce((n, f) => n + f.weight * f.value, 0));
      if (!best || score > best.score || (score === best.score && peer.code < best.to)) {
        const reasons = [
          property === 1 ? 'the main property lies in its area' : property ? 'the main property lies in its prefecture' : null,
          parties > 0 ? 'parties are there' : null,
        ]
          .filter((x) => x !== null)
          .join(' and ');
        best = {
          caseNumber: c.number,
          to: peer.code,
          score,
          factors,
          why: `${peer.code}${reasons ? `: ${reasons};` : ':'} ${after.toFixed(1)} open cases per officer after the move, within the provincial median ${median.toFixed(1)}`,
        };
      }
    }
    if (!best) {
      unplaced++;
      continue;
    }
    moves.push(best);
    planned.set(best.to, (planned.get(best.to) ?? 0) + 1);
    remaining--;
  }

  const byCourt = new Map<string, string[]>();
  for (const m of moves) byCourt.set(m.to, [...(byCourt.get(m.to) ?? []), m.caseNumber]);
  const decisions: DecisionProposal[] = [...byCourt].map(([to, numbers]) => ({
    mode: 'DIRECTED',
    decidingCourt: lowestCommonSuperior(from.code, to),
    receivingCourt: to,
    caseNumbers: numbers,
    reasons: ['CAPACITY'],
    note: `调案: ${from.code} carries ${loadBefore.toFixed(1)} open cases per enforcement officer against a provincial median of ${median.toFixed(1)}`,
  }));
  const loadAfter = remaining / staff;
  const explanation =
    moves.length === 0
      ? `${from.code} is overloaded (${loadBefore.toFixed(1)} per officer, median ${median.toFixed(1)}) but no court of the same level has room under the median for its cases.`
      : `Move ${moves.length} case(s) from ${from.code} to ${byCourt.size} court(s): ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} open cases per officer (provincial median ${median.toFixed(1)})` +
        (unplaced ? `; ${unplaced} case(s) found no court with room` : '') +
        (moves.length >= maxCases && loadAfter > median ? `; stopped at maxCases ${maxCases}` : '') +
        '.';
  return {
    provincialMedian: round3(median),
    loadBefore: round3(loadBefore),
    loadAfter: round3(loadAfter),
    overloaded,
    moves,
    decisions,
    explanation,
  };
}
