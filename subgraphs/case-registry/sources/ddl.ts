import type { CaseCategory, CaseTypeCode } from '../../../domain/caseNumber';
import type { ComplaintKind, ComplaintOutcome } from '../../../domain/complaints';
import type { ConductEventKind } from '../../../domain/conduct';
import type { CourtLevel } from '../../../domain/courtCode';
import type { ExcludedPeriodKind } from '../../../domain/excludedPeriods';
import type { SupervisionOutcome } from '../../../domain/supervision';

/**
 * The case registry's rows (执行案件管理), the Kysely database interface: the one shape of each table, written through
 * tables.ts. Money is integer fen; dates are ISO `YYYY-MM-DD` text. The SQLite DDL is the adapter's (sqlite.ts); the
 * transfer workflow's tables are not the registry's (workflowDdl.ts).
 */

/** How a case was closed (结案方式); `TERMINATED` is also how a sending court closes a transferred case. */
export type Closure = 'FULLY_EXECUTED' | 'TERMINATED_THIS_ROUND' | 'TERMINATED' | 'NOT_ENFORCED' | 'WITHDRAWN' | 'REJECTED';

export interface CourtRow {
  code: string;
  name: string;
  level: CourtLevel;
  prefecture: string | null;
  parent: string | null;
  division_code: string;
  special: number;
}

export interface PersonRow {
  id: string;
  kind: 'LEGAL_PERSON' | 'NATURAL_PERSON';
  name: string;
  name_key: string;
  division_code: string | null;
  out_of_province: number;
}

export interface CaseRow {
  number: string;
  year: number;
  court_code: string;
  type_code: CaseTypeCode;
  sequence: number;
  executing_court: string;
  status: 'FILED' | 'EXECUTING' | 'CLOSED';
  filed_at: string;
  closed_at: string | null;
  closure: Closure | null;
  obligation: 'MONEY' | 'CONDUCT';
  category: CaseCategory;
  conduct_ordered: string | null;
  amount_due: number | null;
  amount_recovered: number;
  handler_id: string | null;
  lineage_root: string;
  transferred_from: string | null;
  /**
   * The preservation case (执保) this execution case continues (财产保全规定 Art. 17): it joins that case's lineage,
   * so the preservation measures continue as its own with their original dates. Not a transfer: null otherwise.
   */
  continues?: string | null;
  last_action_at: string | null;
  /** 执行和解: the day the parties' settlement agreement was recorded; null when none was. */
  settled_at: string | null;
}

export interface CasePartyRow {
  case_number: string;
  role: 'DEBTOR' | 'APPLICANT';
  position: number;
  person_id: string | null;
  name: string;
  name_key: string;
  kind: 'LEGAL_PERSON' | 'NATURAL_PERSON';
  division_code: string | null;
}

/**
 * A related case in a court of another province (外省关联案件), linked to a debtor of the registry by its identifier:
 * recorded as evidence of cross-region complexity, never a case of the province (no transfer moves it).
 */
export interface ExternalCaseRow {
  number: string;
  /** The province's abbreviation (鲁, 粤, …). */
  province: string;
  court_code: string;
  court_name: string;
  type_code: CaseTypeCode;
  debtor_id: string;
  status: 'FILED' | 'EXECUTING' | 'CLOSED';
  filed_at: string;
  closed_at: string | null;
  amount_due: number | null;
}

/** A complaint (信访) recorded against a case: the `seq`-th of that case, when received, its kind and outcome. */
export interface ComplaintRow {
  case_number: string;
  seq: number;
  received_at: string;
  kind: ComplaintKind;
  outcome: ComplaintOutcome;
}

/** A dated progress event of a case's conduct obligation (domain/conduct.ts): the `seq`-th of that case. */
export interface ConductEventRow {
  case_number: string;
  seq: number;
  occurred_at: string;
  kind: ConductEventKind;
  /** What was done, in the court's words (销毁侵权设备12台). */
  description: string;
}

/**
 * A period 执行程序若干问题的解释 Art. 13 leaves out of a case's six months (中止, 暂缓, public notice, appraisal,
 * jurisdiction dispute, coordination): both days counted; `ends_at` null while it runs. A case's periods do not overlap.
 */
export interface ExcludedPeriodRow {
  case_number: string;
  kind: ExcludedPeriodKind;
  starts_at: string;
  ends_at: string | null;
  /** The ruling or decision that ordered it (e.g. the 中止 ruling's number), as recorded; null when none is. */
  basis: string | null;
}

/** A higher court's supervision (督办) of a case: when, by which court, and what came of it. */
export interface SupervisionOrderRow {
  case_number: string;
  supervised_at: string;
  supervising_court: string;
  outcome: SupervisionOutcome;
  note: string | null;
}

/**
 * The last sequence number given out per court, year and type code: new case numbers are allocated by updating this
 * row in the writing transaction (its row lock, or SQLite's write lock, orders concurrent writers), never from memory.
 * A missing row, or one behind the cases a seed or an import wrote, is caught up from the cases themselves.
 */
export interface CaseNumberCounterRow {
  court_code: string;
  year: number;
  type_code: CaseTypeCode;
  last_sequence: number;
}

export interface CaseRegistryDatabase {
  courts: CourtRow;
  persons: PersonRow;
  cases: CaseRow;
  case_parties: CasePartyRow;
  external_cases: ExternalCaseRow;
  complaints: ComplaintRow;
  conduct_events: ConductEventRow;
  case_excluded_periods: ExcludedPeriodRow;
  case_supervision_orders: SupervisionOrderRow;
  case_number_counters: CaseNumberCounterRow;
}

/** The workflow's row types, re-exported where the codegen mappers and resolvers have always found them. */
export type { SupervisionEventRow, TransferRow } from './workflowDdl';
