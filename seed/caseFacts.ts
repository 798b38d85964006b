import { addDays, daysBetween } from '../domain/dates';
import type { ExcludedPeriodKind } from '../domain/excludedPeriods';
import type { PropertyKind } from '../domain/measures';
import type { ComplaintRow, ConductEventRow, ExcludedPeriodRow, ExternalCaseRow } from '../subgraphs/case-registry/sources/ddl';
import type { EncumbranceRow } from '../subgraphs/property-control/sources/ddl';
import { LENDING_BANKS, companyName, personName } from './names';
import type { Random } from './random';

/**
 * The facts of issue 15 items 1–7 that the generator adds to its cases and properties, in proportions that are
 * assumptions (no published figure gives them for Sichuan), each with its reason in bench/province.md ("Facts of items
 * 1–7") and held to a range by test/calibration/province-calibration.test.ts. Each kind of fact draws from a stream of
 * its own, so the draws the cases, parties and assets already made stay as they were.
 */
export const FACT_SHARES = {
  /** 信访 against an implementation case: rare for a case that moves, several times likelier once it is a year old. */
  complaints: { perCase: 0.012, perCaseOpenAYear: 0.06, kinds: { PASSIVE_EXECUTION: 0.6, IMPROPER_EXECUTION: 0.15, OTHER: 0.25 } },
  /** Mortgages and pledges, by kind of property: the share encumbered, and of those the share with a second rank. */
  encumbrances: {
    REAL_ESTATE: { share: 0.55, secondRank: 0.15 },
    LAND_USE_RIGHT: { share: 0.45, secondRank: 0.1 },
    VEHICLE: { share: 0.15, secondRank: 0 },
    MOVABLE: { share: 0.05, secondRank: 0 },
    EQUITY: { share: 0.2, secondRank: 0 },
    RECEIVABLE: { share: 0.1, secondRank: 0 },
  } as Partial<Record<PropertyKind, { share: number; secondRank: number }>>,
  /** Related cases in other provinces' courts: for an identified company with five cases or more, and for others. */
  externalCases: { serialCompany: 0.2, otherCompany: 0.005 },
  /** Conduct cases with a recorded action: the first measure towards the conduct, and later partial performance. */
  conduct: { partlyPerformed: 0.4 },
  /** Art. 13 periods per implementation case (appraisal and coordination come from the property histories instead). */
  periods: { SUSPENSION: 0.03, STAY: 0.01, PUBLIC_NOTICE: 0.02, JURISDICTION_DISPUTE: 0.002, coordinationOfSharedAsset: 0.1 },
} as const;

/** Other provinces' courts a Sichuan debtor's related cases lie in, weighted by how often (neighbours and lenders' seats). */
const EXTERNAL_COURTS: readonly { code: string; name: string; weight: number }[] = [
  { code: '渝05', name: '重庆市第五中级人民法院', weight: 0.2 },
  { code: '渝0112', name: '重庆市渝北区人民法院', weight: 0.15 },
  { code: '粤0304', name: '深圳市福田区人民法院', weight: 0.1 },
  { code: '粤01', name: '广州市中级人民法院', weight: 0.05 },
  { code: '陕01', name: '西安市中级人民法院', weight: 0.1 },
  { code: '黔01', name: '贵州省贵阳市中级人民法院', weight: 0.1 },
  { code: '云01', name: '云南省昆明市中级人民法院', weight: 0.08 },
  { code: '京0105', name: '北京市朝阳区人民法院', weight: 0.07 },
  { code: '沪0115', name: '上海市浦东新区人民法院', weight: 0.07 },
  { code: '鲁14', name: '山东省德州市中级人民法院', weight: 0.08 },
];

const pickWeighted = <T extends { weight: number }>(rng: Random, items: readonly T[]): T => {
  let x = rng.next() * items.reduce((n, i) => n + i.weight, 0);
  for (const i of items) if ((x -= i.weight) < 0) return i;
  return items[items.length - 1]!;
};

interface CaseLike {
  number: string;
  filedAt: string;
  status: 'FILED' | 'EXECUTING' | 'CLOSED';
  closedAt: string | null;
}

/** The complaints (信访) against one implementation case, received between 30 days after filing and its end. */
export function complaintsFor(rng: Random, c: CaseLike, asOf: string): ComplaintRow[] {
  const end = c.closedAt ?? asOf;
  const from = addDays(c.filedAt, 30);
  if (from >= end) return [];
  const { perCase, perCaseOpenAYear, kinds } = FACT_SHARES.complaints;
  if (!rng.chance(c.closedAt === null && daysBetween(c.filedAt, asOf) > 365 ? perCaseOpenAYear : perCase)) return [];
  const n = rng.chance(0.7) ? 1 : rng.chance(0.67) ? 2 : 3;
  const dates = Array.from({ length: n }, () => addDays(from, rng.int(0, daysBetween(from, end)))).sort();
  return dates.map((receivedAt, i) => {
    const k = rng.next();
    const kind =
      k < kinds.PASSIVE_EXECUTION
        ? 'PASSIVE_EXECUTION'
        : k < kinds.PASSIVE_EXECUTION + kinds.IMPROPER_EXECUTION
          ? 'IMPROPER_EXECUTION'
          : 'OTHER';
    const o = rng.next();
    // Handled within about two months (信访 rules); the older ones carry an outcome, a fifth of them substantiated.
    const outcome = daysBetween(receivedAt, asOf) < 60 ? 'PENDING' : o < 0.2 ? 'SUBSTANTIATED' : o < 0.7 ? 'UNSUBSTANTIATED' : 'WITHDRAWN';
    return { case_number: c.number, seq: i + 1, received_at: receivedAt, kind, outcome };
  });
}

/**
 * The progress of a conduct case that records an action: the first measure towards the conduct (a 责令 order) soon after
 * filing and not after the latest action, partial performance later for some, performance on a case closed as fully
 * executed. A case with no action recorded gets none (no action, no progress: LONG_UNEXECUTED's conduct limb).
 */
export function conductEventsFor(
  rng: Random,
  c: CaseLike & { closure: string | null; lastActionAt: string | null; conductOrdered: string },
): ConductEventRow[] {
  if (c.lastActionAt === null) return [];
  const events: Omit<ConductEventRow, 'seq'>[] = [];
  const first = addDays(c.filedAt, rng.int(0, Math.min(120, daysBetween(c.filedAt, c.lastActionAt))));
  events.push({ case_number: c.number, occurred_at: first, kind: 'MEASURE_TAKEN', description: `责令被执行人${c.conductOrdered}` });
  if (first < c.lastActionAt && rng.chance(FACT_SHARES.conduct.partlyPerformed))
    events.push({
      case_number: c.number,
      occurred_at: addDays(first, rng.int(1, daysBetween(first, c.lastActionAt))),
      kind: 'PARTLY_PERFORMED',
      description: `被执行人部分履行：${c.conductOrdered}`,
    });
  if (c.closure === 'FULLY_EXECUTED' && c.closedAt !== null)
    events.push({ case_number: c.number, occurred_at: c.closedAt, kind: 'PERFORMED', description: `履行完毕：${c.conductOrdered}` });
  return events.map((e, i) => ({ ...e, seq: i + 1 }));
}

/** The related cases outside Sichuan of one identified debtor (numbers kept unique by `nextSequence`). */
export function externalCasesFor(
  rng: Random,
  debtor: { id: string; kind: string; caseCount: number },
  asOf: string,
  nextSequence: () => number,
): ExternalCaseRow[] {
  if (debtor.kind !== 'LEGAL_PERSON') return [];
  const { serialCompany, otherCompany } = FACT_SHARES.externalCases;
  if (!rng.chance(debtor.caseCount >= 5 ? serialCompany : otherCompany)) return [];
  const n = rng.int(1, 3);
  return Array.from({ length: n }, () => {
    const court = pickWeighted(rng, EXTERNAL_COURTS);
    const filedAt = addDays(asOf, -rng.int(30, 6 * 365));
    const closed = rng.chance(0.4) && daysBetween(filedAt, asOf) > 90;
    const type = rng.chance(0.85) ? '执' : '执恢';
    return {
      number: `(${filedAt.slice(0, 4)})${court.code}${type}${nextSequence()}号`,
      province: court.code.slice(0, 1),
      court_code: court.code,
      court_name: court.name,
      type_code: type,
      debtor_id: debtor.id,
      status: closed ? 'CLOSED' : 'EXECUTING',
      filed_at: filedAt,
      closed_at: closed ? addDays(filedAt, rng.int(60, daysBetween(filedAt, asOf))) : null,
      amount_due: rng.chance(0.9) ? Math.round(rng.lognormal(800_000, 1.2)) * 100 : null,
    } satisfies ExternalCaseRow;
  });
}

/**
 * A case's Art. 13 periods as drawn: never overlapping within a case (docs/import.md), inside the case's life (on or
 * after filing, ended by its closing), and running on (no end) when an open case's period would end after `asOf`.
 */
export class ExcludedPeriods {
  private readonly byCase = new Map<string, ExcludedPeriodRow[]>();

  constructor(private readonly asOf: string) {}

  /** Adds a period of `days` days from `startsAt` unless it overlaps one of the case's or lies outside its life. */
  add(c: CaseLike, kind: ExcludedPeriodKind, startsAt: string, days: number, basis: string | null = null): boolean {
    const end = c.closedAt ?? this.asOf;
    if (startsAt < c.filedAt || startsAt > end) return false;
    let endsAt: string | null = addDays(startsAt, days - 1);
    if (endsAt > end) endsAt = c.closedAt === null ? null : c.closedAt;
    const list = this.byCase.get(c.number) ?? [];
    const overlaps = list.some((p) => (p.ends_at === null || startsAt <= p.ends_at) && (endsAt === null || p.starts_at <= endsAt));
    if (overlaps) return false;
    list.push({ case_number: c.number, kind, starts_at: startsAt, ends_at: endsAt, basis });
    this.byCase.set(c.number, list);
    return true;
  }

  /** The periods a case may draw by itself (suspension, stay, public notice, jurisdiction dispute). */
  drawFor(rng: Random, c: CaseLike): void {
    const span = daysBetween(c.filedAt, c.closedAt ?? this.asOf);
    if (c.status === 'FILED' || span < 40) return;
    const { SUSPENSION, STAY, PUBLIC_NOTICE, JURISDICTION_DISPUTE } = FACT_SHARES.periods;
    const at = () => addDays(c.filedAt, rng.int(20, span - 10));
    // 中止: an outsider's objection, the debtor's bankruptcy or death; one to eight months.
    if (rng.chance(SUSPENSION)) this.add(c, 'SUSPENSION', at(), rng.int(30, 240), `${c.number.replace(/号$/, '')}之一号`);
    // 暂缓: at most three months (暂缓执行规定 Art. 10), on a guarantee or a settlement.
    if (rng.chance(STAY)) this.add(c, 'STAY', at(), rng.int(15, 90));
    // 公告: service by public notice runs 30 days (民事诉讼法), plus the time to respond.
    if (rng.chance(PUBLIC_NOTICE)) this.add(c, 'PUBLIC_NOTICE', at(), rng.int(30, 60));
    if (rng.chance(JURISDICTION_DISPUTE)) this.add(c, 'JURISDICTION_DISPUTE', at(), rng.int(30, 90));
  }

  rows(): ExcludedPeriodRow[] {
    return [...this.byCase.values()].flat();
  }
}

const bankName = (rng: Random, city: string) => `${rng.pick(LENDING_BANKS)}股份有限公司${city}分行`;

/**
 * The mortgages and pledges on one property: a first-rank bank loan secured on most encumbered property (50–90% of its
 * value), a second rank to a company or a person for some; registered one to six years before the first seizure.
 */
export function encumbrancesFor(
  rng: Random,
  p: { id: string; kind: PropertyKind; value: number; city: string; prefecture: string | null; firstImposedAt: string | null },
  asOf: string,
): EncumbranceRow[] {
  const share = FACT_SHARES.encumbrances[p.kind];
  if (!share || !rng.chance(share.share)) return [];
  const kind = p.kind === 'EQUITY' || p.kind === 'RECEIVABLE' ? 'PLEDGE' : 'MORTGAGE';
  const before = p.firstImposedAt ?? asOf;
  const registeredAt = addDays(before, -rng.int(365, 6 * 365));
  const rows: EncumbranceRow[] = [
    {
      id: `${p.id}-E1`,
      property_id: p.id,
      kind,
      holder_name: bankName(rng, p.city),
      holder_kind: 'FINANCIAL_INSTITUTION',
      secured_amount: Math.max(1_00, Math.round((p.value * rng.real(0.5, 0.9)) / 100) * 100),
      rank: 1,
      registered_at: registeredAt,
      enforced_in_case: null,
    },
  ];
  if (rng.chance(share.secondRank)) {
    const natural = rng.chance(0.4);
    rows.push({
      id: `${p.id}-E2`,
      property_id: p.id,
      kind,
      holder_name: natural ? personName(rng, rng.chance(0.5) ? 'MALE' : 'FEMALE', p.prefecture) : companyName(rng, p.city),
      holder_kind: natural ? 'NATURAL_PERSON' : 'LEGAL_PERSON',
      secured_amount: Math.max(1_00, Math.round((p.value * rng.real(0.1, 0.3)) / 100) * 100),
      rank: 2,
      registered_at: addDays(registeredAt, rng.int(30, Math.max(30, daysBetween(registeredAt, before) - 1))),
      enforced_in_case: null,
    });
  }
  return rows;
}
