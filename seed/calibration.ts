import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { COORDINATION_DB, databaseFile } from '../lib/dataFiles';
import { RULE_IDS } from '../domain/rules/config';
import { ruleBit } from '../domain/rules/urgency';
import { PREFECTURES } from '../domain/sichuan';
import { SHORT_PLACE, platePrefixOf } from './names';

/**
 * The generated province's calibration (issue 15, items 8–12): what a real Sichuan looks like, measured on the
 * databases a seed wrote. bench/province.ts prints the figures, test/unit/province-calibration.test.ts holds each to
 * its range, bench/province.md gives each target's source. Read-only SQL over the generated SQLite files: a
 * measurement of the generator's output, not a product read path.
 */

/** The province size the roster is drawn for: per-officer loads are real at this many cases (bench/province.md). */
export const REFERENCE_CASES = 1_000_000;

export interface ProvinceFigures {
  cases: number;
  // item 8: debtors with ten or more cases, counting the cases as filed (not the continuations transfers opened)
  serialDebtors: number;
  serialMedianCourts: number;
  serialMedianPrefectures: number;
  serialMaxPrefectures: number;
  largestSeries: { cases: number; courts: number; prefectures: number };
  // item 9
  chengduShareOfCases: number;
  chengduShareOfNotarized: number;
  enforcementStaff: number;
  medianOpenPerOfficer: number;
  /** The median load projected to REFERENCE_CASES (staff do not scale with the province, cases do). */
  medianOpenPerOfficerAtReference: number;
  p90OverP10OpenPerOfficer: number;
  chengduLoadOverProvincialMedian: number;
  maxLeaderShare: number;
  smallestCourtStaff: number;
  intermediateSmallerThanBasic: string[];
  // item 10
  reviewCasesWithAmount: number;
  reviewCasesWithMeasures: number;
  restitutionCases: number;
  restitutionApplicantsPerCase: number;
  restitutionNaturalApplicantShare: number;
  restitutionBankApplicants: number;
  /** Deposits with a step other than a deduction (划拨): a reference price or an auction. */
  depositsWithAuctionSteps: number;
  /** The share of frozen deposits deducted (a DEDUCTION step). */
  depositsDeductedShare: number;
  /** Properties of another kind with a deduction step. */
  deductionsOfOtherKinds: number;
  vehiclesWithForeignPlate: number;
  truncatedCompanyNames: number;
  // items 1-7: the new facts (seed/caseFacts.ts)
  /** Complaints (信访): the share of implementation cases with one, and of those open more than a year. */
  complaintShareOfCases: number;
  complaintShareOfCasesOpenAYear: number;
  passiveExecutionComplaintShare: number;
  /** Encumbrances: the share of real estate mortgaged, of equity pledged, and of encumbered property with a second rank. */
  realEstateMortgagedShare: number;
  equityPledgedShare: number;
  secondRankShare: number;
  depositsEncumbered: number;
  /** Related cases in other provinces: how many, and the share of identified companies with five cases or more that have one. */
  externalCases: number;
  serialCompaniesWithExternalShare: number;
  /** Conduct cases: the share with a progress event; events on a case that records no action (must be none). */
  conductCasesWithProgressShare: number;
  conductEventsWithoutAction: number;
  /** Art. 13 periods: the share of implementation cases with one, by kind, and periods that break the import's rules. */
  excludedPeriodShareOfCases: number;
  excludedPeriodsByKind: Record<string, number>;
  excludedPeriodsOutOfRule: number;
  // item 11
  transferredCases: number;
  transferredShareOfCases: number;
  modeShareOfTransferredCases: Record<string, number>;
  /** Each mode's share of the money recovered after the decisions (reported: collaborative 63%, elevated 10%, centralized 7%). */
  modeShareOfRecoveredAfter: Record<string, number>;
  /** Yuan recovered after the decisions, per transferred case. */
  recoveredAfterPerCase: number;
  substantiveProgressShare: number;
  chengduNotarizedMovedOut: number;
  // item 12 (needs the assessment index: null without coordination.db)
  candidateShareOfDebtorsWithOpenCases: number | null;
  /**
   * The same share counting only debtors that meet a rule other than CAPACITY: in a small province each court has a
   * handful of open cases against a real-size roster, so one case more puts a court "far above" the median and
   * CAPACITY's court-load arm flags every debtor there (bench/province.md).
   */
  candidateShareWithoutCapacity: number | null;
  candidatesMeetingAllRulesInTopTen: number | null;
  distinctUrgenciesInTopTen: number | null;
}

const median = (xs: number[]): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : 0;
};
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

export function measureProvince(dataDir: string): ProvinceFigures {
  const registry = new Database(databaseFile(dataDir, 'case-registry'), { readonly: true });
  const personnel = new Database(databaseFile(dataDir, 'personnel'), { readonly: true });
  registry.exec(`attach database '${databaseFile(dataDir, 'property-control').replace(/'/g, "''")}' as pc`);
  const all = <T>(sql: string, ...params: unknown[]) => registry.prepare(sql).all(...params) as T[];
  const one = <T>(sql: string, ...params: unknown[]) => registry.prepare(sql).get(...params) as T;
  try {
    const cases = one<{ n: number }>('select count(*) n from cases').n;
    const prefectureOf = `coalesce(k.prefecture, k.code)`;

    // ---- 8: serial debtors -------------------------------------------------------------------
    const series = all<{ n: number; courts: number; prefectures: number }>(
      `select count(*) n, count(distinct c.court_code) courts, count(distinct ${prefectureOf}) prefectures
         from case_parties p join cases c on c.number = p.case_number join courts k on k.code = c.court_code
        where p.role = 'DEBTOR' and p.position = 0 and p.person_id is not null and c.transferred_from is null
        group by p.person_id having count(*) >= 10`,
    );
    const largest = series.reduce((a, b) => (b.n > a.n ? b : a), { n: 0, courts: 0, prefectures: 0 });

    // ---- 9: load and staff -------------------------------------------------------------------
    const chengdu = one<{ share: number; notarized: number }>(
      `select avg(k.prefecture = '川01') share,
              sum(k.prefecture = '川01' and c.category = 'NOTARIZED_DEBT') * 1.0 / max(1, sum(c.category = 'NOTARIZED_DEBT')) notarized
         from cases c join courts k on k.code = c.court_code`,
    );
    const open = new Map(
      all<{ code: string; n: number }>(`select executing_court code, count(*) n from cases where status != 'CLOSED' group by 1`).map(
        (r) => [r.code, r.n],
      ),
    );
    const staffRows = personnel
      .prepare(
        `select court_code code, sum(enforcement) staff, count(*) everyone,
                sum(post in ('PRESIDENT','VICE_PRESIDENT','BUREAU_CHIEF','DEPUTY_BUREAU_CHIEF','TRIBUNAL_CHIEF','DEPUTY_TRIBUNAL_CHIEF')) leaders
           from officers where active = 1 group by court_code`,
      )
      .all() as { code: string; staff: number; everyone: number; leaders: number }[];
    const courts = new Map(
      all<{ code: string; level: string; prefecture: string | null }>('select code, level, prefecture from courts').map((c) => [c.code, c]),
    );
    const loads = staffRows
      .filter((r) => (open.get(r.code) ?? 0) > 0)
      .map((r) => ({ ...r, load: open.get(r.code)! / Math.max(1, r.staff) }));
    const provincialMedian = median(loads.map((l) => l.load));
    const chengduMedian = median(loads.filter((l) => courts.get(l.code)?.prefecture === '川01').map((l) => l.load));
    const staffOf = new Map(staffRows.map((r) => [r.code, r.everyone]));
    const intermediateSmallerThanBasic = PREFECTURES.filter((p) => {
      const basics = [...courts.values()]
        .filter((c) => c.prefecture === p.code && c.level === 'BASIC')
        .map((c) => staffOf.get(c.code) ?? 0);
      return (staffOf.get(p.code) ?? 0) < Math.max(0, ...basics);
    }).map((p) => p.code);

    // ---- 10: case mix ------------------------------------------------------------------------
    const review = `('执异','执复','执监','执协')`;
    const reviewWithAmount = one<{ n: number }>(
      `select count(*) n from cases where type_code in ${review} and (amount_due is not null or amount_recovered > 0)`,
    ).n;
    const reviewWithMeasures = one<{ n: number }>(
      `select count(*) n from pc.measures m join cases c on c.number = m.case_number where c.type_code in ${review}`,
    ).n;
    const restitution = one<{ cases: number; applicants: number; naturals: number; banks: number }>(
      `select count(distinct c.number) cases, count(p.case_number) applicants, sum(p.kind = 'NATURAL_PERSON') naturals,
              sum(p.name like '%银行%' or p.name like '%资产管理%') banks
         from cases c left join case_parties p on p.case_number = c.number and p.role = 'APPLICANT'
        where c.category = 'CRIMINAL_RESTITUTION'`,
    );
    const deposits = one<{ auctioned: number; deducted: number; frozen: number; otherDeducted: number }>(
      `select (select count(distinct s.property_id) from pc.disposal_steps s join pc.properties p on p.id = s.property_id
                where p.kind = 'BANK_DEPOSIT' and s.step != 'DEDUCTION') auctioned,
              (select count(distinct s.property_id) from pc.disposal_steps s join pc.properties p on p.id = s.property_id
                where p.kind = 'BANK_DEPOSIT' and s.step = 'DEDUCTION') deducted,
              (select count(*) from pc.properties p where p.kind = 'BANK_DEPOSIT'
                  and exists (select 1 from pc.measures m where m.property_id = p.id)) frozen,
              (select count(distinct s.property_id) from pc.disposal_steps s join pc.properties p on p.id = s.property_id
                where p.kind != 'BANK_DEPOSIT' and s.step = 'DEDUCTION') otherDeducted`,
    );
    const vehicles = all<{ description: string; division: string | null }>(
      `select p.description, o.division_code division from pc.properties p left join persons o on o.id = p.owner_id where p.kind = 'VEHICLE'`,
    );
    const foreignPlates = vehicles.filter((v) => v.division !== null && !v.description.startsWith(platePrefixOf(v.division))).length;
    // A place name cut short: the first two characters of a longer prefecture name without the rest (攀枝 for 攀枝花).
    const cut = PREFECTURES.map((p) => p.name.replace(...SHORT_PLACE)).filter((n) => n.length > 2);
    const names = all<{ name: string }>(`select name from persons where kind = 'LEGAL_PERSON'`);
    const truncated = names.filter((r) => cut.some((n) => r.name.startsWith(n.slice(0, 2)) && !r.name.startsWith(n))).length;

    // ---- items 1-7: the new facts ------------------------------------------------------------------
    const implementation = `('执','执恢','执保')`;
    const asOfProxy = one<{ d: string }>('select max(filed_at) d from cases').d;
    const complaints = one<{ cases: number; withComplaint: number; old: number; oldWith: number }>(
      `select count(*) cases, sum(exists (select 1 from complaints x where x.case_number = c.number)) withComplaint,
              sum(c.status != 'CLOSED' and julianday(?) - julianday(c.filed_at) > 365) old,
              sum(c.status != 'CLOSED' and julianday(?) - julianday(c.filed_at) > 365
                  and exists (select 1 from complaints x where x.case_number = c.number)) oldWith
         from cases c where c.type_code in ${implementation}`,
      asOfProxy,
      asOfProxy,
    );
    const passive = one<{ share: number | null }>(`select avg(kind = 'PASSIVE_EXECUTION') share from complaints`).share ?? 0;
    const liens = one<{ realEstate: number; equity: number; second: number; deposits: number }>(
      `select avg(p.kind = 'REAL_ESTATE' and exists (select 1 from pc.encumbrances e where e.property_id = p.id and e.kind = 'MORTGAGE'))
                / max(1e-9, avg(p.kind = 'REAL_ESTATE')) realEstate,
              avg(p.kind = 'EQUITY' and exists (select 1 from pc.encumbrances e where e.property_id = p.id and e.kind = 'PLEDGE'))
                / max(1e-9, avg(p.kind = 'EQUITY')) equity,
              (select count(*) from pc.encumbrances where rank = 2) * 1.0 / max(1, (select count(*) from pc.encumbrances where rank = 1)) second,
              (select count(*) from pc.encumbrances e join pc.properties q on q.id = e.property_id where q.kind = 'BANK_DEPOSIT') deposits
         from pc.properties p`,
    );
    const external = one<{ n: number; serial: number; serialWith: number }>(
      `select (select count(*) from external_cases) n, count(*) serial,
              sum(exists (select 1 from external_cases x where x.debtor_id = s.id)) serialWith
         from (select p.person_id id from case_parties p join persons o on o.id = p.person_id
                where p.role = 'DEBTOR' and o.kind = 'LEGAL_PERSON' group by p.person_id having count(distinct p.case_number) >= 5) s`,
    );
    const conduct = one<{ share: number | null; orphans: number }>(
      `select avg(exists (select 1 from conduct_events e where e.case_number = c.number)) share,
              (select count(*) from conduct_events e join cases k on k.number = e.case_number where k.last_action_at is null) orphans
         from cases c where c.conduct_ordered is not null`,
    );
    const periodShare = one<{ share: number }>(
      `select avg(exists (select 1 from case_excluded_periods x where x.case_number = c.number)) share from cases c where c.type_code in ${implementation}`,
    ).share;
    const periodsByKind = Object.fromEntries(
      all<{ kind: string; n: number }>('select kind, count(*) n from case_excluded_periods group by kind order by kind').map((r) => [
        r.kind,
        r.n,
      ]),
    );
    // The import's rules for a period (docs/import.md): within the case's life, ends not before it starts, no overlap.
    const periodsOutOfRule = one<{ n: number }>(
      `select count(*) n from case_excluded_periods p join cases c on c.number = p.case_number
        where p.starts_at < c.filed_at or (p.ends_at is not null and p.ends_at < p.starts_at)
           or (c.closed_at is not null and (p.ends_at is null or p.ends_at > c.closed_at))
           or c.type_code not in ${implementation}
           or exists (select 1 from case_excluded_periods q where q.case_number = p.case_number and q.starts_at != p.starts_at
                       and (p.ends_at is null or q.starts_at <= p.ends_at) and (q.ends_at is null or p.starts_at <= q.ends_at))`,
    ).n;

    // ---- 11: transfers -------------------------------------------------------------------------
    const transferred = all<{ mode: string; n: number; progressed: number; recoveredAfter: number }>(
      `select t.mode, count(*) n, sum(coalesce(n.amount_recovered, f.amount_recovered) - tc.recovered_before) recoveredAfter,
              sum(coalesce(n.amount_recovered, f.amount_recovered) > tc.recovered_before
                  or coalesce(n.settled_at, f.settled_at) >= t.decided_at
                  or (coalesce(n.closure, f.closure) = 'FULLY_EXECUTED' and coalesce(n.closed_at, f.closed_at) >= t.decided_at)) progressed
         from transfer_cases tc join transfers t on t.id = tc.transfer_id join cases f on f.number = tc.from_case
         left join cases n on n.number = tc.to_case
        group by t.mode`,
    );
    const transferredCases = transferred.reduce((n, r) => n + r.n, 0);
    const movedOut = one<{ n: number }>(
      `select count(*) n from transfer_cases tc join transfers t on t.id = tc.transfer_id join cases f on f.number = tc.from_case
         join courts s on s.code = f.court_code join courts r on r.code = t.receiving_court
        where t.mode = 'DIRECTED' and f.category = 'NOTARIZED_DEBT' and s.prefecture = '川01' and coalesce(r.prefecture, '') != '川01'`,
    ).n;

    // ---- 12: candidates --------------------------------------------------------------------------
    let candidateShare: number | null = null;
    let candidateShareNoCapacity: number | null = null;
    let allRulesTopTen: number | null = null;
    let distinctTopTen: number | null = null;
    const coordination = databaseFile(dataDir, COORDINATION_DB);
    if (existsSync(coordination)) {
      const index = new Database(coordination, { readonly: true });
      try {
        // "Get a recommended intervention": a debtor with open cases the assessment recommends a transfer mode for.
        const candidates = (
          index
            .prepare(
              `select count(*) n from assessment_index where recommended_mode is not null and json_extract(snapshot, '$.summary.unclosedCaseCount') > 0`,
            )
            .get() as { n: number }
        ).n;
        const withoutCapacity = (
          index
            .prepare(
              `select count(*) n from assessment_index where recommended_mode is not null and json_extract(snapshot, '$.summary.unclosedCaseCount') > 0
                 and (rule_mask & ~?) != 0`,
            )
            .get(ruleBit('CAPACITY')) as { n: number }
        ).n;
        const withOpen = one<{ n: number }>(
          `select count(distinct p.person_id) n from case_parties p join cases c on c.number = p.case_number
            where p.role = 'DEBTOR' and p.person_id is not null and c.status != 'CLOSED'`,
        ).n;
        const top = index.prepare('select urgency, rule_mask from assessment_index order by urgency desc, debtor_id limit 10').all() as {
          urgency: number;
          rule_mask: number;
        }[];
        candidateShare = candidates / Math.max(1, withOpen);
        candidateShareNoCapacity = withoutCapacity / Math.max(1, withOpen);
        allRulesTopTen = top.filter((t) => t.rule_mask === (1 << RULE_IDS.length) - 1).length;
        distinctTopTen = new Set(top.map((t) => t.urgency)).size;
      } finally {
        index.close();
      }
    }

    return {
      cases,
      serialDebtors: series.length,
      serialMedianCourts: median(series.map((s) => s.courts)),
      serialMedianPrefectures: median(series.map((s) => s.prefectures)),
      serialMaxPrefectures: Math.max(0, ...series.map((s) => s.prefectures)),
      largestSeries: { cases: largest.n, courts: largest.courts, prefectures: largest.prefectures },
      chengduShareOfCases: round(chengdu.share),
      chengduShareOfNotarized: round(chengdu.notarized),
      enforcementStaff: staffRows.reduce((n, r) => n + r.staff, 0),
      medianOpenPerOfficer: round(provincialMedian, 2),
      medianOpenPerOfficerAtReference: round((provincialMedian * REFERENCE_CASES) / cases, 1),
      p90OverP10OpenPerOfficer: round(
        quantile(
          loads.map((l) => l.load),
          0.9,
        ) /
          Math.max(
            1e-9,
            quantile(
              loads.map((l) => l.load),
              0.1,
            ),
          ),
        2,
      ),
      chengduLoadOverProvincialMedian: round(chengduMedian / Math.max(1e-9, provincialMedian), 2),
      maxLeaderShare: round(Math.max(0, ...staffRows.map((r) => r.leaders / r.everyone))),
      smallestCourtStaff: Math.min(...staffRows.map((r) => r.everyone)),
      intermediateSmallerThanBasic,
      reviewCasesWithAmount: reviewWithAmount,
      reviewCasesWithMeasures: reviewWithMeasures,
      restitutionCases: restitution.cases,
      restitutionApplicantsPerCase: round(restitution.applicants / Math.max(1, restitution.cases), 1),
      restitutionNaturalApplicantShare: round(restitution.naturals / Math.max(1, restitution.applicants)),
      restitutionBankApplicants: restitution.banks ?? 0,
      depositsWithAuctionSteps: deposits.auctioned,
      depositsDeductedShare: round(deposits.deducted / Math.max(1, deposits.frozen)),
      deductionsOfOtherKinds: deposits.otherDeducted,
      vehiclesWithForeignPlate: foreignPlates,
      truncatedCompanyNames: truncated,
      complaintShareOfCases: round(complaints.withComplaint / Math.max(1, complaints.cases)),
      complaintShareOfCasesOpenAYear: round(complaints.oldWith / Math.max(1, complaints.old)),
      passiveExecutionComplaintShare: round(passive),
      realEstateMortgagedShare: round(liens.realEstate),
      equityPledgedShare: round(liens.equity),
      secondRankShare: round(liens.second),
      depositsEncumbered: liens.deposits,
      externalCases: external.n,
      serialCompaniesWithExternalShare: round(external.serialWith / Math.max(1, external.serial)),
      conductCasesWithProgressShare: round(conduct.share ?? 0),
      conductEventsWithoutAction: conduct.orphans,
      excludedPeriodShareOfCases: round(periodShare, 4),
      excludedPeriodsByKind: periodsByKind,
      excludedPeriodsOutOfRule: periodsOutOfRule,
      transferredCases,
      transferredShareOfCases: round(transferredCases / cases, 4),
      modeShareOfTransferredCases: Object.fromEntries(transferred.map((r) => [r.mode, round(r.n / Math.max(1, transferredCases))])),
      modeShareOfRecoveredAfter: Object.fromEntries(
        transferred.map((r) => [
          r.mode,
          round(
            r.recoveredAfter /
              Math.max(
                1,
                transferred.reduce((n, x) => n + x.recoveredAfter, 0),
              ),
          ),
        ]),
      ),
      recoveredAfterPerCase: Math.round(transferred.reduce((n, r) => n + r.recoveredAfter, 0) / 100 / Math.max(1, transferredCases)),
      substantiveProgressShare: round(transferred.reduce((n, r) => n + r.progressed, 0) / Math.max(1, transferredCases)),
      chengduNotarizedMovedOut: movedOut,
      candidateShareOfDebtorsWithOpenCases: candidateShare === null ? null : round(candidateShare),
      candidateShareWithoutCapacity: candidateShareNoCapacity === null ? null : round(candidateShareNoCapacity),
      candidatesMeetingAllRulesInTopTen: allRulesTopTen,
      distinctUrgenciesInTopTen: distinctTopTen,
    };
  } finally {
    registry.close();
    personnel.close();
  }
}
