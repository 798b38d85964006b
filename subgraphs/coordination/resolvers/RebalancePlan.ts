import { CASE_TYPE_BY_ENUM, type CaseType } from '../../../domain/caseNumber';
import { checkRebalanceAuthority } from '../../../domain/scope';
import { errors } from '../../../domain/errorCatalogue';
import { yuanToFen } from '../../../domain/money';
import { planRebalance, type RebalanceCase } from '../../../domain/rules/rebalance';
import type { CourtFact } from '../../../domain/rules/facts';
import type { RebalancePlanResolvers } from '../generated/resolvers-types';
import type { CourtLoadRepresentation } from '../sources/records';

/** A court's load: the registry's facts, with the roster's staffing (personnel's flat `staffedCourts`, ADR 21). */
const courtFact =
  (staff: ReadonlyMap<string, number | null>) =>
  (c: CourtLoadRepresentation): CourtFact => {
    const enforcementStaffCount = staff.get(c.code) ?? null;
    if (enforcementStaffCount === null) {
      throw errors.sourceUnavailable('personnel', 'the personnel roster did not supply enforcement staff counts; the proposal needs them');
    }
    return {
      code: c.code,
      level: c.level,
      prefecture: c.prefecture,
      divisionCode: c.divisionCode,
      openCaseCount: c.openCaseCount,
      enforcementStaffCount,
    };
  };

export const RebalancePlan: RebalancePlanResolvers = {
  __resolveReference: (ref) => ref,
  proposal: (p, _, ctx) => {
    checkRebalanceAuthority(ctx.viewer);
    const lineages = new Map((p.openCaseMeasures ?? []).map((l) => [l.case.number, l]));
    if (
      !p.fromCourts ||
      p.fromCourts.length === 0 ||
      !p.courts ||
      !p.openCases ||
      p.maxCases === undefined ||
      !p.openCaseMeasures ||
      p.openCases.some((c) => !lineages.has(c.number))
    ) {
      throw errors.defect(`RebalancePlan ${p.id}: the facts this proposal requires were not supplied`);
    }
    // A null list is a roster that did not answer: every count is then unknown, and the proposal needs them.
    const staff = new Map((p.staffedCourts ?? []).map((c) => [c.code, c.enforcementStaffCount]));
    for (const c of p.fromCourts) checkRebalanceAuthority(ctx.viewer, c.code);
    const cases = p.openCases.map((c): RebalanceCase => {
      const lineage = lineages.get(c.number)!;
      const property = new Map(lineage.measuredProperties.map((x) => [x.id, x]));
      return {
        number: c.number,
        court: c.executingCourt.code,
        filedAt: c.filedAt,
        typeCode: CASE_TYPE_BY_ENUM[c.type as CaseType] ?? c.type,
        category: c.category,
        // Where the parties are: the debtors' domiciles, not the applicants' seats.
        debtorDivisions: c.debtors.map((x) => x.divisionCode),
        // Properties held by the case's lineage: measures in effect or waiting.
        properties: lineage.measures
          .filter((m) => m.status === 'IN_EFFECT' || m.status === 'WAITING')
          .map((m) => {
            const held = property.get(m.propertyId);
            if (!held) throw errors.defect(`measure of ${c.number}: its property's facts were not supplied`);
            return { divisionCode: held.divisionCode, value: held.estimatedValue === null ? null : yuanToFen(held.estimatedValue) };
          }),
      };
    });
    return planRebalance(p.fromCourts.map(courtFact(staff)), cases, p.courts.map(courtFact(staff)), p.maxCases, ctx.config);
  },
};
