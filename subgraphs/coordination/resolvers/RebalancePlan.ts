import { isImplementationCase, typeCodeOf } from '../../../domain/caseKinds';
import { checkRebalanceAuthority } from '../../../domain/scope';
import { errors } from '../../../domain/errorCatalogue';
import { yuanToFen } from '../../../domain/money';
import { planRebalance } from '../../../domain/rules/rebalance';
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
    if (!p.fromCourt || !p.courts || !p.openCases || p.maxCases === undefined) {
      throw errors.defect(`RebalancePlan ${p.id}: the facts this proposal requires were not supplied`);
    }
    checkRebalanceAuthority(ctx.viewer, p.fromCourt.code);
    // Only implementation cases move (issue 14 item 3; decideTransfer refuses the others).
    const cases = p.openCases
      .filter((c) => isImplementationCase(typeCodeOf(c.number) ?? '执'))
      .map((c) => ({
        number: c.number,
        filedAt: c.filedAt,
        partyDivisions: [...c.debtors, ...c.applicants].map((x) => x.divisionCode),
        // Properties held by the case's lineage: measures in effect or waiting.
        properties: c.measures
          .filter((m) => m.status === 'IN_EFFECT' || m.status === 'WAITING')
          .map((m) => ({
            divisionCode: m.property.divisionCode,
            value: m.property.estimatedValue === null ? null : yuanToFen(m.property.estimatedValue),
          })),
      }));
    return planRebalance(courtFact(p.fromCourt), cases, p.courts.map(courtFact), p.maxCases, ctx.config);
  },
};
