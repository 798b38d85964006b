import { addDays, addMonths } from '../dates';
import { isImplementationCase } from '../caseKinds';
import { sixMonthsRun, type SixMonthsRun } from '../excludedPeriods';
import { latestSupervisionSince } from '../supervision';
import { fenToYuan } from '../money';
import { RULES_CONFIG, type RuleId, type RulesConfig } from './config';
import {
  casesCounted,
  casesPerOfficer,
  isTerminatedThisRound,
  outstanding,
  prefectureKey,
  provincialMedianCasesPerOfficer,
  standing,
  type CaseFact,
  type CourtFact,
  type DebtorFacts,
  type PropertyFact,
  type ProvinceFacts,
} from './facts';

/**
 * The six selection rules of DESIGN.md as pure functions over plain records. Each result says whether the rule
 * is met and carries the evidence a judge can check: the cases, courts, properties and dates that decided it.
 */
export interface RuleEvidence {
  caseNumbers: string[];
  courtCodes: string[];
  propertyIds: string[];
  dates: string[];
  detail: string;
}

export interface RuleResult {
  id: RuleId;
  title: string;
  met: boolean;
  threshold: string;
  observed: string;
  evidence: RuleEvidence;
}

export interface RuleContext {
  today: string;
  province: ProvinceFacts;
  config?: RulesConfig;
}

const evidence = (e: Partial<RuleEvidence> & { detail: string }): RuleEvidence => ({
  caseNumbers: [],
  courtCodes: [],
  propertyIds: [],
  dates: [],
  ...e,
});

const courtOf = (ctx: RuleContext, code: string): CourtFact | undefined => ctx.province.courts.get(code);

/** How many of `cases` are 终本 cases, in words for a rule's observation; empty when none. */
const terminatedNote = (cases: CaseFact[]) => {
  const n = cases.filter(isTerminatedThisRound).length;
  return n ? ` (${n} of them closed as 终本, not concluded)` : '';
};

/**
 * The provincial standard: the same debtor has `minCases` or more 未实结 implementation cases in different courts
 * (spread over at least `minCourts` courts). 未实结 includes, with `countTerminatedThisRound`, the cases closed as
 * 终本 and not yet resumed. Review cases (执异, 执复, 执监, 执协, 执他) are not counted (domain/caseKinds.ts).
 */
export function manyCourts(d: DebtorFacts, ctx: RuleContext): RuleResult {
  const { minCases, minCourts, countTerminatedThisRound } = (ctx.config ?? RULES_CONFIG).rules.MANY_COURTS;
  const read = casesCounted(d, countTerminatedThisRound);
  const counted = read.filter((c) => isImplementationCase(c.typeCode));
  const review = read.filter((c) => !isImplementationCase(c.typeCode));
  const courts = [...new Set(counted.map((c) => c.courtCode))].sort();
  const perCourt = courts.map((code) => `${code} (${counted.filter((c) => c.courtCode === code).length})`);
  const terminated = counted.filter(isTerminatedThisRound);
  const what = countTerminatedThisRound
    ? '未实结 implementation cases (执, 执恢, 执保; unclosed or closed as 终本)'
    : 'unclosed implementation cases (执, 执恢, 执保; not 终本)';
  return {
    id: 'MANY_COURTS',
    title: 'Many unclosed cases in different courts (同一被执行人在不同法院有多件未实结案件)',
    met: counted.length >= minCases && courts.length >= minCourts,
    threshold: `at least ${minCases} ${what} in at least ${minCourts} different courts`,
    observed: `${counted.length} ${countTerminatedThisRound ? '未实结' : 'unclosed'} implementation cases in ${courts.length} courts${terminatedNote(counted)}`,
    evidence: evidence({
      caseNumbers: counted.map((c) => c.number).sort(),
      courtCodes: courts,
      detail:
        `courts executing ${countTerminatedThisRound ? '未实结' : 'unclosed'} implementation cases: ${perCourt.join(', ') || 'none'}` +
        (terminated.length
          ? `; closed as 终本 and not resumed: ${terminated
              .map((c) => `${c.number} (${c.terminatedThisRoundAt})`)
              .sort()
              .join(', ')}`
          : '') +
        (review.length
          ? `; not counted (review cases): ${review
              .map((c) => c.number)
              .sort()
              .join(', ')}`
          : ''),
    }),
  };
}

/**
 * The provincial standard: a property under control stands undisposed for `minIdleMonths` or more and supervision
 * (督办) brought no progress — with `requireFailedSupervision`, a case holding the property (under a standing measure
 * of its lineage: `CaseFact.properties`) whose latest 督办 since the property became idle ended NO_PROGRESS. A 督办 with
 * progress, one still pending, or none at all leaves the property out; the evidence names which.
 */
export function idleProperty(d: DebtorFacts, ctx: RuleContext): RuleResult {
  const { minIdleMonths, requireFailedSupervision } = (ctx.config ?? RULES_CONFIG).rules.IDLE_PROPERTY;
  const cutoff = addMonths(ctx.today, -minIdleMonths);
  const longIdle = d.properties
    .filter((p) => p.undisposedSince !== null && p.undisposedSince <= cutoff && p.measures.some(standing))
    .sort((a, b) => a.undisposedSince!.localeCompare(b.undisposedSince!));
  const holding = casesCounted(d, true);
  /** The failed 督办 of a case holding `p` since it became idle, or why there is none. */
  const supervisionOf = (p: PropertyFact): { failed: string | null; why: string } => {
    const latest = holding
      .filter((c) => (c.properties ?? []).some((x) => x.id === p.id))
      .flatMap((c) => {
        const o = latestSupervisionSince(c.supervisionOrders ?? [], p.undisposedSince!);
        return o ? [{ c, o }] : [];
      })
      .sort((a, b) => a.o.supervisedAt.localeCompare(b.o.supervisedAt) || a.c.number.localeCompare(b.c.number));
    const failed = latest.find((x) => x.o.outcome === 'NO_PROGRESS');
    if (failed)
      return {
        failed: failed.c.number,
        why: `督办 by ${failed.o.supervisingCourt} on ${failed.o.supervisedAt} of ${failed.c.number}: no progress`,
      };
    if (latest.length === 0) return { failed: null, why: 'no 督办 since it became idle' };
    return {
      failed: null,
      why: latest.map((x) => `督办 by ${x.o.supervisingCourt} on ${x.o.supervisedAt} of ${x.c.number}: ${x.o.outcome}`).join(', '),
    };
  };
  const judged = longIdle.map((p) => ({ p, s: supervisionOf(p) }));
  const idle = requireFailedSupervision ? judged.filter((x) => x.s.failed !== null) : judged;
  const left = requireFailedSupervision ? judged.filter((x) => x.s.failed === null) : [];
  const courts = [...new Set(idle.flatMap((x) => x.p.measures.filter(standing).map((m) => m.courtCode)))].sort();
  const describe = (x: (typeof judged)[number]) =>
    `${x.p.id} (${x.p.kind}, stage ${x.p.disposalStage}) undisposed since ${x.p.undisposedSince}` +
    (requireFailedSupervision || x.s.failed ? `; ${x.s.why}` : '');
  return {
    id: 'IDLE_PROPERTY',
    title: requireFailedSupervision
      ? 'Property undisposed for a long time, supervision without progress (财产长期未处置且督办无进展)'
      : 'Property undisposed for a long time (财产长期未处置)',
    met: idle.length > 0,
    threshold:
      `a controlled property undisposed since ${cutoff} or earlier (${minIdleMonths} months)` +
      (requireFailedSupervision
        ? ", and a higher court's supervision (督办) of a case holding it, the latest since it became idle, ended with no progress"
        : ''),
    observed: idle.length
      ? `${idle.length} properties idle${requireFailedSupervision ? ' after a failed 督办' : ''}, the longest since ${idle[0]!.p.undisposedSince}`
      : left.length
        ? `${left.length} properties idle that long, none after a failed 督办`
        : 'no property idle that long',
    evidence: evidence({
      propertyIds: idle.map((x) => x.p.id),
      caseNumbers: [...new Set(idle.flatMap((x) => (x.s.failed ? [x.s.failed] : [])))].sort(),
      courtCodes: courts,
      dates: idle.map((x) => x.p.undisposedSince!),
      detail:
        [idle.map(describe).join('; '), left.length ? `idle but not counted (no failed 督办): ${left.map(describe).join('; ')}` : '']
          .filter(Boolean)
          .join('; ') || 'none',
    }),
  };
}

/**
 * Art. 10(3)'s limb for the conduct a case orders (a conduct case, or the conduct part of a case with both duties): filed
 * `minMonths` or more ago and no enforcement measure taken towards the conduct within `minMonths` of filing — no
 * progress event (domain/conduct.ts) dated by then and, since the registry keeps only the latest action's date, no
 * action recorded at all. Null when not met, else why.
 */
function conductUnexecuted(c: CaseFact, minMonths: number, cutoff: string): string | null {
  if (!(c.ordersConduct ?? c.amountDue === null) || c.filedAt > cutoff || c.lastActionAt !== null) return null;
  const by = addMonths(c.filedAt, minMonths);
  const first = [...(c.conductProgress ?? [])].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))[0];
  if (first && first.occurredAt <= by) return null;
  return first
    ? `conduct ordered, no enforcement measure within ${minMonths} months of filing on ${c.filedAt} (the first on ${first.occurredAt})`
    : `conduct ordered, no enforcement action since filing on ${c.filedAt}`;
}

/**
 * "Six months unexecuted" as 最高人民法院《关于适用〈中华人民共和国民事诉讼法〉执行程序若干问题的解释》 (法释〔2008〕13号,
 * amended 法释〔2020〕21号) Art. 10 states it — the test on which the higher court may order a deadline or change the
 * executing court:
 * - (1) executable property existed when execution was applied for, and the court has not finished executing it six
 *   months after receiving the application; (2) executable property found during execution has not been executed six
 *   months after its discovery. Together: a property under the case lineage's control, not disposed of, `minMonths`
 *   after the later of the filing and the day it came under control (the measure's start — the only date of
 *   discovery the systems record). Partial recovery does not end it; a case with no property found does not meet it.
 * - (3) a conduct obligation (no amount) with no enforcement measure taken within six months of filing: the registry
 *   keeps only the latest action's date, so "no action recorded at all" is what can be checked.
 * - Art. 13: the six months do not count the periods of public notice, appraisal and valuation, a jurisdiction dispute,
 *   coordination of an enforcement dispute, a stay (暂缓) or a suspension (中止) — the case's recorded excluded periods
 *   (domain/excludedPeriods.ts). Only the days inside the running six months are deducted (from the later of filing
 *   and control); each deducted day pushes the end back by a day. The evidence names the days and the periods.
 */
export function longUnexecuted(d: DebtorFacts, ctx: RuleContext): RuleResult {
  const { minMonths, countTerminatedThisRound } = (ctx.config ?? RULES_CONFIG).rules.LONG_UNEXECUTED;
  const cutoff = addMonths(ctx.today, -minMonths);
  const laterOf = (a: string, b: string) => (a > b ? a : b);
  // Only implementation cases are executed at all: a review case (执异, 执复, 执监, 执协, 执他) is heard, not executed.
  // Art. 13: `since` runs out `minMonths` later plus the recorded periods' days inside; with none deducted this is
  // exactly `since <= cutoff`.
  const run = (c: CaseFact, since: string) => {
    const r = sixMonthsRun(since, minMonths, c.excludedPeriods ?? [], ctx.today);
    return { ...r, stuck: since <= addDays(cutoff, -r.deductedDays) };
  };
  const deductionNote = (r: SixMonthsRun) =>
    r.deductedDays === 0
      ? ''
      : ` (${r.deductedDays} days not counted, Art. 13: ${r.deducted
          .map((x) => `${x.period.kind} ${x.period.startsAt}–${x.period.endsAt ?? 'ongoing'}, ${x.days} days`)
          .join('; ')})`;
  const spared: string[] = [];
  // Only implementation cases are executed at all: a review case (执异, 执复, 执监, 执协, 执他) is heard, not executed.
  const stuck = casesCounted(d, countTerminatedThisRound)
    .filter((c) => isImplementationCase(c.typeCode))
    .flatMap((c) => {
      // The conduct limb (Art. 10(3)), for a conduct case and for the conduct part of a case with both duties, with the
      // recorded Art. 13 periods deducted from its six months as for the money limb.
      const conductWhy = conductUnexecuted(c, minMonths, cutoff);
      const conductRun = conductWhy ? run(c, c.filedAt) : null;
      if (conductRun && !conductRun.stuck)
        spared.push(`${c.number}: six months from filing on ${c.filedAt} run out on ${conductRun.runsOutOn}${deductionNote(conductRun)}`);
      const conduct = conductRun?.stuck ? `${conductWhy}${deductionNote(conductRun)}` : null;
      const conductOnly = conduct
        ? [{ c, since: c.filedAt, deductedDays: conductRun!.deductedDays, propertyIds: [] as string[], why: conduct }]
        : [];
      if (c.amountDue === null) return conductOnly;
      const candidates = (c.properties ?? [])
        .filter((p) => !p.disposed)
        .map((p) => ({ p, since: laterOf(c.filedAt, p.controlledSince) }))
        .filter((x) => x.since <= cutoff)
        .map((x) => ({ ...x, r: run(c, x.since) }));
      const idle = candidates.filter((x) => x.r.stuck).sort((a, b) => a.since.localeCompare(b.since) || a.p.id.localeCompare(b.p.id));
      for (const x of candidates.filter((y) => !y.r.stuck))
        spared.push(`${c.number}: ${x.p.id}'s six months from ${x.since} run out on ${x.r.runsOutOn}${deductionNote(x.r)}`);
      if (idle.length === 0) return conductOnly;
      const why = idle
        .map(
          (x) =>
            (x.p.controlledSince <= c.filedAt
              ? `${x.p.id} under control at filing (${c.filedAt}), not executed`
              : `${x.p.id} under control since ${x.p.controlledSince}, not executed`) + deductionNote(x.r),
        )
        .join(', ');
      return [
        {
          c,
          since: idle[0]!.since,
          deductedDays: idle[0]!.r.deductedDays,
          propertyIds: idle.map((x) => x.p.id),
          why: conduct ? `${why}; ${conduct}` : why,
        },
      ];
    })
    .sort((a, b) => a.since.localeCompare(b.since) || a.c.number.localeCompare(b.c.number));
  return {
    id: 'LONG_UNEXECUTED',
    title: 'Case unexecuted six months after filing (立案后六个月未执行)',
    met: stuck.length > 0,
    threshold:
      `an implementation case (${countTerminatedThisRound ? 'unclosed or closed as 终本' : 'unclosed'}) whose executable property — ` +
      `under a standing measure of its lineage, not disposed of — was not executed within ${minMonths} months of filing or of coming ` +
      `under control, whichever is later (on or before ${cutoff}; 执行程序若干问题的解释 Art. 10(1)-(2)); a case ordering conduct filed on or ` +
      `before ${cutoff} with no enforcement measure towards it within ${minMonths} months of filing and no action recorded (Art. 10(3)). Partial recovery does not end it; no property found, no ` +
      `stuck case. The recorded periods Art. 13 leaves out (中止, 暂缓, public notice, appraisal, jurisdiction dispute, ` +
      `coordination) that fall inside the six months are not counted: each pushes the end back by its days`,
    observed: stuck.length
      ? `${stuck.length} such cases, the longest since ${stuck[0]!.since}${terminatedNote(stuck.map((x) => x.c))}`
      : 'none',
    evidence: evidence({
      caseNumbers: stuck.map((x) => x.c.number),
      courtCodes: [...new Set(stuck.map((x) => x.c.courtCode))].sort(),
      propertyIds: [...new Set(stuck.flatMap((x) => x.propertyIds))].sort(),
      dates: stuck.map((x) => x.since),
      detail:
        stuck
          .map(
            (x) =>
              `${x.c.number} (filed ${x.c.filedAt}${isTerminatedThisRound(x.c) ? `, 终本 ${x.c.terminatedThisRoundAt}` : ''}): ${x.why}`,
          )
          .join('; ') +
          (spared.length
            ? `${stuck.length ? '; ' : ''}not yet six months once Art. 13's periods are left out: ${spared.sort().join('; ')}`
            : '') || 'none',
    }),
  };
}

/**
 * Properties whose standing measures a court other than the imposing one carries today (the lineage moved, issue 14
 * item 9): the judge sees whose seizures they were and who holds them now.
 */
function carriedOver(d: DebtorFacts): string[] {
  return d.properties.flatMap((p) => {
    const moved = p.measures.filter((m) => standing(m) && m.imposingCourtCode !== undefined && m.imposingCourtCode !== m.courtCode);
    if (moved.length === 0) return [];
    const imposed = [...new Set(moved.map((m) => m.imposingCourtCode!))].sort();
    const carried = [...new Set(moved.map((m) => m.courtCode))].sort();
    return [`${p.id}: measures imposed by ${imposed.join(', ')} are carried by ${carried.join(', ')} (their lineage moved)`];
  });
}

/** One asset on which secured and unsecured creditors compete (issue 15 item 4, ADR 18). */
export interface CompetedAsset {
  propertyId: string;
  /**
   * The courts with a claim on disposing of it: those whose measures stand on it and those where a holder enforces its
   * priority claim (the first-seizing court and the priority creditor's court must agree who sells: 法释〔2016〕6号).
   */
  courtCodes: string[];
  /** The debtor's unsecured cases seizing it, criminal restitution first. */
  criminalCases: string[];
  ordinaryCases: string[];
  detail: string;
}

/** The court of a case number as the debtor's facts know it, else the court its number names (`(2024)川0105执1号`). */
function courtOfCase(d: DebtorFacts, number: string): string | null {
  const known = [...d.unclosedCases, ...(d.terminatedThisRoundCases ?? [])].find((c) => c.number === number);
  return known?.courtCode ?? /^\(\d{4}\)(川\d{0,4})/.exec(number)?.[1] ?? null;
}

/**
 * Assets held under the debtor's measures on which a mortgagee or pledgee competes with criminal-restitution victims or
 * ordinary creditors: the encumbered property under a standing measure of a court executing one of the debtor's
 * unclosed implementation money cases. Their different priorities (after medical costs of personal injury, the secured
 * creditor first, then the victims' restitution, then other civil debts: 刑事裁判涉财产部分执行规定 Art. 13) are why such a
 * debtor's cases need one plan.
 */
export function competedAssets(d: DebtorFacts): CompetedAsset[] {
  const moneyCases = d.unclosedCases.filter((c) => isImplementationCase(c.typeCode) && c.amountDue !== null);
  return d.properties.flatMap((p) => {
    const liens = p.encumbrances ?? [];
    const holders = [...new Set(p.measures.filter(standing).map((m) => m.courtCode))];
    if (liens.length === 0 || holders.length === 0) return [];
    const seizing = moneyCases.filter((c) => holders.includes(c.courtCode));
    const criminalCases = seizing
      .filter((c) => c.category === 'CRIMINAL_RESTITUTION')
      .map((c) => c.number)
      .sort();
    const ordinaryCases = seizing
      .filter((c) => c.category !== 'CRIMINAL_RESTITUTION')
      .map((c) => c.number)
      .sort();
    if (criminalCases.length + ordinaryCases.length === 0) return [];
    const enforcing = liens
      .flatMap((e) => (e.enforcedInCaseNumber ? [courtOfCase(d, e.enforcedInCaseNumber)] : []))
      .filter((c) => c !== null);
    const secured = liens.reduce((n, e) => n + e.securedAmount, 0);
    const detail =
      `${p.id}: ` +
      liens
        .map(
          (e) =>
            `${e.kind === 'MORTGAGE' ? 'mortgage' : 'pledge'} rank ${e.rank} held by ${e.holderName} for ${fenToYuan(e.securedAmount)}` +
            (e.enforcedInCaseNumber ? ` (enforced in ${e.enforcedInCaseNumber})` : ''),
        )
        .join(', ') +
      (p.estimatedValue !== null ? `, securing ${fenToYuan(secured)} of an estimated ${fenToYuan(p.estimatedValue)}` : '') +
      ' competes with ' +
      [
        ...(criminalCases.length ? [`criminal restitution (${criminalCases.join(', ')})`] : []),
        ...(ordinaryCases.length ? [`ordinary creditors (${ordinaryCases.join(', ')})`] : []),
      ].join(' and ');
    return [{ propertyId: p.id, courtCodes: [...new Set([...holders, ...enforcing])].sort(), criminalCases, ordinaryCases, detail }];
  });
}

/**
 * Related cases spread over prefectures, or several courts' measures standing on the same asset, or — with the
 * encumbrances recorded — several courts' claims on one asset secured and unsecured creditors compete for (a court
 * seizing it and a court where its mortgagee enforces).
 */
export function spread(d: DebtorFacts, ctx: RuleContext): RuleResult {
  const { minPrefectures, minSeizingCourts } = (ctx.config ?? RULES_CONFIG).rules.SPREAD;
  const byPrefecture = new Map<string, string[]>();
  // Related cases are implementation cases: a review case is heard, not executed, and relates to no series.
  const related = d.unclosedCases.filter((c) => isImplementationCase(c.typeCode));
  for (const c of related) {
    const court = courtOf(ctx, c.courtCode);
    const key = court ? prefectureKey(court) : c.courtCode;
    byPrefecture.set(key, [...(byPrefecture.get(key) ?? []), c.number]);
  }
  const shared = d.properties
    .map((p) => ({ p, courts: [...new Set(p.measures.filter(standing).map((m) => m.courtCode))].sort() }))
    .filter((x) => x.courts.length >= minSeizingCourts);
  const competed = competedAssets(d);
  const sharedIds = new Set(shared.map((x) => x.p.id));
  // Competed assets whose claims lie in several courts though the measures on them stand in fewer.
  const contested = competed.filter((x) => !sharedIds.has(x.propertyId) && x.courtCodes.length >= minSeizingCourts);
  const prefectures = [...byPrefecture.keys()].sort();
  const byArea = prefectures.length >= minPrefectures;
  // Related cases in other provinces' courts: evidence of a series beyond Sichuan, not counted towards the threshold
  // (the province's rules weigh the cases its courts can act on; docs/rules.md).
  const outside = (d.externalCases ?? []).filter((e) => e.open);
  const outsideProvinces = [...new Set(outside.map((e) => e.province))].sort();
  return {
    id: 'SPREAD',
    title: 'Cases across prefectures or one asset seized by several courts (跨地区关联案件/多家法院查封同一财产)',
    met: byArea || shared.length > 0 || contested.length > 0,
    threshold:
      `unclosed implementation cases in at least ${minPrefectures} prefectures, or measures of at least ${minSeizingCourts} courts standing on one asset, ` +
      `or an encumbered asset secured and unsecured creditors compete for with claims in at least ${minSeizingCourts} courts (seizing, or enforcing the mortgage)`,
    observed:
      `${prefectures.length} prefectures; ${shared.length} assets under several courts' measures` +
      (competed.length
        ? `; ${competed.length} encumbered assets competed for, ${contested.length} more of them claimed in several courts`
        : '') +
      (outside.length > 0 ? `; ${outside.length} open related cases outside Sichuan (${outsideProvinces.join(', ')})` : ''),
    evidence: evidence({
      caseNumbers: byArea ? related.map((c) => c.number).sort() : [],
      courtCodes: [...new Set([...shared.flatMap((x) => x.courts), ...contested.flatMap((x) => x.courtCodes)])].sort(),
      propertyIds: [...shared.map((x) => x.p.id), ...contested.map((x) => x.propertyId)],
      detail: [
        `prefectures: ${prefectures.map((p) => `${p} (${byPrefecture.get(p)!.length})`).join(', ') || 'none'}`,
        ...shared.map((x) => `${x.p.id} held by ${x.courts.join(', ')}`),
        ...contested.map((x) => `${x.propertyId} claimed in ${x.courtCodes.join(', ')}`),
        ...competed.map((x) => x.detail),
        ...carriedOver(d),
        ...(outside.length > 0
          ? [
              `outside Sichuan: ${outside
                .map((e) => e.number)
                .sort()
                .join(', ')} (evidence only; a Sichuan decision does not move them)`,
            ]
          : []),
      ].join('; '),
    }),
  };
}

/** Signs of passive execution: no enforcement action recorded for `minDaysWithoutAction` days on an unclosed case. */
export function passiveExecution(d: DebtorFacts, ctx: RuleContext): RuleResult {
  const { minDaysWithoutAction } = (ctx.config ?? RULES_CONFIG).rules.PASSIVE_EXECUTION;
  const cutoff = addDays(ctx.today, -minDaysWithoutAction);
  // Implementation cases the court holds open: a review case is heard, not executed, and a 终本 case was closed by a
  // ruling (its lack of action is LONG_UNEXECUTED's matter, not a sign of a court sitting on an open case).
  const quiet = d.unclosedCases
    .filter((c) => isImplementationCase(c.typeCode))
    .map((c) => ({ c, since: c.lastActionAt ?? c.filedAt }))
    .filter((x) => x.since <= cutoff)
    .sort((a, b) => a.since.localeCompare(b.since));
  // Complaints (信访) against the open implementation cases are evidence beside the quiet stretch, not a test of their
  // own: a complaint is a party's allegation, and only the recorded actions show what the court did (docs/rules.md).
  const complained = d.unclosedCases
    .filter((c) => isImplementationCase(c.typeCode) && (c.complaints?.length ?? 0) > 0)
    .sort((a, b) => a.number.localeCompare(b.number));
  const complaints = complained.flatMap((c) => c.complaints!);
  const passiveComplaints = complaints.filter(
    (x) => x.kind === 'PASSIVE_EXECUTION' && x.outcome !== 'UNSUBSTANTIATED' && x.outcome !== 'WITHDRAWN',
  );
  return {
    id: 'PASSIVE_EXECUTION',
    title: 'No enforcement action for a long stretch (消极执行迹象)',
    met: quiet.length > 0,
    threshold: `an unclosed implementation case with no enforcement action since ${cutoff} (${minDaysWithoutAction} days)`,
    observed:
      (quiet.length ? `${quiet.length} cases quiet, the longest since ${quiet[0]!.since}` : 'none') +
      (complaints.length
        ? `; ${complaints.length} complaints (信访) on open cases, ${passiveComplaints.length} of passive execution pending or substantiated`
        : ''),
    evidence: evidence({
      caseNumbers: quiet.map((x) => x.c.number),
      courtCodes: [...new Set(quiet.map((x) => x.c.courtCode))].sort(),
      dates: quiet.map((x) => x.since),
      detail:
        [
          ...quiet.map((x) => `${x.c.number}: last action ${x.c.lastActionAt ?? `none since filing on ${x.c.filedAt}`}`),
          ...complained.map(
            (c) => `${c.number}: complaints (信访) ${c.complaints!.map((x) => `${x.receivedAt} ${x.kind} ${x.outcome}`).join(', ')}`,
          ),
        ].join('; ') || 'none',
    }),
  };
}

/**
 * A case beyond one court's capacity: amount or assets far above its level's usual size, or an overloaded court — one
 * above `loadMultipleOfProvincialMedian` × the provincial median of open cases per enforcement officer with at least
 * `minOpenCasesForOverload` open cases. Only the debtor's implementation cases are read: a review case has no amount and
 * is heard, not executed, so its court's load says nothing of the debtor's execution.
 */
export function capacity(d: DebtorFacts, ctx: RuleContext): RuleResult {
  const { usualAmountFen, loadMultipleOfProvincialMedian, minOpenCasesForOverload } = (ctx.config ?? RULES_CONFIG).rules.CAPACITY;
  const median = provincialMedianCasesPerOfficer(ctx.province);
  const executed = d.unclosedCases.filter((c) => isImplementationCase(c.typeCode));
  const large = executed.filter((c) => {
    const court = courtOf(ctx, c.courtCode);
    return court !== undefined && outstanding(c) > usualAmountFen[court.level];
  });
  const held = d.properties.filter((p) => p.undisposedSince !== null && p.measures.some(standing));
  const assetValue = held.reduce((n, p) => n + (p.estimatedValue ?? 0), 0);
  const caseLevels = executed.map((c) => courtOf(ctx, c.courtCode)?.level).filter((l) => l !== undefined);
  const lowestLevel = caseLevels.includes('BASIC') ? 'BASIC' : caseLevels.includes('INTERMEDIATE') ? 'INTERMEDIATE' : 'HIGH';
  const assetsBeyond = caseLevels.length > 0 && assetValue > usualAmountFen[lowestLevel];
  const aboveMedian = [...new Set(executed.map((c) => c.courtCode))]
    .map((code) => courtOf(ctx, code))
    .filter((c): c is CourtFact => c !== undefined && median > 0 && casesPerOfficer(c) > loadMultipleOfProvincialMedian * median)
    .sort((a, b) => casesPerOfficer(b) - casesPerOfficer(a));
  const overloaded = aboveMedian.filter((c) => c.openCaseCount >= minOpenCasesForOverload);
  const tooFew = aboveMedian.filter((c) => c.openCaseCount < minOpenCasesForOverload);
  const details = [
    ...large.map(
      (c) =>
        `${c.number}: outstanding ${fenToYuan(outstanding(c))} yuan above the usual ${fenToYuan(usualAmountFen[courtOf(ctx, c.courtCode)!.level])}`,
    ),
    ...(assetsBeyond
      ? [
          `controlled assets worth ${fenToYuan(assetValue)} yuan above a ${lowestLevel.toLowerCase()} court's usual ${fenToYuan(usualAmountFen[lowestLevel])}`,
        ]
      : []),
    ...overloaded.map(
      (c) => `${c.code}: ${casesPerOfficer(c).toFixed(1)} open cases per enforcement officer, provincial median ${median.toFixed(1)}`,
    ),
    ...tooFew.map(
      (c) =>
        `not counted: ${c.code} at ${casesPerOfficer(c).toFixed(1)} open cases per enforcement officer has only ${c.openCaseCount} open cases (fewer than ${minOpenCasesForOverload})`,
    ),
  ];
  return {
    id: 'CAPACITY',
    title: "Beyond one court's capacity (超出单个法院执行能力)",
    met: large.length > 0 || assetsBeyond || overloaded.length > 0,
    threshold: `outstanding amount or controlled assets above the level's usual size, or a court above ${loadMultipleOfProvincialMedian}× the provincial median of ${median.toFixed(1)} open cases per enforcement officer with at least ${minOpenCasesForOverload} open cases`,
    observed: `${large.length} large cases; assets ${fenToYuan(assetValue)} yuan; ${overloaded.length} overloaded courts`,
    evidence: evidence({
      caseNumbers: large.map((c) => c.number),
      courtCodes: overloaded.map((c) => c.code),
      propertyIds: assetsBeyond ? held.map((p) => p.id) : [],
      detail: details.join('; ') || 'none',
    }),
  };
}

export const RULES = [manyCourts, idleProperty, longUnexecuted, spread, passiveExecution, capacity] as const;

export function evaluateRules(d: DebtorFacts, ctx: RuleContext): RuleResult[] {
  return RULES.map((rule) => rule(d, ctx));
}
