import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { formatCaseNumber, type CaseCategory, type CaseTypeCode } from '../domain/caseNumber';
import { isImplementationCase, movesByTransfer } from '../domain/caseKinds';
import { addDays, addMonths, daysBetween } from '../domain/dates';
import { creditCodeCheckChar, orgCodeCheckChar, residentIdCheckChar } from '../domain/identifiers';
import { MAX_PERIOD_MONTHS, MEASURE_KIND_FOR, type PropertyKind } from '../domain/measures';
import { normaliseName } from '../domain/names';
import { isLeaderPost, type Post } from '../domain/posts';
import {
  COURTS,
  FUNCTIONAL_AREA_COURT_CODES,
  PREFECTURES,
  basicCourtOfDivision,
  prefectureOfDivision,
  type CourtInfo,
} from '../domain/sichuan';
import type { TransferMode } from '../domain/transferModes';
import { COORDINATION_DB, SYSTEMS, databaseFile, type SystemName } from '../lib/dataFiles';
import type { DisposalStage } from '../domain/disposal';
import { complaintsFor, conductEventsFor, encumbrancesFor, ExcludedPeriods, externalCasesFor, FACT_SHARES } from './caseFacts';
import { WRITE_RECORDS_MIGRATIONS, type Migration } from '../lib/migrations';
import { finishBulkLoad, openForBulkLoad, SqliteStatements } from '../lib/sqlite';
import type { CaseRegistryDatabase, CaseRow, Closure, SupervisionOrderRow } from '../subgraphs/case-registry/sources/ddl';
import { CASE_REGISTRY_MIGRATIONS, TRANSFER_WORKFLOW_MIGRATIONS } from '../subgraphs/case-registry/sources/migrations';
import { caseRegistryWriters, courtRow, transferWorkflowWriters } from '../subgraphs/case-registry/sources/tables';
import type { EmbeddedWorkflowDatabase } from '../subgraphs/case-registry/sources/workflowDdl';
import type { PersonnelDatabase } from '../subgraphs/personnel/sources/ddl';
import { PERSONNEL_MIGRATIONS } from '../subgraphs/personnel/sources/migrations';
import { personnelWriters } from '../subgraphs/personnel/sources/tables';
import type { MeasureRow, PropertyControlDatabase } from '../subgraphs/property-control/sources/ddl';
import { PROPERTY_CONTROL_MIGRATIONS } from '../subgraphs/property-control/sources/migrations';
import { propertyControlWriters } from '../subgraphs/property-control/sources/tables';
import {
  CONDUCT_ORDERS,
  LENDING_BANKS,
  ASSET_MANAGERS,
  companyName,
  depositDescription,
  equityDescription,
  intellectualPropertyDescription,
  landDescription,
  movableDescription,
  nameVariant,
  personName,
  realEstateDescription,
  receivableDescription,
  vehicleDescription,
  SHORT_PLACE,
  platePrefixOf,
} from './names';
import { EvenSpread, Random, WeightedTable } from './random';
import { GENERATOR_APPLICATION_ID, inspectDataDir, SeedRefused, writeMarker } from './dataDir';

/**
 * The deterministic province generator: from (seed, cases, asOf) it writes the three systems' databases with a
 * realistic Sichuan — real courts, staffed rosters, heavy-tailed debtors, real-format case numbers, assets over
 * the province and control measures that follow the legal period rules. No clock and no Math.random.
 */
export interface SeedOptions {
  dataDir: string;
  cases: number;
  seed: number;
  /** The day the province is generated as of (YYYY-MM-DD): nothing is filed, imposed or closed after it. */
  asOf: string;
  onProgress?: (done: number, total: number, phase: string) => void;
  /**
   * Overwrite a data directory holding databases the generator did not write (`npm run seed -- --force`). Without it
   * the generator writes only a fresh directory or one it generated (seed/dataDir.ts), and refuses any other.
   */
  force?: boolean;
}

export interface SeedSummary {
  cases: number;
  persons: number;
  properties: number;
  measures: number;
  officers: number;
  courts: number;
  elapsedMs: number;
}

export function isSeeded(dataDir: string): boolean {
  return SYSTEMS.every((s) => existsSync(databaseFile(dataDir, s)));
}

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const FIRST_YEAR = 2019;

const TYPE_CODES = WeightedTable.of<CaseTypeCode>([
  ['执', 80],
  ['执恢', 8],
  ['执保', 7],
  ['执异', 2],
  ['执复', 1],
  ['执监', 1],
  ['执协', 1],
]);
/**
 * Case categories by where a case is filed: notarised debts (赋强公证) are lenders' claims notarised and enforced
 * where the lenders sit, so Chengdu's courts hold most of them (bench/province.md, item 9).
 */
const CATEGORIES_CHENGDU = WeightedTable.of<CaseCategory>([
  ['CIVIL', 38],
  ['COMMERCIAL', 30],
  ['NOTARIZED_DEBT', 22],
  ['ARBITRATION', 5],
  ['ADMINISTRATIVE', 3],
  ['CRIMINAL_RESTITUTION', 2],
]);
const CATEGORIES_ELSEWHERE = WeightedTable.of<CaseCategory>([
  ['CIVIL', 53],
  ['COMMERCIAL', 30],
  ['NOTARIZED_DEBT', 2],
  ['ARBITRATION', 4],
  ['ADMINISTRATIVE', 5],
  ['CRIMINAL_RESTITUTION', 2],
]);
/** The review types (执行审查类): no amount of their own, no control measures (domain/caseKinds.ts). */
const REVIEW_TYPES: ReadonlySet<CaseTypeCode> = new Set<CaseTypeCode>(['执异', '执复', '执监', '执协']);
/** 成都's central districts (锦江, 青羊, 金牛, 武侯, 成华): the province's heaviest filing. */
const CHENGDU_CORE = new Set(['川0104', '川0105', '川0106', '川0107', '川0108']);
const CLOSURES = WeightedTable.of<Closure>([
  ['FULLY_EXECUTED', 35],
  ['TERMINATED_THIS_ROUND', 45],
  ['TERMINATED', 6],
  ['NOT_ENFORCED', 3],
  ['WITHDRAWN', 8],
  ['REJECTED', 3],
]);
const LEGAL_KINDS = WeightedTable.of<PropertyKind>([
  ['REAL_ESTATE', 25],
  ['LAND_USE_RIGHT', 8],
  ['VEHICLE', 12],
  ['MOVABLE', 10],
  ['BANK_DEPOSIT', 25],
  ['EQUITY', 10],
  ['RECEIVABLE', 7],
  ['INTELLECTUAL_PROPERTY', 3],
]);
const NATURAL_KINDS = WeightedTable.of<PropertyKind>([
  ['REAL_ESTATE', 35],
  ['VEHICLE', 25],
  ['BANK_DEPOSIT', 35],
  ['EQUITY', 5],
]);
/** Median estimated value per kind, in yuan. */
const MEDIAN_VALUE: Record<PropertyKind, number> = {
  REAL_ESTATE: 1_200_000,
  LAND_USE_RIGHT: 8_000_000,
  VEHICLE: 120_000,
  MOVABLE: 300_000,
  BANK_DEPOSIT: 40_000,
  EQUITY: 2_000_000,
  RECEIVABLE: 600_000,
  INTELLECTUAL_PROPERTY: 500_000,
};
/** Division codes outside Sichuan where out-of-province parties and assets sit. */
const HIGH_COURT = '川';
const HOLD_REASONS = ['案外人异议审查中', '涉刑事案件待查明', '权属争议诉讼中', '申请执行人同意暂缓处置', '破产申请审查中'];
const OUTSIDE = ['500103', '500112', '530102', '520102', '610113', '440305', '310115', '110105', '420106', '330106'];
const OUTSIDE_PREFIX: Record<string, string> = {
  '50': '重庆',
  '53': '云南',
  '52': '贵州',
  '61': '陕西',
  '44': '深圳市',
  '31': '上海',
  '11': '北京',
  '42': '武汉',
  '33': '杭州',
};

interface Person {
  id: string;
  kind: 'LEGAL_PERSON' | 'NATURAL_PERSON';
  name: string;
  division: string;
  outside: boolean;
}

interface CaseDraft {
  debtor: number; // index into debtors
  court: string;
  year: number;
  type: CaseTypeCode;
  filedAt: string;
  number: string;
  /** For a case opened by a transfer: the draft it continues, and the transfer. */
  origin?: number;
  transfer?: number;
  category: CaseCategory;
}

interface TransferDraft {
  id: string;
  mode: TransferMode;
  kind: TransferKind;
  decidingCourt: string;
  receivingCourt: string | null;
  decidedAt: string;
  deadline: string;
  supervisorId: string | null;
  reasons: string;
  note: string;
  /**
   * Draft indexes of the cases decided on, and of the cases opened for them (null when not moved); `progress` whether
   * the case carrying the matter on makes substantive progress after the decision.
   */
  cases: { from: number; to: number | null; progress: boolean }[];
}

/**
 * Transfer histories in the proportions Sichuan reported for 2023 to 2025-09 (bench/province.md, item 11): 33,488
 * cases in cross execution, of which elevated 2,286, collaborative 6,384, centralized 1,624 and 8,289 notarised-debt
 * cases moved out of 成都 by rebalancing; the rest directed execution and deadline orders (split 2:1, an assumption).
 * Shares are of the cases the decisions cover; `TRANSFERRED_SHARE` of the province's cases are covered.
 */
type TransferKind = TransferMode | 'REBALANCE';
const TRANSFER_KINDS: readonly [TransferKind, number][] = [
  ['REBALANCE', 8_289 / 33_488],
  ['COLLABORATIVE', 6_384 / 33_488],
  ['ELEVATED', 2_286 / 33_488],
  ['CENTRALIZED', 1_624 / 33_488],
  ['DIRECTED', ((33_488 - 8_289 - 6_384 - 2_286 - 1_624) * 2) / 3 / 33_488],
  ['DEADLINE_ORDER', (33_488 - 8_289 - 6_384 - 2_286 - 1_624) / 3 / 33_488],
];
const TRANSFERRED_SHARE = 0.017;
/** The reported share of transferred cases with substantive progress: 19,287 of 33,488. */
const PROGRESS_SHARE = 19_287 / 33_488;
/**
 * Median amount due (yuan) of a case a higher court decides on, by kind, so that what is recovered after the decisions
 * follows the reported figures: about 43.7万 per elevated case, 98.7万 per collaborative, 45.4万 per centralized and
 * 8.5万 for the rest (about a quarter of a lognormal amount's mean is recovered after a decision here).
 */
const DECIDED_MEDIAN_YUAN: Record<TransferKind, number> = {
  ELEVATED: 750_000,
  COLLABORATIVE: 1_700_000,
  CENTRALIZED: 780_000,
  DIRECTED: 150_000,
  DEADLINE_ORDER: 150_000,
  REBALANCE: 150_000,
};
/** Prefectures next to 成都 that take its notarised-debt cases when it is rebalanced. */
const REBALANCE_TO = ['川06', '川14', '川20', '川09', '川18', '川07', '川10'];
const REASONS: Record<TransferKind, string> = {
  DIRECTED: 'LONG_UNEXECUTED,PASSIVE_EXECUTION',
  CENTRALIZED: 'MANY_COURTS,SPREAD',
  ELEVATED: 'CAPACITY,IDLE_PROPERTY',
  DEADLINE_ORDER: 'LONG_UNEXECUTED',
  COLLABORATIVE: 'SPREAD',
  REBALANCE: 'CAPACITY',
};

export async function generateProvince(opts: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const root = new Random(opts.seed, 'province');
  const asOf = opts.asOf;
  const asOfYear = Number(asOf.slice(0, 4));
  const progress = opts.onProgress ?? (() => {});
  const state = inspectDataDir(opts.dataDir);
  if (state.kind === 'foreign' && !opts.force) throw new SeedRefused(opts.dataDir, state.files);
  mkdirSync(opts.dataDir, { recursive: true });

  const tmp = (s: SystemName) => `${databaseFile(opts.dataDir, s)}.building-${process.pid}`;
  const open = (s: SystemName, migrations: readonly Migration[]) => {
    rmSync(tmp(s), { force: true });
    return openForBulkLoad(tmp(s), migrations);
  };
  // The schema steps each system's store applies when it opens (lib/migrations.ts); the transfer workflow's tables and
  // the write bookkeeping sit in the registry's file in the embedded default (workflowSqlite.ts).
  const schemas = {
    registry: [...CASE_REGISTRY_MIGRATIONS, ...TRANSFER_WORKFLOW_MIGRATIONS, ...WRITE_RECORDS_MIGRATIONS],
    property: [...PROPERTY_CONTROL_MIGRATIONS, ...WRITE_RECORDS_MIGRATIONS],
    personnel: PERSONNEL_MIGRATIONS,
  };
  const registry = open('case-registry', schemas.registry);
  const property = open('property-control', schemas.property);
  const personnel = open('personnel', schemas.personnel);
  const dbs = [registry, property, personnel];

  try {
    // ---- courts and their rosters -------------------------------------------------------------
    // The functional-area courts (docs/courts.md) are seeded but get no generated roster or cases (an empty, staffed
    // court would draw every rebalancing plan of 成都 to itself).
    const generatedCourts = COURTS.filter((c) => !FUNCTIONAL_AREA_COURT_CODES.has(c.code));
    const basic = generatedCourts.filter((c) => c.level === 'BASIC');
    const rngCourts = root.fork('courts');
    // Filing weight: 成都 files most (its central districts most of all), the Tibetan and Yi areas least; each court
    // a lognormal share around its base.
    const weight = new Map<string, number>();
    const pressure = new Map<string, number>();
    for (const c of generatedCourts) {
      const base =
        c.level === 'HIGH'
          ? 0.05
          : c.level === 'INTERMEDIATE'
            ? 1.2
            : c.special
              ? 0.3
              : CHENGDU_CORE.has(c.code)
                ? 5
                : c.prefecture === '川01'
                  ? 3.2
                  : ['川32', '川33', '川34'].includes(c.prefecture ?? '')
                    ? 0.35
                    : 1;
      weight.set(c.code, base * rngCourts.lognormal(1, 0.25));
      // A few courts are understaffed for what they file: the load rebalancing (调案) has to even out.
      pressure.set(c.code, rngCourts.chance(0.04) ? rngCourts.real(1.6, 2.0) : rngCourts.real(0.94, 1.06));
    }

    const registryRows = caseRegistryWriters(new SqliteStatements<CaseRegistryDatabase>(registry));
    const workflowRows = transferWorkflowWriters(new SqliteStatements<EmbeddedWorkflowDatabase>(registry));
    const propertyRows = propertyControlWriters(new SqliteStatements<PropertyControlDatabase>(property));
    const personnelRows = personnelWriters(new SqliteStatements<PersonnelDatabase>(personnel));
    registry.transaction(() => {
      for (const c of COURTS) registryRows.court(courtRow(c));
    })();

    // Enforcement staff by court, independent of how many cases are generated: a county court's enforcement bureau
    // has about a dozen people, more where more is filed (staff grow slower than filings, so busy courts carry more
    // per officer), never fewer than 9; an intermediate court is never smaller than a basic court of its city.
    const enforcementStaff = new Map<string, number>();
    for (const c of generatedCourts) {
      if (c.level !== 'BASIC') continue;
      const size = c.special ? 9 : (11 * Math.pow(weight.get(c.code)!, 0.9) * rngCourts.lognormal(1, 0.1)) / pressure.get(c.code)!;
      enforcementStaff.set(c.code, Math.max(9, Math.min(150, Math.round(size))));
    }
    for (const c of generatedCourts) {
      if (c.level === 'BASIC') continue;
      const biggestBasic = Math.max(
        0,
        ...generatedCourts.filter((b) => b.parent === c.code && b.level === 'BASIC').map((b) => enforcementStaff.get(b.code)!),
      );
      const own = c.level === 'HIGH' ? 80 : Math.round(30 * rngCourts.lognormal(1, 0.15));
      enforcementStaff.set(c.code, Math.max(own, biggestBasic + rngCourts.int(2, 8)));
    }

    const handlers = new Map<string, { leaders: string[]; judges: string[] }>();
    let officerSeq = 0;
    personnel.transaction(() => {
      const rng = root.fork('officers');
      for (const c of generatedCourts) {
        const staff = enforcementStaff.get(c.code)!;
        // Leaders (院/局/庭领导) are a few posts whatever the court's size: the president (not in enforcement), the
        // vice-president in charge of enforcement, the bureau chief and one to three deputies, tribunal chiefs in
        // the larger bureaus. Everyone else is a judge, an assistant, a clerk or a bailiff.
        const posts: [Post, number][] = [
          ['PRESIDENT', 0],
          ['VICE_PRESIDENT', 1],
          ['BUREAU_CHIEF', 1],
          ['DEPUTY_BUREAU_CHIEF', 1],
        ];
        if (staff >= 15) posts.push(['DEPUTY_BUREAU_CHIEF', 1]);
        if (staff >= 40) posts.push(['DEPUTY_BUREAU_CHIEF', 1]);
        if (staff >= 12) posts.push(['TRIBUNAL_CHIEF', 1]);
        if (staff >= 25 || c.level !== 'BASIC') posts.push(['DEPUTY_TRIBUNAL_CHIEF', 1]);
        if (c.level !== 'BASIC') posts.push(['TRIBUNAL_CHIEF', 1]);
        const rest = staff - posts.filter(([, enforcement]) => enforcement === 1).length;
        const judges = Math.max(2, Math.round(rest * 0.4));
        const assistants = Math.max(1, Math.round(rest * 0.3));
        const clerks = Math.max(1, Math.round(rest * 0.18));
        const bailiffs = Math.max(0, rest - judges - assistants - clerks);
        for (let i = 0; i < judges; i++) posts.push(['JUDGE', 1]);
        for (let i = 0; i < assistants; i++) posts.push(['ASSISTANT', 1]);
        for (let i = 0; i < clerks; i++) posts.push(['CLERK', 1]);
        for (let i = 0; i < bailiffs; i++) posts.push(['BAILIFF', 1]);
        const h = { leaders: [] as string[], judges: [] as string[] };
        for (const [post, enforcement] of posts) {
          const id = `OF${String(++officerSeq).padStart(6, '0')}`;
          personnelRows.officer({
            id,
            name: personName(rng, rng.chance(0.55) ? 'MALE' : 'FEMALE', c.prefecture),
            court_code: c.code,
            post,
            enforcement,
            active: 1,
          });
          if (enforcement && isLeaderPost(post)) h.leaders.push(id);
          if (post === 'JUDGE') h.judges.push(id);
        }
        handlers.set(c.code, h);
      }
    })();

    // ---- debtors: heavy-tailed case counts ----------------------------------------------------
    const courtTable = new WeightedTable(
      generatedCourts.filter((c) => c.level !== 'HIGH').map((c) => c.code),
      generatedCourts.filter((c) => c.level !== 'HIGH').map((c) => weight.get(c.code)!),
    );
    const basicByPrefecture = new Map<string, WeightedTable<string>>();
    for (const p of PREFECTURES) {
      const list = basic.filter((c) => c.prefecture === p.code);
      basicByPrefecture.set(
        p.code,
        new WeightedTable(
          list.map((c) => c.code),
          list.map((c) => weight.get(c.code)!),
        ),
      );
    }
    const prefectureTable = new WeightedTable(
      PREFECTURES.map((p) => p.code),
      PREFECTURES.map((p) => basic.filter((c) => c.prefecture === p.code).reduce((n, c) => n + weight.get(c.code)!, 0)),
    );
    const courtsByCode = new Map<string, CourtInfo>(COURTS.map((c) => [c.code, c]));

    const rngPeople = root.fork('people');
    const usedIds = new Set<string>();
    const newPerson = (kind: Person['kind'], division: string, outside: boolean, big: boolean): Person => {
      for (;;) {
        let id: string;
        let name: string;
        if (kind === 'LEGAL_PERSON') {
          let body = '';
          for (let i = 0; i < 9; i++) body += i === 0 ? CHARSET[rngPeople.int(0, 9)] : CHARSET[rngPeople.int(0, CHARSET.length - 1)];
          // Characters 9-17 are a GB 11714 organisation code: the ninth is its check character (the draw is kept so
          // the generator's random stream, and so the rest of the data, stays as it was).
          body = body.slice(0, 8) + orgCodeCheckChar(body.slice(0, 8));
          const first17 = `91${division}${body}`;
          id = first17 + creditCodeCheckChar(first17);
          const place = outside
            ? (OUTSIDE_PREFIX[division.slice(0, 2)] ?? '重庆')
            : rngPeople.chance(0.6)
              ? '四川'
              : (PREFECTURES.find((p) => p.code === prefectureOfDivision(division))?.name.replace(...SHORT_PLACE) ?? '四川');
          name = companyName(rngPeople, place, big);
        } else {
          const birth = addDays('1950-01-01', rngPeople.int(0, 18_250));
          const sex = rngPeople.chance(0.6) ? 'MALE' : 'FEMALE';
          const seq = rngPeople.int(0, 499) * 2 + (sex === 'MALE' ? 1 : 0);
          const first17 = `${division}${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
          id = first17 + residentIdCheckChar(first17);
          name = personName(rngPeople, sex, prefectureOfDivision(division));
        }
        if (usedIds.has(id)) continue;
        usedIds.add(id);
        return { id, kind, name, division, outside };
      }
    };
    const homeDivision = (rng: Random): { division: string; outside: boolean; prefecture: string } => {
      if (rng.chance(0.03)) return { division: rng.pick(OUTSIDE), outside: true, prefecture: prefectureTable.draw(rng) };
      const prefecture = prefectureTable.draw(rng);
      const court = courtsByCode.get(basicByPrefecture.get(prefecture)!.draw(rng))!;
      return { division: court.divisionCode, outside: false, prefecture };
    };

    const debtors: Person[] = [];
    const debtorPrefecture: string[] = [];
    const drafts: CaseDraft[] = [];
    const cap = Math.max(40, Math.floor(opts.cases / 5000));
    const rngCases = root.fork('cases');
    const yearWeights = WeightedTable.of<number>(
      Array.from({ length: asOfYear - FIRST_YEAR + 1 }, (_, i) => [FIRST_YEAR + i, 1 + i * 0.35] as const),
    );
    let bigIssued = false;
    // Room for the cases transfers open at receiving courts (about two thirds of the transferred cases move).
    const withTransfers = opts.cases >= 1000;
    const ownTarget = withTransfers ? Math.floor(opts.cases * (1 - TRANSFERRED_SHARE * 0.64)) : opts.cases;
    const rngCategories = root.fork('categories');
    const categoryAt = (court: string): CaseCategory =>
      (courtsByCode.get(court)!.prefecture === '川01' ? CATEGORIES_CHENGDU : CATEGORIES_ELSEWHERE).draw(rngCategories);
    /**
     * The courts a serial debtor's cases are filed in: a series concentrates (a real one: 138 cases in 11 courts of 3
     * prefectures), so about √cases courts in one to three prefectures, the debtor's home court first and busiest.
     */
    const courtsOfSeries = (home: { division: string; prefecture: string }, count: number, wide: boolean): WeightedTable<string> => {
      const prefectures = [home.prefecture];
      const extra = wide
        ? 2
        : count >= 10
          ? (rngCases.chance(0.55) ? 1 : 0) + (count >= 20 && rngCases.chance(0.4) ? 1 : 0)
          : rngCases.chance(0.2)
            ? 1
            : 0;
      for (let tries = 0; prefectures.length < 1 + extra && tries < 50; tries++) {
        const p = prefectureTable.draw(rngCases);
        if (!prefectures.includes(p)) prefectures.push(p);
      }
      const size = Math.max(wide ? 6 : 1, Math.min(count, Math.round(Math.sqrt(count) * rngCases.real(0.7, 1.1))));
      const homeCourt = basicCourtOfDivision(home.division);
      const courts: string[] = homeCourt && !FUNCTIONAL_AREA_COURT_CODES.has(homeCourt) ? [homeCourt] : [];
      for (let tries = 0; courts.length < size && tries < size * 20; tries++) {
        const p =
          courts.length < prefectures.length
            ? prefectures[courts.length]!
            : rngCases.chance(0.55)
              ? home.prefecture
              : rngCases.pick(prefectures);
        const c = rngCases.chance(0.15) ? p : basicByPrefecture.get(p)!.draw(rngCases); // p: the prefecture's intermediate court
        if (!courts.includes(c)) courts.push(c);
      }
      return new WeightedTable(
        courts,
        courts.map((_, rank) => 1 / Math.pow(rank + 1, 0.8)),
      );
    };
    // Debtors' homes spread evenly over the prefectures and their courts, so even a small province gives every court
    // its share of filings (and so of load) instead of a random scatter around it.
    const evenPrefecture = new EvenSpread(rngCases);
    const evenCourt = new Map(PREFECTURES.map((p) => [p.code, new EvenSpread(rngCases)]));
    const debtorHome = (): { division: string; outside: boolean; prefecture: string } => {
      if (rngCases.chance(0.03)) return { division: rngCases.pick(OUTSIDE), outside: true, prefecture: prefectureTable.draw(rngCases) };
      const prefecture = prefectureTable.drawAt(evenPrefecture.next());
      const court = courtsByCode.get(basicByPrefecture.get(prefecture)!.drawAt(evenCourt.get(prefecture)!.next()))!;
      return { division: court.divisionCode, outside: false, prefecture };
    };
    while (drafts.length < ownTarget) {
      let count = rngCases.paretoDiscrete(1.9, cap);
      // Guarantee at least one debtor of the kind the high court worries about, whatever the seed.
      let wide = false;
      if (!bigIssued && opts.cases >= 1000) {
        count = cap;
        bigIssued = true;
        wide = true;
      }
      count = Math.min(count, ownTarget - drafts.length);
      const big = count >= 8;
      const home = debtorHome();
      const kind = big || rngCases.chance(0.45) ? 'LEGAL_PERSON' : 'NATURAL_PERSON';
      const debtor = newPerson(kind, home.division, home.outside, big);
      const index = debtors.push(debtor) - 1;
      debtorPrefecture.push(home.prefecture);
      const series = count >= 3 ? courtsOfSeries(home, count, wide) : null;
      // An illegal-fundraising collapse: one criminal restitution case beside the civil ones (a third of big debtors).
      const restitution = big && rngCases.chance(0.3) ? rngCases.int(0, count - 1) : -1;
      for (let i = 0; i < count; i++) {
        let court: string;
        const ownCourt = basicCourtOfDivision(home.division);
        if (series) court = series.draw(rngCases);
        else if (i === 0 && ownCourt && !home.outside && rngCases.chance(0.9))
          court = ownCourt; // sued where it lives
        else if (rngCases.chance(0.04)) court = courtTable.draw(rngCases);
        else if (rngCases.chance(0.06))
          court = home.prefecture; // the prefecture's intermediate court
        else court = basicByPrefecture.get(home.prefecture)!.draw(rngCases);
        if (opts.cases >= 2000 && rngCases.chance(0.0005)) court = '川';
        const year = yearWeights.draw(rngCases);
        const lastDay = year === asOfYear ? asOf : `${year}-12-31`;
        const filedAt = addDays(`${year}-01-01`, rngCases.int(0, daysBetween(`${year}-01-01`, lastDay)));
        let type = TYPE_CODES.draw(rngCases);
        let category = categoryAt(court);
        if (i === restitution) category = 'CRIMINAL_RESTITUTION';
        // A criminal restitution case is one execution case (执) transferred by the criminal court.
        if (category === 'CRIMINAL_RESTITUTION') type = '执';
        // Reconsideration (执复) and supervision (执监) are heard by the court above the one that executed.
        if ((type === '执复' || type === '执监') && courtsByCode.get(court)!.level === 'BASIC') court = courtsByCode.get(court)!.parent!;
        drafts.push({ debtor: index, court, year, type, filedAt, number: '', category });
      }
    }

    // Transfer histories: higher courts' decisions on stuck cases, each kind until its share of TRANSFER_KINDS is
    // used. A moved case closes at the sending court and continues as a new case at the receiving court, linked by
    // lineage; the other modes move nothing.
    const transfers: TransferDraft[] = [];
    const transferOf = new Map<number, number>(); // origin draft -> transfer
    const rngTransfers = root.fork('transfers');
    const draftsOfDebtor = new Map<number, number[]>();
    drafts.forEach((d, i) => draftsOfDebtor.set(d.debtor, [...(draftsOfDebtor.get(d.debtor) ?? []), i]));
    const parentOf = (code: string) => courtsByCode.get(code)!.parent ?? HIGH_COURT;
    const leaderOf = (code: string) => {
      const leaders = handlers.get(code)!.leaders;
      // A tenth of the decisions name no supervising owner yet: the compliance report lists them.
      return leaders.length && rngTransfers.chance(0.9) ? rngTransfers.pick(leaders) : null;
    };
    // Implementation cases only (review cases never move, domain/caseKinds.ts); a moving mode never takes a criminal
    // restitution case from its criminal court, and never a preservation case on its own.
    const decidable = (j: number) => isImplementationCase(drafts[j]!.type);
    const movable = (j: number) => {
      const d = drafts[j]!;
      return (d.type === '执' || d.type === '执恢') && movesByTransfer({ typeCode: d.type, category: d.category });
    };
    const notarizedOfChengdu = new Map<string, number[]>();
    drafts.forEach((d, i) => {
      if (
        d.category === 'NOTARIZED_DEBT' &&
        courtsByCode.get(d.court)!.prefecture === '川01' &&
        courtsByCode.get(d.court)!.level === 'BASIC' &&
        movable(i)
      )
        notarizedOfChengdu.set(d.court, [...(notarizedOfChengdu.get(d.court) ?? []), i]);
    });
    const rebalanceTargets = basic.filter((c) => REBALANCE_TO.includes(c.prefecture ?? '') && !c.special);
    const budget = new Map<TransferKind, number>(
      TRANSFER_KINDS.map(([kind, share]) => [kind, withTransfers ? Math.round(opts.cases * TRANSFERRED_SHARE * share) : 0]),
    );
    const nextKind = (): TransferKind => {
      const left = TRANSFER_KINDS.map(([kind]) => Math.max(0, budget.get(kind)!));
      const total = left.reduce((n, x) => n + x, 0);
      // Budgets spent but cases still to open: directed execution, one case at a time, fills the province to size.
      if (total === 0) return 'DIRECTED';
      let x = rngTransfers.next() * total;
      for (let k = 0; k < left.length; k++) if ((x -= left[k]!) < 0) return TRANSFER_KINDS[k]![0];
      return 'DIRECTED';
    };
    for (let guard = 0; withTransfers && drafts.length < opts.cases && guard < opts.cases * 20; guard++) {
      const kind = nextKind();
      const mode: TransferMode = kind === 'REBALANCE' ? 'DIRECTED' : kind;
      let i: number;
      if (kind === 'REBALANCE') {
        const pools = [...notarizedOfChengdu.values()];
        if (pools.length === 0) {
          budget.set('REBALANCE', 0);
          continue;
        }
        i = rngTransfers.pick(rngTransfers.pick(pools));
      } else i = rngTransfers.int(0, ownTarget - 1);
      const d = drafts[i]!;
      if (transferOf.has(i) || d.court === HIGH_COURT || daysBetween(d.filedAt, asOf) < 200 || !decidable(i)) continue;
      const decidedAt = addDays(d.filedAt, rngTransfers.int(183, daysBetween(d.filedAt, asOf) - 1));
      const court = courtsByCode.get(d.court)!;
      let related = [i];
      let receiving: string | null = null;
      let deciding = parentOf(d.court);
      const left = budget.get(kind)!;
      if (kind === 'REBALANCE') {
        // 调案: a batch of one 成都 court's notarised-debt cases filed half a year or more before, to a court of a
        // neighbouring prefecture.
        receiving = rngTransfers.pick(rebalanceTargets).code;
        deciding = HIGH_COURT;
        related = (notarizedOfChengdu.get(d.court) ?? [])
          .filter((j) => !transferOf.has(j) && drafts[j]!.filedAt < addDays(decidedAt, -183))
          .slice(0, Math.max(1, Math.min(left, rngTransfers.int(5, 40))));
      } else if (mode === 'DIRECTED') {
        const peers = generatedCourts.filter((c) => c.level === court.level && c.code !== court.code && c.parent === court.parent);
        if (peers.length === 0 || !movable(i)) continue;
        receiving = rngTransfers.pick(peers).code;
      } else if (mode === 'ELEVATED') {
        if (!movable(i)) continue;
        receiving = parentOf(d.court);
        deciding = receiving;
      } else if (mode === 'CENTRALIZED' || mode === 'COLLABORATIVE') {
        related = (draftsOfDebtor.get(d.debtor) ?? []).filter(
          (j) => !transferOf.has(j) && drafts[j]!.filedAt < decidedAt && drafts[j]!.court !== HIGH_COURT && decidable(j),
        );
        if (mode === 'CENTRALIZED') related = related.filter(movable);
        if (related.length < 2 || related.length > left + 3) continue;
        const prefectures = new Set(related.map((j) => courtsByCode.get(drafts[j]!.court)!.prefecture));
        deciding = prefectures.size > 1 ? HIGH_COURT : parentOf(d.court);
        if (mode === 'CENTRALIZED') {
          // To the court holding most of the series; across prefectures, that court's intermediate court.
          const counts = new Map<string, number>();
          for (const j of related) counts.set(drafts[j]!.court, (counts.get(drafts[j]!.court) ?? 0) + 1);
          const most = [...counts.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]![0];
          receiving = prefectures.size > 1 ? (courtsByCode.get(most)!.prefecture ?? most) : most;
        }
      }
      // Reconsideration and supervision cases stay above the basic level.
      if (receiving !== null && courtsByCode.get(receiving)!.level === 'BASIC')
        related = related.filter((j) => drafts[j]!.type !== '执复' && drafts[j]!.type !== '执监');
      if (related.length === 0) continue;
      // Never more cases than asked for: each case moved opens one more.
      const moves = receiving === null ? 0 : related.filter((j) => drafts[j]!.court !== receiving).length;
      if (drafts.length + moves > opts.cases) continue;
      const t = transfers.length;
      const draft: TransferDraft = {
        id: `T${String(t + 1).padStart(6, '0')}`,
        mode,
        kind,
        decidingCourt: deciding,
        receivingCourt: receiving,
        decidedAt,
        deadline: addDays(decidedAt, mode === 'DEADLINE_ORDER' ? 90 : 180),
        supervisorId: leaderOf(deciding),
        reasons: REASONS[kind],
        note:
          kind === 'REBALANCE'
            ? '调案：赋强公证案件移出成都'
            : mode === 'DEADLINE_ORDER'
              ? '限期执行'
              : mode === 'COLLABORATIVE'
                ? '统一协调处置'
                : '交叉执行',
        cases: [],
      };
      budget.set(kind, left - related.length);
      for (const j of related) {
        transferOf.set(j, t);
        const from = drafts[j]!;
        const moves = receiving !== null && from.court !== receiving;
        let to: number | null = null;
        if (moves) {
          to =
            drafts.push({
              debtor: from.debtor,
              court: receiving!,
              year: Number(decidedAt.slice(0, 4)),
              type: from.type,
              filedAt: decidedAt,
              number: '',
              origin: j,
              transfer: t,
              category: from.category,
            }) - 1;
        }
        draft.cases.push({ from: j, to, progress: rngTransfers.chance(PROGRESS_SHARE) });
      }
      transfers.push(draft);
    }

    // Sequence numbers restart each year per court and type code, in filing order.
    const order = drafts.map((_, i) => i);
    order.sort((a, b) => {
      const x = drafts[a]!;
      const y = drafts[b]!;
      return x.court < y.court
        ? -1
        : x.court > y.court
          ? 1
          : x.year - y.year ||
            (x.type < y.type ? -1 : x.type > y.type ? 1 : 0) ||
            (x.filedAt < y.filedAt ? -1 : x.filedAt > y.filedAt ? 1 : a - b);
    });
    let prevKey = '';
    let seq = 0;
    for (const i of order) {
      const d = drafts[i]!;
      const key = `${d.court}|${d.year}|${d.type}`;
      seq = key === prevKey ? seq + 1 : 1;
      prevKey = key;
      d.number = formatCaseNumber(d.year, d.court, d.type, seq);
    }

    // Debtors with many cases are the stuck ones: fewer of their cases close, and they owe more.
    const caseCounts = new Int32Array(debtors.length);
    for (const d of drafts) caseCounts[d.debtor]!++;
    const debtorSizeFactor = (index: number): number => {
      const n = caseCounts[index]!;
      return n >= 20 ? 0.45 : n >= 8 ? 0.6 : 1;
    };

    // ---- cases and parties ---------------------------------------------------------------------
    const insertParty = (
      case_number: string,
      role: 'DEBTOR' | 'APPLICANT',
      position: number,
      person_id: string | null,
      name: string,
      kind: Person['kind'],
      division_code: string | null,
    ) => registryRows.party({ case_number, role, position, person_id, name, name_key: normaliseName(name), kind, division_code });
    const writtenPersons = new Set<string>();
    const writePerson = (p: Person) => {
      if (writtenPersons.has(p.id)) return;
      writtenPersons.add(p.id);
      registryRows.person({
        id: p.id,
        kind: p.kind,
        name: p.name,
        name_key: normaliseName(p.name),
        division_code: p.division,
        out_of_province: p.outside ? 1 : 0,
      });
    };
    const applicantPool: Person[] = [];
    const rngParties = root.fork('parties');
    const rngSettlements = root.fork('settlements');
    const bankApplicant = (): { name: string; division: string } => {
      const bank = rngParties.pick(LENDING_BANKS);
      const pref = PREFECTURES[rngParties.int(0, PREFECTURES.length - 1)]!;
      return {
        name: `${bank}股份有限公司${pref.name.replace(/(市|藏族羌族自治州|藏族自治州|彝族自治州)$/, '')}分行`,
        division: pref.divisionCode,
      };
    };

    interface CaseState {
      number: string;
      debtor: number;
      court: string;
      filedAt: string;
      status: CaseRow['status'];
      closedAt: string | null;
      closure: Closure | null;
      amountDue: number | null;
      recovered: number;
      /** Recovered when a higher court decided on the case. */
      recoveredBefore: number;
      category: CaseCategory;
      lineageRoot: string;
      type: CaseTypeCode;
    }
    // The facts of issue 15 items 1-7 (seed/caseFacts.ts), each from a stream of its own.
    const rngComplaints = root.fork('complaints');
    const rngConduct = root.fork('conduct');
    const rngPeriods = root.fork('periods');
    const periods = new ExcludedPeriods(asOf);
    // Which of a court's cases are still open: systematic sampling per court (each case open with its probability, the
    // court's count of open cases within one of its expectation), so loads follow staffing, not chance, at any size.
    const openSoFar = new Map<string, number>();
    const closesEvenly = (court: string, pClosed: number): boolean => {
      const before = openSoFar.get(court) ?? rngCases.next();
      const after = before + (1 - pClosed);
      openSoFar.set(court, after);
      return Math.floor(after) === Math.floor(before);
    };
    const caseStates: CaseState[] = new Array(drafts.length);
    const casesOfDebtor: number[][] = debtors.map(() => []);
    const CHUNK = 20_000;
    for (let start = 0; start < drafts.length; start += CHUNK) {
      registry.transaction(() => {
        for (let i = start; i < Math.min(drafts.length, start + CHUNK); i++) {
          const d = drafts[i]!;
          const debtor = debtors[d.debtor]!;
          const age = daysBetween(d.filedAt, asOf);
          const stuckFactor = debtorSizeFactor(d.debtor);
          const moved = transferOf.has(i) && transfers[transferOf.get(i)!]!.cases.find((c) => c.from === i)!.to !== null;
          const originState = d.origin !== undefined ? caseStates[d.origin]! : null;
          const review = REVIEW_TYPES.has(d.type);
          // Most cases close within months (终本 counts as closed here); a serial debtor's close slower, and some never.
          const [tau, ceiling] = review ? [45, 0.99] : stuckFactor >= 1 ? [90, 0.992] : stuckFactor >= 0.6 ? [220, 0.92] : [400, 0.75];
          const pClosed = ceiling * (1 - Math.exp(-age / tau));
          let status: CaseRow['status'] = 'EXECUTING';
          let closedAt: string | null = null;
          let closure: Closure | null = null;
          const decision = transferOf.has(i) ? transfers[transferOf.get(i)!]! : null;
          // The decision whose case this one carries on (kept in place, or opened at the receiving court), and whether
          // it makes substantive progress after the decision (PROGRESS_SHARE of them do).
          const carried = originState !== null ? transfers[d.transfer!]! : decision !== null && !moved ? decision : null;
          const progress = carried?.cases.find((c) => c.from === (d.origin ?? i))?.progress ?? false;
          const progressKind = carried && progress ? rngCases.next() : 1;
          const conduct = review ? false : originState ? originState.amountDue === null : rngCases.chance(0.015);
          const level = courtsByCode.get(d.court)!.level;
          const median = decision
            ? DECIDED_MEDIAN_YUAN[decision.kind]
            : (stuckFactor < 0.6 ? 2_000_000 : 150_000) * (level === 'BASIC' ? 1 : 8);
          const due = originState
            ? originState.amountDue
            : conduct || review
              ? null
              : Math.min(5_000_000_000_00, Math.round(rngCases.lognormal(median, 1.3) * 100));
          // What was recovered when a higher court decided on the case (all of it, for a case that moves).
          let recoveredBefore = originState ? originState.recovered : 0;
          if (due !== null && !originState && (decision || rngCases.chance(0.55)))
            recoveredBefore = rngCases.chance(decision ? 0.45 : 1) ? Math.floor(due * rngCases.real(0.01, decision ? 0.4 : 0.6)) : 0;
          let recovered = recoveredBefore;
          let settledAt: string | null = null;
          if (moved) {
            // Closed at the sending court as terminated by the transfer (终结执行).
            status = 'CLOSED';
            closedAt = decision!.decidedAt;
            closure = 'TERMINATED';
          } else if (carried !== null) {
            // Kept in place (deadline order, collaborative plan) or continued at the receiving court.
            const from = originState ? d.filedAt : carried.decidedAt;
            const after = Math.max(1, daysBetween(from, asOf));
            status = originState && age < 30 ? 'FILED' : 'EXECUTING';
            if (progressKind < 0.25 && due !== null) {
              status = 'CLOSED';
              closedAt = addDays(from, rngCases.int(1, after));
              closure = 'FULLY_EXECUTED';
            } else if (progressKind < 0.85 && due !== null && due > recovered) {
              recovered = recovered + Math.max(1, Math.floor((due - recovered) * rngCases.real(0.05, 0.7)));
            } else if (progressKind < 1) {
              settledAt = addDays(from, rngCases.int(0, after - 1));
            } else if (after > 60 && rngCases.chance(0.2)) {
              status = 'CLOSED';
              closedAt = addDays(from, rngCases.int(30, after));
              closure = 'TERMINATED_THIS_ROUND';
            }
          } else if (age > 20 && closesEvenly(d.court, pClosed)) {
            status = 'CLOSED';
            closedAt = addDays(d.filedAt, Math.min(age, Math.max(15, Math.round(rngCases.exponential(tau)))));
            closure = review ? 'FULLY_EXECUTED' : CLOSURES.draw(rngCases);
          } else if (age < 30) status = 'FILED';
          const category = d.category;
          if (due !== null && closure === 'FULLY_EXECUTED') recovered = due;
          const staff = handlers.get(d.court)!;
          // Leaders must handle at least half of the cases a court receives by transfer; most courts do.
          const leaderShare = originState ? (rngCases.chance(0.8) ? 0.7 : 0.3) : 0.15;
          const handler =
            staff.leaders.length && rngCases.chance(leaderShare)
              ? rngCases.pick(staff.leaders)
              : staff.judges.length
                ? rngCases.pick(staff.judges)
                : null;
          const end = closedAt ?? asOf;
          const span = daysBetween(d.filedAt, end);
          // Settlement in execution (执行和解) of a case no higher court decided on (those settle by their progress above).
          const settleFrom = addDays(d.filedAt, 10);
          const settleChance = conduct || review || decision || originState ? 0 : 0.03;
          if (status !== 'FILED' && settleFrom < end && rngSettlements.chance(settleChance))
            settledAt = addDays(settleFrom, rngSettlements.int(0, daysBetween(settleFrom, end)));
          const lastAction =
            status === 'FILED'
              ? null
              : rngCases.chance(stuckFactor < 1 ? 0.35 : 0.06) && !closedAt
                ? addDays(d.filedAt, rngCases.int(0, Math.max(0, span - 180)))
                : addDays(d.filedAt, Math.max(0, span - rngCases.int(0, Math.min(span, 60))));
          const conductOrdered = conduct ? rngCases.pick(CONDUCT_ORDERS) : null;
          registryRows.case({
            number: d.number,
            year: d.year,
            court_code: d.court,
            type_code: d.type,
            sequence: Number(/(\d+)号$/.exec(d.number)![1]),
            executing_court: d.court,
            status,
            filed_at: d.filedAt,
            closed_at: closedAt,
            closure,
            obligation: conduct ? 'CONDUCT' : 'MONEY',
            category: originState?.category ?? category,
            conduct_ordered: conductOrdered,
            amount_due: due,
            amount_recovered: recovered,
            handler_id: handler,
            lineage_root: originState?.lineageRoot ?? d.number,
            transferred_from: originState?.number ?? null,
            last_action_at: lastAction,
            settled_at: settledAt,
          });
          caseStates[i] = {
            number: d.number,
            debtor: d.debtor,
            court: d.court,
            filedAt: d.filedAt,
            status,
            closedAt,
            closure,
            amountDue: due,
            recovered,
            recoveredBefore,
            category: originState?.category ?? category,
            lineageRoot: originState?.lineageRoot ?? d.number,
            type: d.type,
          };
          casesOfDebtor[d.debtor]!.push(i);
          if (!review && !moved) {
            for (const row of complaintsFor(rngComplaints, caseStates[i]!, asOf)) registryRows.upsertComplaint(row);
            periods.drawFor(rngPeriods, caseStates[i]!);
          }
          if (conductOrdered !== null)
            for (const row of conductEventsFor(rngConduct, { ...caseStates[i]!, lastActionAt: lastAction, conductOrdered }))
              registryRows.upsertConductEvent(row);

          // Debtor party: a few records carry no identifier, only a name as a clerk typed it.
          writePerson(debtor);
          if (rngParties.chance(0.03)) {
            const name = nameVariant(rngParties, debtor.name);
            insertParty(d.number, 'DEBTOR', 0, null, name, debtor.kind, debtor.division);
          } else {
            insertParty(d.number, 'DEBTOR', 0, debtor.id, debtor.name, debtor.kind, debtor.division);
          }
          if (rngParties.chance(0.1)) {
            const guarantor = newPerson(
              'NATURAL_PERSON',
              debtor.outside ? courtsByCode.get(d.court)!.divisionCode : debtor.division,
              false,
              false,
            );
            writePerson(guarantor);
            insertParty(d.number, 'DEBTOR', 1, guarantor.id, guarantor.name, guarantor.kind, guarantor.division);
          }
          if (category === 'CRIMINAL_RESTITUTION') {
            // The victims (被害人) are the applicants: natural persons, often many (an illegal-fundraising case repays
            // hundreds), never a bank. Each is a new person of the court's area.
            const victims = rngParties.chance(0.3) ? rngParties.int(1, 3) : Math.min(150, Math.round(rngParties.lognormal(8, 0.9)) + 1);
            for (let a = 0; a < victims; a++) {
              const home = rngParties.chance(0.8) ? courtsByCode.get(d.court)!.divisionCode : homeDivision(rngParties).division;
              const victim = newPerson(
                'NATURAL_PERSON',
                home.startsWith('51') && home.endsWith('00') ? debtor.division : home,
                false,
                false,
              );
              writePerson(victim);
              insertParty(d.number, 'APPLICANT', a, victim.id, victim.name, victim.kind, victim.division);
            }
            continue;
          }
          const applicants = rngParties.chance(0.2) ? 2 : 1;
          for (let a = 0; a < applicants; a++) {
            const roll = rngParties.next();
            if (roll < 0.05 && debtors.length > 1) {
              // Chain debt: the applicant is itself a debtor elsewhere.
              const other = debtors[rngParties.int(0, debtors.length - 1)]!;
              if (other.id !== debtor.id) {
                writePerson(other);
                insertParty(d.number, 'APPLICANT', a, other.id, other.name, other.kind, other.division);
                continue;
              }
            }
            if (roll < 0.4) {
              const bank = rngParties.chance(0.1) ? { name: rngParties.pick(ASSET_MANAGERS), division: '510100' } : bankApplicant();
              insertParty(d.number, 'APPLICANT', a, null, bank.name, 'LEGAL_PERSON', bank.division);
              continue;
            }
            let p: Person;
            if (applicantPool.length > 50 && rngParties.chance(0.3)) p = rngParties.pick(applicantPool);
            else {
              const home = homeDivision(rngParties);
              p = newPerson(rngParties.chance(0.5) ? 'LEGAL_PERSON' : 'NATURAL_PERSON', home.division, home.outside, false);
              applicantPool.push(p);
            }
            writePerson(p);
            insertParty(d.number, 'APPLICANT', a, p.id, p.name, p.kind, p.division);
          }
        }
      })();
      progress(Math.min(drafts.length, start + CHUNK), drafts.length, 'cases');
    }

    registry.transaction(() => {
      for (const t of transfers) {
        workflowRows.transfer({
          id: t.id,
          mode: t.mode,
          deciding_court: t.decidingCourt,
          receiving_court: t.receivingCourt,
          decided_at: t.decidedAt,
          deadline: t.deadline,
          supervisor_id: t.supervisorId,
          reasons: t.reasons,
          note: t.note,
        });
        workflowRows.supervisionEvent({
          transfer_id: t.id,
          seq: 1,
          at: t.decidedAt,
          author_id: t.supervisorId,
          kind: 'DECIDED',
          note: `${t.mode} decided by ${t.decidingCourt}`,
        });
        for (const c of t.cases) {
          const from = caseStates[c.from]!;
          // What was recovered before the decision: everything, for a case that moved (it closed at the decision).
          const before = c.to !== null ? from.recovered : from.recoveredBefore;
          workflowRows.transferCase({
            transfer_id: t.id,
            from_case: from.number,
            to_case: c.to === null ? null : caseStates[c.to]!.number,
            recovered_before: before,
          });
        }
      }
    })();

    // Related cases in other provinces' courts (issue 15 fact 5), linked on the debtor's identifier.
    const rngExternal = root.fork('external');
    let externalSequence = 0;
    registry.transaction(() => {
      debtors.forEach((debtor, di) => {
        const caseCount = casesOfDebtor[di]!.length;
        if (caseCount === 0) return;
        for (const row of externalCasesFor(
          rngExternal,
          { id: debtor.id, kind: debtor.kind, caseCount },
          asOf,
          () => 1000 + ++externalSequence,
        ))
          registryRows.upsertExternalCase(row);
      });
    })();

    // ---- properties, measures, disposal ---------------------------------------------------------
    const rngAssets = root.fork('assets');
    const rngEncumbrances = root.fork('encumbrances');
    // 督办 of the cases holding long-idle property (issue 15 fact 2), drawn apart so the assets' draws stay as they were.
    const rngSupervision = root.fork('supervision');
    const supervisionRows: SupervisionOrderRow[] = [];
    let propertySeq = 0;
    let measureSeq = 0;
    const DEBTOR_CHUNK = 5_000;
    for (let start = 0; start < debtors.length; start += DEBTOR_CHUNK) {
      property.transaction(() => {
        for (let di = start; di < Math.min(debtors.length, start + DEBTOR_CHUNK); di++) {
          const debtor = debtors[di]!;
          const own = casesOfDebtor[di]!;
          const n = own.length >= 8 ? Math.min(60, Math.round(own.length * rngAssets.real(0.4, 0.8))) : rngAssets.pick([0, 0, 1, 1, 2]);
          for (let k = 0; k < n; k++) {
            const kind = (debtor.kind === 'LEGAL_PERSON' ? LEGAL_KINDS : NATURAL_KINDS).draw(rngAssets);
            let division: string | null;
            let outside = false;
            const roll = rngAssets.next();
            if (roll < 0.02) {
              division = rngAssets.pick(OUTSIDE);
              outside = true;
            } else if (roll < 0.72 && !debtor.outside) division = debtor.division;
            else if (roll < 0.87) division = courtsByCode.get(basicByPrefecture.get(debtorPrefecture[di]!)!.draw(rngAssets))!.divisionCode;
            else division = courtsByCode.get(basicByPrefecture.get(prefectureTable.draw(rngAssets))!.draw(rngAssets))!.divisionCode;
            const prefecture = outside ? null : prefectureOfDivision(division);
            const place = prefecture ? PREFECTURES.find((p) => p.code === prefecture)!.name : '重庆市';
            const value = Math.round(rngAssets.lognormal(MEDIAN_VALUE[kind] * (own.length >= 8 ? 3 : 1), 0.9)) * 100;
            const description = describe(rngAssets, kind, place, debtor);
            const id = `P${String(++propertySeq).padStart(7, '0')}`;

            // Measures by the debtor's cases, earliest filed first; big debtors' real estate draws several courts.
            // Review cases (执异, 执复, 执监, 执协) impose no measures of their own.
            const controllable = own.filter((ci) => daysBetween(caseStates[ci]!.filedAt, asOf) > 5 && !REVIEW_TYPES.has(drafts[ci]!.type));
            let measureCount = controllable.length === 0 || rngAssets.chance(0.15) ? 0 : 1;
            if (measureCount && own.length >= 8 && (kind === 'REAL_ESTATE' || kind === 'LAND_USE_RIGHT' || kind === 'EQUITY')) {
              measureCount = Math.min(controllable.length, rngAssets.paretoDiscrete(1.2, 6));
            }
            const chosen = rngAssets.sample(controllable, measureCount).map((ci) => caseStates[ci]!);
            const imposed = chosen
              .map((c) => ({ c, at: addDays(c.filedAt, rngAssets.int(1, Math.min(60, daysBetween(c.filedAt, asOf)))) }))
              .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

            // Disposal history of a property held long enough.
            let stage: DisposalStage | 'NONE' = 'NONE';
            let disposedAt: string | null = null;
            const steps: [DisposalStage, string | null, number, string, 'DONE' | 'FAILED'][] = [];
            if (kind === 'BANK_DEPOSIT') {
              // A frozen deposit is deducted (划拨) to the applicant, not appraised and auctioned: most within weeks,
              // which releases the freeze; the rest stay frozen (empty or contested accounts).
              // The deduction is recorded as the deposit's one disposal step (domain/disposal.ts), of the balance found.
              const deducted = imposed.length ? addDays(imposed[0]!.at, rngAssets.int(2, 40)) : null;
              if (deducted !== null && deducted <= asOf && rngAssets.chance(0.8)) {
                disposedAt = deducted;
                steps.push(['DEDUCTION', null, Math.max(1_00, value), deducted, 'DONE']);
                stage = 'DEDUCTION';
              }
            } else if (imposed.length && rngAssets.chance(0.35)) {
              let at = addDays(imposed[0]!.at, rngAssets.int(90, 240));
              if (at <= asOf) {
                const ref = Math.round((value * rngAssets.real(0.8, 1.1)) / 100) * 100;
                steps.push(['REFERENCE_PRICE', rngAssets.pick(['NEGOTIATED', 'INQUIRY', 'ONLINE_INQUIRY', 'APPRAISAL']), ref, at, 'DONE']);
                at = addDays(at, rngAssets.int(30, 90));
                if (at <= asOf && rngAssets.chance(0.7)) {
                  const first = Math.ceil((ref * rngAssets.real(0.7, 1.0)) / 100) * 100;
                  const sold = rngAssets.chance(0.4);
                  steps.push(['FIRST_AUCTION', null, first, at, sold ? 'DONE' : 'FAILED']);
                  if (sold) disposedAt = at;
                  at = addDays(at, rngAssets.int(30, 90));
                  if (!sold && at <= asOf && rngAssets.chance(0.7)) {
                    const second = Math.ceil((first * rngAssets.real(0.8, 1.0)) / 100) * 100;
                    const sold2 = rngAssets.chance(0.5);
                    steps.push(['SECOND_AUCTION', null, second, at, sold2 ? 'DONE' : 'FAILED']);
                    if (sold2) disposedAt = at;
                    at = addDays(at, rngAssets.int(30, 120));
                    if (!sold2 && at <= asOf && rngAssets.chance(0.6)) {
                      steps.push([rngAssets.chance(0.6) ? 'SALE' : 'TAKEN_IN_PAYMENT', null, second, at, 'DONE']);
                      disposedAt = at;
                    }
                  }
                }
              }
              stage = steps.length ? steps[steps.length - 1]![0] : 'NONE';
            }

            // Queue: the first measure holds from its imposition; a waiting one takes effect when the one before
            // it is released or lapses. Every period is at most the legal maximum; unrenewed periods lapse.
            let freeFrom: string | null = null;
            let held = false;
            let earliestHeld: string | null = null;
            const measureRows: MeasureRow[] = [];
            imposed.forEach(({ c, at }, q) => {
              // 终本 is granted when no property can be executed: its seizures are lifted unless the property already
              // failed at auction (unsaleable, or behind a mortgage) or, in a tenth of cases, the applicant keeps them.
              // (A deposit's deduction is no failed auction: it releases the freeze itself.)
              const auctioned = steps.some((st) => st[0] !== 'DEDUCTION');
              const endsThisRound = c.closure === 'TERMINATED_THIS_ROUND' && !auctioned && rngAssets.chance(0.9);
              const closedFree =
                c.closedAt && (c.closure === 'FULLY_EXECUTED' || c.closure === 'WITHDRAWN' || c.closure === 'REJECTED' || endsThisRound)
                  ? c.closedAt
                  : null;
              const released = disposedAt ?? (closedFree && closedFree >= at ? closedFree : null);
              let waiting = 1;
              let periodStart: string | null = null;
              let expires: string | null = null;
              let renewals = 0;
              const effectiveFrom = freeFrom && freeFrom > at ? freeFrom : at;
              // A measure released while still waiting never takes effect and passes nothing on.
              if (!held && !(released !== null && released < effectiveFrom)) {
                waiting = 0;
                periodStart = effectiveFrom;
                expires = addMonths(periodStart, MAX_PERIOD_MONTHS[kind]);
                const horizon = released && released < asOf ? released : asOf;
                while (expires < horizon && rngAssets.chance(0.9)) {
                  periodStart = expires;
                  expires = addMonths(expires, MAX_PERIOD_MONTHS[kind]);
                  renewals++;
                }
                held = true;
                if (released && !disposedAt) {
                  freeFrom = released;
                  held = false;
                } else if (!released && expires < asOf) {
                  freeFrom = expires; // lapsed unrenewed: the next in line takes effect
                  held = false;
                }
              }
              if (!released) earliestHeld = earliestHeld && earliestHeld < at ? earliestHeld : at;
              measureRows.push({
                id: `M${String(++measureSeq).padStart(8, '0')}`,
                property_id: id,
                kind: MEASURE_KIND_FOR[kind],
                court_code: c.court,
                case_number: c.number,
                imposed_at: at,
                period_starts_at: periodStart,
                expires_at: expires,
                waiting,
                queue_position: q + 1,
                renewals,
                released_at: released,
              });
            });
            const undisposedSince = disposedAt ? null : earliestHeld;
            // Art. 13 periods the property's history implies (issue 15 fact 1): the appraisal before an appraised
            // reference price, on the case that first seized it; a higher court coordinating two courts' seizures.
            for (const [stage, method, , at] of steps) {
              if (stage !== 'REFERENCE_PRICE' || method !== 'APPRAISAL' || !imposed.length) continue;
              const days = rngPeriods.int(20, 60); // 委托评估: the appraiser's 30 days, give or take an extension
              periods.add(imposed[0]!.c, 'APPRAISAL', addDays(at, -days), days);
            }
            const second = imposed.find((x) => x.c.court !== imposed[0]?.c.court);
            if (second && rngPeriods.chance(FACT_SHARES.periods.coordinationOfSharedAsset))
              periods.add(second.c, 'COORDINATION', addDays(second.at, rngPeriods.int(10, 60)), rngPeriods.int(60, 180));
            // A higher court supervises (督办) most cases whose property has stood idle for half a year; in most of them
            // the supervision brings no progress (the provincial standard's IDLE_PROPERTY test reads that outcome).
            const supervised = imposed.find((x) => x.c.status !== 'CLOSED' || x.c.closure === 'TERMINATED_THIS_ROUND');
            const above = supervised ? courtsByCode.get(supervised.c.court)?.parent : null;
            if (undisposedSince !== null && supervised && above && daysBetween(undisposedSince, asOf) > 200 && rngSupervision.chance(0.7)) {
              const at = addDays(undisposedSince, rngSupervision.int(180, daysBetween(undisposedSince, asOf) - 10));
              const draw = rngSupervision.real(0, 1);
              supervisionRows.push({
                case_number: supervised.c.number,
                supervised_at: at,
                supervising_court: above,
                outcome: draw < 0.65 ? 'NO_PROGRESS' : draw < 0.85 ? 'PROGRESS' : 'PENDING',
                note: null,
              });
            }
            // Some long-held assets have a recorded reason not to dispose yet; the rest are overdue.
            const holdReason =
              undisposedSince !== null && daysBetween(undisposedSince, asOf) > 180 && rngAssets.chance(0.25)
                ? rngAssets.pick(HOLD_REASONS)
                : null;
            propertyRows.property({
              id,
              kind,
              description,
              owner_id: debtor.id,
              owner_name: debtor.name,
              division_code: division,
              prefecture,
              out_of_province: outside ? 1 : 0,
              estimated_value: value,
              disposal_stage: stage,
              undisposed_since: undisposedSince,
              disposal_hold_reason: holdReason,
            });
            for (const row of measureRows) propertyRows.measure(row);
            for (const row of encumbrancesFor(
              rngEncumbrances,
              {
                id,
                kind,
                value,
                city: place.replace(/(市|藏族羌族自治州|藏族自治州|彝族自治州)$/, ''),
                prefecture,
                firstImposedAt: imposed[0]?.at ?? null,
              },
              asOf,
            ))
              propertyRows.upsertEncumbrance(row);
            steps.forEach((s, i) =>
              propertyRows.disposalStep({
                property_id: id,
                seq: i + 1,
                step: s[0],
                method: s[1],
                price: s[2],
                occurred_at: s[3],
                outcome: s[4],
              }),
            );
          }
        }
      })();
      progress(Math.min(debtors.length, start + DEBTOR_CHUNK), debtors.length, 'properties');
    }

    registry.transaction(() => {
      const seen = new Set<string>();
      for (const row of supervisionRows) {
        const key = `${row.case_number}|${row.supervised_at}|${row.supervising_court}`;
        if (!seen.has(key)) registryRows.upsertSupervisionOrder(row);
        seen.add(key);
      }
      for (const row of periods.rows()) registryRows.upsertExcludedPeriod(row);
    })();

    // ---- indexes, then atomically into place ------------------------------------------------
    progress(0, 3, 'indexes');
    finishBulkLoad(registry, schemas.registry);
    progress(1, 3, 'indexes');
    finishBulkLoad(property, schemas.property);
    finishBulkLoad(personnel, schemas.personnel);
    progress(2, 3, 'indexes');
    const count = (db: Database.Database, table: string) => (db.prepare(`select count(*) n from ${table}`).get() as { n: number }).n;
    const summary: SeedSummary = {
      cases: count(registry, 'cases'),
      persons: count(registry, 'persons'),
      properties: count(property, 'properties'),
      measures: count(property, 'measures'),
      officers: count(personnel, 'officers'),
      courts: count(registry, 'courts'),
      elapsedMs: 0,
    };
    for (const db of dbs) {
      db.pragma(`application_id = ${GENERATOR_APPLICATION_ID}`);
      db.close();
    }
    // The coordination subgraph's read models describe the old data: remove them, the next pass rebuilds them.
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${databaseFile(opts.dataDir, COORDINATION_DB)}${suffix}`, { force: true });
    for (const s of SYSTEMS) {
      for (const suffix of ['-wal', '-shm']) rmSync(`${databaseFile(opts.dataDir, s)}${suffix}`, { force: true });
      renameSync(tmp(s), databaseFile(opts.dataDir, s));
    }
    writeMarker(opts.dataDir, { seed: opts.seed, cases: opts.cases, asOf });
    progress(3, 3, 'indexes');
    summary.elapsedMs = Math.round(performance.now() - started);
    return summary;
  } catch (err) {
    for (const db of dbs) if (db.open) db.close();
    for (const s of SYSTEMS) rmSync(tmp(s), { force: true });
    throw err;
  }
}

function describe(rng: Random, kind: PropertyKind, place: string, owner: Person): string {
  const legal = owner.kind === 'LEGAL_PERSON';
  switch (kind) {
    case 'REAL_ESTATE':
      return realEstateDescription(rng, place, legal);
    case 'LAND_USE_RIGHT':
      return landDescription(rng, place);
    case 'VEHICLE':
      return vehicleDescription(rng, platePrefixOf(owner.division));
    case 'MOVABLE':
      return movableDescription(rng, place);
    case 'BANK_DEPOSIT':
      return depositDescription(rng, !legal);
    case 'EQUITY':
      return equityDescription(rng, companyName(rng, '四川'));
    case 'RECEIVABLE':
      return receivableDescription(rng, companyName(rng, '四川'));
    case 'INTELLECTUAL_PROPERTY':
      return intellectualPropertyDescription(rng);
  }
}
