import { isImplementationCase, typeCodeOf } from '../../../domain/caseKinds';
import { errors } from '../../../domain/errorCatalogue';
import { yuanToFen } from '../../../domain/money';
import type { CaseFact, CasePropertyFact, DebtorFacts } from '../../../domain/rules/facts';
import type { TransferredCaseFact } from '../../../domain/rules/progress';
import type { CaseMeasureWire, DebtorRepresentation, TransferredCaseRepresentation } from './records';

/**
 * Turns the facts the owning subgraphs supplied (through `@requires`) into the rules' plain records. A missing
 * field means the gateway did not honour the requirement: that is a defect, never a reason to guess.
 */
export function debtorFacts(rep: DebtorRepresentation): DebtorFacts {
  // A null list is a subgraph that did not answer (the gateway reports its error beside): never judged as "no property".
  // Property-control's lineage measures arrive flat on the debtor, one entry per case (`caseLineageMeasures`, ADR 21).
  const lineages = new Map((rep.caseLineageMeasures ?? []).map((l) => [l.case.number, l]));
  const factsMissing = [...(rep.unclosedCases ?? []), ...(rep.terminatedThisRoundCases ?? [])].some(
    (c) => !lineages.has(c.number) || c.excludedPeriods === undefined || c.supervisionOrders === undefined,
  );
  if (
    !rep.unclosedCases ||
    !rep.terminatedThisRoundCases ||
    !rep.properties ||
    !rep.caseCarriers ||
    !rep.caseLineageMeasures ||
    !rep.transferHistory ||
    !rep.externalCases ||
    factsMissing
  ) {
    throw errors.defect(`Debtor ${rep.id}: the facts this assessment requires were not supplied`);
  }
  const caseFact = (c: NonNullable<DebtorRepresentation['unclosedCases']>[number]): CaseFact => {
    const lineage = lineages.get(c.number)!;
    return {
      number: c.number,
      courtCode: c.executingCourt.code,
      filedAt: c.filedAt,
      lastActionAt: c.lastActionAt,
      amountDue: c.amountDue === null ? null : yuanToFen(c.amountDue),
      amountRecovered: yuanToFen(c.amountRecovered),
      category: c.category,
      // The type code is part of the case number (案号), which every system already keys the case on.
      typeCode: typeCodeOf(c.number) ?? '执',
      properties: caseProperties(lineage.measures, lineage.measuredProperties),
      complaints: c.complaints ?? [],
      // A case without an amount orders conduct, unless it is a review case (执异, 执复, …), which orders nothing.
      ordersConduct: (c.conductOrdered ?? null) !== null || (c.amountDue === null && isImplementationCase(typeCodeOf(c.number) ?? '执')),
      conductProgress: c.conductProgress ?? [],
      excludedPeriods: (c.excludedPeriods ?? []).map((p) => ({ kind: p.kind, startsAt: p.startsAt, endsAt: p.endsAt })),
      supervisionOrders: (c.supervisionOrders ?? []).map((o) => ({
        supervisedAt: o.supervisedAt,
        supervisingCourt: o.supervisingCourt.code,
        outcome: o.outcome,
      })),
    };
  };
  const carryingCourts = new Map(rep.caseCarriers.map((c) => [c.case.number, c.carryingCourt?.code]));
  return {
    id: rep.id,
    divisionCode: rep.divisionCode ?? null,
    unclosedCases: rep.unclosedCases.map(caseFact),
    terminatedThisRoundCases: rep.terminatedThisRoundCases.map((c) => ({
      ...caseFact(c),
      // The registry sends only closed 终本 cases here, so a closure date is always recorded.
      terminatedThisRoundAt: c.closedAt ?? c.filedAt,
    })),
    properties: rep.properties.map((p) => ({
      id: p.id,
      kind: p.kind,
      prefecture: p.prefecture,
      divisionCode: p.divisionCode,
      estimatedValue: p.estimatedValue === null ? null : yuanToFen(p.estimatedValue),
      undisposedSince: p.undisposedSince,
      disposalStage: p.disposalStage,
      // The holder is the court carrying the lineage of the measure's case today (the registry's carrier of the case);
      // where the registry may not tell the viewer (carryingCourt null) or the case names another debtor (not among
      // the carriers), the imposing court, as before issue 14 item 9.
      measures: p.measures.map((m) => ({
        courtCode: (m.case && carryingCourts.get(m.case.number)) ?? m.court.code,
        imposingCourtCode: m.court.code,
        status: m.status,
      })),
      encumbrances: (p.encumbrances ?? []).map((e) => ({
        id: e.id,
        kind: e.kind,
        holderName: e.holderName,
        securedAmount: yuanToFen(e.securedAmount, 'securedAmount'),
        rank: e.rank,
        enforcedInCaseNumber: e.enforcedInCaseNumber,
      })),
    })),
    history: rep.transferHistory.map((h) => ({
      transferId: h.transferId,
      mode: h.mode,
      decidingCourt: h.decidingCourt.code,
      decidedAt: h.decidedAt,
      deadline: h.deadline,
      // The entity id is the decision and the case decided on.
      caseNumber: h.id.slice(h.id.indexOf('|') + 1),
      carriedOn: h.carriedOn.number,
    })),
    externalCases: rep.externalCases.map((e) => ({ number: e.number, province: e.province, open: e.closedAt === null })),
  };
}

/**
 * The properties standing under a case lineage's measures, each with the earliest start of its standing measures and
 * whether it was disposed of (property-control's `undisposedSince` is null once disposed). Lapsed and released
 * measures no longer hold the property for the case. Null measures (property-control did not answer) mean none known.
 */
export function caseProperties(
  measures: CaseMeasureWire[] | null | undefined,
  measuredProperties: { id: string; undisposedSince: string | null }[] | null | undefined,
): CasePropertyFact[] {
  const undisposed = new Map((measuredProperties ?? []).map((p) => [p.id, p.undisposedSince]));
  const byProperty = new Map<string, CasePropertyFact>();
  for (const m of measures ?? []) {
    if (m.status !== 'IN_EFFECT' && m.status !== 'WAITING') continue;
    if (!undisposed.has(m.propertyId)) throw errors.defect(`measure ${m.id}: its property's facts were not supplied`);
    const known = byProperty.get(m.propertyId);
    const disposed = undisposed.get(m.propertyId) === null;
    if (!known || m.startsAt < known.controlledSince)
      byProperty.set(m.propertyId, { id: m.propertyId, controlledSince: m.startsAt, disposed });
  }
  return [...byProperty.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** The plain fact the progress rules judge, from the wire form the gateway supplied through @requires. */
export function transferredCaseFact(c: TransferredCaseRepresentation): TransferredCaseFact {
  if (!c.decidedAt || c.recoveredAfter === undefined || !c.carriedOn) {
    throw new Error(`transferred case ${c.id} arrived without the fields its progress requires`);
  }
  return {
    transferId: c.transferId ?? c.id.split('|')[0]!,
    mode: c.mode ?? '',
    decidedAt: c.decidedAt,
    recoveredAfter: yuanToFen(c.recoveredAfter, 'recoveredAfter'),
    propertyDisposedAt: c.propertyDisposedAt ?? null,
    carriedOn: c.carriedOn,
  };
}
