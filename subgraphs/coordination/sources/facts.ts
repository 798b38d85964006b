import { typeCodeOf } from '../../../domain/caseKinds';
import { errors } from '../../../domain/errorCatalogue';
import { yuanToFen } from '../../../domain/money';
import type { DebtorFacts } from '../../../domain/rules/facts';
import type { TransferredCaseFact } from '../../../domain/rules/progress';
import type { DebtorRepresentation, TransferredCaseRepresentation } from './records';

/**
 * Turns the facts the owning subgraphs supplied (through `@requires`) into the rules' plain records. A missing
 * field means the gateway did not honour the requirement: that is a defect, never a reason to guess.
 */
export function debtorFacts(rep: DebtorRepresentation): DebtorFacts {
  if (!rep.unclosedCases || !rep.properties || !rep.transferHistory) {
    throw errors.defect(`Debtor ${rep.id}: the facts this assessment requires were not supplied`);
  }
  return {
    id: rep.id,
    divisionCode: rep.divisionCode ?? null,
    unclosedCases: rep.unclosedCases.map((c) => ({
      number: c.number,
      courtCode: c.executingCourt.code,
      filedAt: c.filedAt,
      lastActionAt: c.lastActionAt,
      amountDue: c.amountDue === null ? null : yuanToFen(c.amountDue),
      amountRecovered: yuanToFen(c.amountRecovered),
      category: c.category,
      // The type code is part of the case number (案号), which every system already keys the case on.
      typeCode: typeCodeOf(c.number) ?? '执',
    })),
    properties: rep.properties.map((p) => ({
      id: p.id,
      kind: p.kind,
      prefecture: p.prefecture,
      divisionCode: p.divisionCode,
      estimatedValue: p.estimatedValue === null ? null : yuanToFen(p.estimatedValue),
      undisposedSince: p.undisposedSince,
      disposalStage: p.disposalStage,
      measures: p.measures.map((m) => ({ courtCode: m.court.code, status: m.status })),
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
  };
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
