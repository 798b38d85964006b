import type { Kysely } from 'kysely';
import type { CaseCategory, CaseTypeCode } from '../../../domain/caseNumber';
import type { CourtLevel } from '../../../domain/courtCode';
import type { DecisionCase } from '../../../domain/transfers';
import type {
  CaseAggregateRecord,
  CaseColumn,
  CasePartyRecord,
  CaseRecord,
  ComplaintRecord,
  ConductEventRecord,
  CourtRecord,
  ExcludedPeriodRecord,
  ExternalCaseRecord,
  LineageCarrierRecord,
  PersonRecord,
  SupervisionOrderRecord,
} from './records';
import type { CaseRegistryDatabase } from './ddl';

/**
 * The transaction a transfer's registry writes run in: the workflow's one transaction on the registry's database
 * (lib/writeTransaction), as a Kysely handle bound to its connection.
 */
export type RegistryTransaction = Kysely<CaseRegistryDatabase>;

/**
 * One status, `UNCLOSED` (filed or executing), `TERMINATED_THIS_ROUND` (closed as 终本 and not resumed: no case opened
 * from it or continuing it), or null for every case.
 */
export type CaseStatusFilter = 'FILED' | 'EXECUTING' | 'CLOSED' | 'UNCLOSED' | 'TERMINATED_THIS_ROUND' | null;

/** What a transfer decision checks of a case, and what it had recovered when decided on. */
export interface TransferCaseFacts extends DecisionCase {
  amountRecovered: number;
}

/**
 * The narrow interface over the case registry (执行案件管理). Every batch method takes a list of keys and
 * answers in key order (null or an empty list for a missing key) with ONE statement against the system,
 * whatever the number of keys. An integration engineer wraps a real registry by implementing this, and only this:
 * the transfer workflow's decisions, supervision, audit and idempotency are the product's (workflowStore.ts).
 */
export interface CaseRegistrySource {
  courtsByCode(codes: readonly string[]): Promise<(CourtRecord | null)[]>;
  courts(filter: { level?: CourtLevel | null; prefecture?: string | null }): Promise<CourtRecord[]>;
  childCourts(codes: readonly string[]): Promise<CourtRecord[][]>;
  openCaseCounts(codes: readonly string[]): Promise<number[]>;
  /** Debtors: identified parties that at least one case names as a debtor; null for anyone else. */
  personsById(ids: readonly string[]): Promise<(PersonRecord | null)[]>;
  /**
   * Debtors against whom one of the given courts executes a case; null for anyone else, unknown or not, in the same
   * one statement (a viewer outside a debtor's scope must not tell it from an unknown identifier).
   */
  visiblePersonsById(ids: readonly string[], courts: readonly string[]): Promise<(PersonRecord | null)[]>;
  casesByNumber(numbers: readonly string[]): Promise<(CaseRecord | null)[]>;
  /**
   * Cases naming each person as a debtor, newest first. With `columns`, each row holds only those columns (a list's
   * selection reads no more, resolvers/Case.ts `caseColumnsFor`); without, the whole row.
   */
  casesByDebtor(ids: readonly string[], status: CaseStatusFilter, columns?: readonly CaseColumn[] | null): Promise<CaseRecord[][]>;
  /**
   * Chain debts (连环债): per person, the cases naming it as an applicant that are not concluded (unclosed, or 终本 not
   * resumed) and still owe money (amount due above amount recovered), largest outstanding first.
   */
  claimsByApplicant(ids: readonly string[]): Promise<CaseRecord[][]>;
  casesByHandler(ids: readonly string[], status: CaseStatusFilter): Promise<CaseRecord[][]>;
  /** The conduct obligation's progress events of each case, oldest first. */
  conductEventsByCase(numbers: readonly string[]): Promise<ConductEventRecord[][]>;
  /** Complaints (信访) recorded against each case, oldest received first. */
  complaintsByCase(numbers: readonly string[]): Promise<ComplaintRecord[][]>;
  /** Related cases in other provinces' courts linked to each debtor (外省关联案件), newest filed first. */
  externalCasesByDebtor(ids: readonly string[]): Promise<ExternalCaseRecord[][]>;
  partiesByCase(numbers: readonly string[]): Promise<CasePartyRecord[][]>;
  /** Each case's periods 执行程序若干问题的解释 Art. 13 leaves out of its six months, oldest first. */
  excludedPeriodsByCase(numbers: readonly string[]): Promise<ExcludedPeriodRecord[][]>;
  /** Each case's supervision by higher courts (督办), oldest first. */
  supervisionOrdersByCase(numbers: readonly string[]): Promise<SupervisionOrderRecord[][]>;
  /** Case numbers of each lineage (by lineage root), oldest first. */
  lineageNumbers(roots: readonly string[]): Promise<string[][]>;
  /**
   * For each case number, the lineage it belongs to as it stands today: the newest case of that lineage (the one no
   * later case continues) and its executing court, the court that carries the lineage's measures; null for an unknown
   * case. One statement for the whole batch.
   */
  lineageCarriers(numbers: readonly string[]): Promise<(LineageCarrierRecord | null)[]>;
  /** For each case number, the case opened from it by a transfer, if any. */
  transferredTo(numbers: readonly string[]): Promise<(CaseRecord | null)[]>;
  /** Debtors whose normalised name contains the key, and unidentified debtor records likewise. */
  searchByNameKey(nameKey: string, limit: number): Promise<{ persons: PersonRecord[]; unidentified: CasePartyRecord[] }>;
  /** Debtors in identifier order after `after`, at most `first`, and whether more follow. */
  debtorPage(first: number, after: string | null): Promise<{ rows: PersonRecord[]; hasNextPage: boolean }>;
  /** How many debtors `debtorPage` lists in all (one count statement). */
  countDebtors(): Promise<number>;
  /** Debtors whose normalised name equals one of the keys. */
  personsByNameKey(nameKeys: readonly string[]): Promise<PersonRecord[][]>;
  /** Cross-court figures over each debtor's unclosed cases (zeros for a debtor with none). */
  caseAggregates(debtorIds: readonly string[]): Promise<CaseAggregateRecord[]>;
  /** The courts' unclosed cases of the filter, oldest filed first within each court (courts in the order given), at most `limitPerCourt` each. */
  openCasesOfCourts(courts: readonly string[], filter: OpenCaseFilter, limitPerCourt: number): Promise<CaseRecord[]>;
  /** For each debtor, whether one of the given courts executes a case against it. */
  debtorsInScope(ids: readonly string[], courts: readonly string[]): Promise<boolean[]>;
  /**
   * The registry's part of a transfer (what a transfer really writes in the registry), called by the transfer
   * workflow inside its one transaction `tx` (every statement on it, none on the registry's own handle). The
   * facts a decision checks for each case number, read inside that transaction (null for an unknown case).
   */
  decisionCases(tx: RegistryTransaction, numbers: readonly string[]): Promise<(TransferCaseFacts | null)[]>;
  /** Closes a case at the sending court as terminated by a transfer; false if it was closed already. */
  closeAsTransferred(tx: RegistryTransaction, number: string, day: string): Promise<boolean>;
  /**
   * Opens the continuation of a case at the receiving court under the next number for that court, year and type, in
   * the same lineage and with the same parties; returns the new case. The number is allocated in the database
   * (`case_number_counters`, a row per court, year and type updated in the transaction), so two decisions at once —
   * in one process or in two — never take the same one.
   */
  openContinuation(tx: RegistryTransaction, fromNumber: string, receivingCourt: string, day: string): Promise<CaseRecord>;
  /**
   * Resumes a case closed as 终本 (恢复执行): opens its 执恢 continuation at `court` under that court's next 执恢 number
   * for the day's year, in the same lineage and with the same parties, linked as opened from it by the transfer
   * (`byTransfer`, a mode that moves cases) or as its continuation at its own court; the 终本 case stays closed as it
   * was. Returns the new case.
   */
  resumeCase(tx: RegistryTransaction, fromNumber: string, court: string, day: string, byTransfer: boolean): Promise<CaseRecord>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Which open cases a rebalancing plan reads: case type codes, categories left out, and optionally one category. */
export interface OpenCaseFilter {
  typeCodes: readonly CaseTypeCode[];
  excludedCategories: readonly CaseCategory[];
  category: string | null;
}
