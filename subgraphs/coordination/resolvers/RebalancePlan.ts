import { CASE_TYPE_BY_ENUM, type CaseType } from '../../../domain/caseNumber';
import { checkRebalanceAuthority } from '../../../domain/scope';
import { errors } from '../../../domain/errorCatalogue';
import { yuanToFen } from '../../../domain/money';
import { planRebalance, type RebalanceCase } from '../../../domain/rules/rebalance';
import type { CourtFact } from '../../../domain/rules/facts';
import type { RebalancePlanResolvers } from '../generated/resolvers-types';
import type { CourtLoadRepresentation } from '../sources/records';

const courtFact = (c: CourtLoadRepresentation): CourtFact => {
  if (c.enforcementStaffCount === null) {
    throw errors.sourceUnavailable('personnel', 'the personnel roster did not supply enforcement staff counts; the proposal needs them');
  }
  return {
    code: c.code,
    level: c.level,
    prefecture: c.prefecture,
    divisionCode: c.divisionCode,
    openCaseCount: c.openCaseCount,
    enforcementStaffCount: c.enforcementStaffCount,
  };
};

export const RebalancePlan: RebalancePlanResolvers = {
  __resolveReference: (ref) => ref,
  proposal: (p, _, ctx) => {
    checkRebalanceAuthority(ctx.viewer);
    if (!p.fromCourts || p.fromCourts.length === 0 || !p.courts || !p.openCases || p.maxCases === undefined) {
      throw errors.defect(`RebalancePlan ${p.id}: the facts this proposal requires were not supplied`);
    }
    for (const c of p.fromCourts) checkRebalanceAuthority(ctx.viewer, c.code);
    const cases = p.openCases.map((c): RebalanceCase => ({
      number: c.number,
      court: c.executingCourt.code,
      filedAt: c.filedAt,
      typeCode: CASE_TYPE_BY_ENUM[c.type as CaseType] ?? c.type,
      category: c.category,
      // Where the parties are: the debtors' domiciles, not the applicants' seats.
      debtorDivisions: c.debtors.map((x) => x.divisionCode),
      // Properties held by the case's lineage: measures in effect or waiting.
      properties: c.measures
        .filter((m) => m.status === 'IN_EFFECT' || m.status === 'WAITING')
        .map((m) => ({
          divisionCode: m.property.divisionCode,
          value: m.property.estimatedValue === null ? null : yuanToFen(m.property.estimatedValue),
        })),
    }));
    return planRebalance(p.fromCourts.map(courtFact), cases, p.courts.map(courtFact), p.maxCases, ctx.config);
  },
};
