import type { Insertable } from 'kysely';
import type {
  CasePartyRow,
  CaseRow,
  ComplaintRow,
  ConductEventRow,
  ExcludedPeriodRow,
  ExternalCaseRow,
  PersonRow,
  SupervisionOrderRow,
} from '../subgraphs/case-registry/sources/ddl';
import type { OfficerRow } from '../subgraphs/personnel/sources/ddl';
import type { DisposalStepRow, EncumbranceRow, MeasureRow, PropertyRow } from '../subgraphs/property-control/sources/ddl';
import type {
  CaseImport,
  ComplaintImport,
  ConductEventImport,
  DisposalStepImport,
  EncumbranceImport,
  ExcludedPeriodImport,
  ExternalCaseImport,
  MeasureImport,
  OfficerImport,
  PartyRow,
  PropertyImport,
  SupervisionOrderImport,
} from './rows';

/*
 * A validated record as the rows of the system's tables (ddl.ts), the same for both dialects' write paths
 * (importFile.ts on SQLite, postgres.ts on PostgreSQL). Flags are stored as 0/1 on both.
 */

const flag = (b: boolean) => (b ? 1 : 0);

/**
 * A party's person row. A row that leaves divisionCode out says nothing about the seat: a person already known (recorded,
 * or written earlier in the same file) keeps the one it has.
 */
export function personTableRow(
  p: PartyRow & { personId: string },
  known: Pick<PersonRow, 'division_code' | 'out_of_province'> | undefined,
): Insertable<PersonRow> {
  const keep = p.divisionCode === null ? known : undefined;
  return {
    id: p.personId,
    kind: p.kind,
    name: p.name,
    name_key: p.nameKey,
    division_code: p.divisionCode ?? keep?.division_code ?? null,
    out_of_province: keep ? keep.out_of_province : flag(p.divisionCode !== null && !p.divisionCode.startsWith('51')),
  };
}

export function caseTableRow(c: CaseImport, lineageRoot: string): Insertable<CaseRow> {
  return {
    number: c.number,
    year: c.year,
    court_code: c.courtCode,
    type_code: c.typeCode,
    sequence: c.sequence,
    executing_court: c.executingCourt,
    status: c.status,
    filed_at: c.filedAt,
    closed_at: c.closedAt,
    closure: c.closure,
    obligation: c.obligation,
    category: c.category,
    conduct_ordered: c.conductOrdered,
    amount_due: c.amountDue,
    amount_recovered: c.amountRecovered,
    handler_id: c.handlerId,
    lineage_root: lineageRoot,
    transferred_from: c.transferredFrom,
    continues: c.continues,
    last_action_at: c.lastActionAt,
    settled_at: c.settledAt,
  };
}

/** A case's parties, debtors then applicants, each numbered from 0 in its role (they replace the recorded ones). */
export function casePartyRows(c: CaseImport): Insertable<CasePartyRow>[] {
  const party = (role: CasePartyRow['role']) => (p: PartyRow, position: number) => ({
    case_number: c.number,
    role,
    position,
    person_id: p.personId,
    name: p.name,
    name_key: p.nameKey,
    kind: p.kind,
    division_code: p.divisionCode,
  });
  return [...c.debtors.map(party('DEBTOR')), ...c.applicants.map(party('APPLICANT'))];
}

export const conductEventTableRow = (e: ConductEventImport): Insertable<ConductEventRow> => ({
  case_number: e.caseNumber,
  seq: e.seq,
  occurred_at: e.occurredAt,
  kind: e.kind,
  description: e.description,
});

export const complaintTableRow = (c: ComplaintImport): Insertable<ComplaintRow> => ({
  case_number: c.caseNumber,
  seq: c.seq,
  received_at: c.receivedAt,
  kind: c.kind,
  outcome: c.outcome,
});

export const externalCaseTableRow = (e: ExternalCaseImport): Insertable<ExternalCaseRow> => ({
  number: e.number,
  province: e.province,
  court_code: e.courtCode,
  court_name: e.courtName,
  type_code: e.typeCode,
  debtor_id: e.debtorId,
  status: e.status,
  filed_at: e.filedAt,
  closed_at: e.closedAt,
  amount_due: e.amountDue,
});

export const excludedPeriodTableRow = (p: ExcludedPeriodImport): Insertable<ExcludedPeriodRow> => ({
  case_number: p.caseNumber,
  kind: p.kind,
  starts_at: p.startsAt,
  ends_at: p.endsAt,
  basis: p.basis,
});

export const supervisionOrderTableRow = (o: SupervisionOrderImport): Insertable<SupervisionOrderRow> => ({
  case_number: o.caseNumber,
  supervised_at: o.supervisedAt,
  supervising_court: o.supervisingCourt,
  outcome: o.outcome,
  note: o.note,
});

export const propertyTableRow = (p: PropertyImport): Insertable<PropertyRow> => ({
  id: p.id,
  kind: p.kind,
  description: p.description,
  owner_id: p.ownerId,
  owner_name: p.ownerName,
  division_code: p.divisionCode,
  prefecture: p.prefecture,
  out_of_province: flag(p.outOfProvince),
  estimated_value: p.estimatedValue,
  disposal_stage: p.disposalStage,
  undisposed_since: p.undisposedSince,
  disposal_hold_reason: p.disposalHoldReason,
});

export const measureTableRow = (m: MeasureImport): Insertable<MeasureRow> => ({
  id: m.id,
  property_id: m.propertyId,
  kind: m.kind,
  court_code: m.courtCode,
  case_number: m.caseNumber,
  imposed_at: m.imposedAt,
  period_starts_at: m.periodStartsAt,
  expires_at: m.expiresAt,
  waiting: flag(m.waiting),
  queue_position: m.queuePosition,
  renewals: m.renewals,
  released_at: m.releasedAt,
});

export const disposalStepTableRow = (s: DisposalStepImport): Insertable<DisposalStepRow> => ({
  property_id: s.propertyId,
  seq: s.seq,
  step: s.stage,
  method: s.method,
  price: s.price,
  occurred_at: s.occurredAt,
  outcome: s.succeeded ? 'DONE' : 'FAILED',
});

export const encumbranceTableRow = (e: EncumbranceImport): Insertable<EncumbranceRow> => ({
  id: e.id,
  property_id: e.propertyId,
  kind: e.kind,
  holder_name: e.holderName,
  holder_kind: e.holderKind,
  secured_amount: e.securedAmount,
  rank: e.rank,
  registered_at: e.registeredAt,
  enforced_in_case: e.enforcedInCase,
});

export const officerTableRow = (o: OfficerImport): Insertable<OfficerRow> => ({
  id: o.id,
  name: o.name,
  court_code: o.courtCode,
  post: o.post,
  enforcement: flag(o.enforcement),
  active: flag(o.active),
});
