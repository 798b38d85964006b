import type { CourtLevel } from '../../../domain/courtCode';
import type { DecisionInput } from '../../../domain/transfers';
import type { SupervisionEventInput, WriteContext } from './decisions';
import type { SupervisionEventRow } from './ddl';
import type { CaseAggregateRecord, CasePartyRecord, CaseRecord, CourtRecord, PersonRecord, TransferFilter, TransferRecord, TransferredCaseRecord } from './records';

/** One status, `UNCLOSED` (filed or executing), or null for every case. */
export type CaseStatusFilter = 'FILED' | 'EXECUTING' | 'CLOSED' | 'UNCLOSED' | null;

/**
 * The narrow interface over the case registry (执行案件管理). Every batch method takes a list of keys and
 * answers in key order (null or an empty list for a missing key) with ONE statement against the system,
 * whatever the number of keys. An integration engineer wraps a real registry by implementing this.
 */
export interface CaseRegistrySource {
  courtsByCode(codes: readonly string[]): Promise<(CourtRecord | null)[]>;
  courts(filter: { level?: CourtLevel | null; prefecture?: string | null }): Promise<CourtRecord[]>;
  childCourts(codes: readonly string[]): Promise<CourtRecord[][]>;
  openCaseCounts(codes: readonly string[]): Promise<number[]>;
  /** Debtors: identified parties that at least one case names as a debtor; null for anyone else. */
  personsById(ids: readonly string[]): Promise<(PersonRecord | null)[]>;
  casesByNumber(numbers: readonly string[]): Promise<(CaseRecord | null)[]>;
  /** Cases naming each person as a debtor, newest first. */
  casesByDebtor(ids: readonly string[], status: CaseStatusFilter): Promise<CaseRecord[][]>;
  casesByHandler(ids: readonly string[], status: CaseStatusFilter): Promise<CaseRecord[][]>;
  partiesByCase(numbers: readonly string[]): Promise<CasePartyRecord[][]>;
  /** Case numbers of each lineage (by lineage root), oldest first. */
  lineageNumbers(roots: readonly string[]): Promise<string[][]>;
  /** For each case number, the case opened from it by a transfer, if any. */
  transferredTo(numbers: readonly string[]): Promise<(CaseRecord | null)[]>;
  /** Debtors whose normalised name contains the key, and unidentified debtor records likewise. */
  searchByNameKey(nameKey: string, limit: number): Promise<{ persons: PersonRecord[]; unidentified: CasePartyRecord[] }>;
  /** Debtors in identifier order after `after`, at most `first`, and whether more follow. */
  debtorPage(first: number, after: string | null): Promise<{ rows: PersonRecord[]; hasNextPage: boolean }>;
  /** Debtors whose normalised name equals one of the keys. */
  personsByNameKey(nameKeys: readonly string[]): Promise<PersonRecord[][]>;
  /** Cross-court figures over each debtor's unclosed cases (zeros for a debtor with none). */
  caseAggregates(debtorIds: readonly string[]): Promise<CaseAggregateRecord[]>;
  transfersById(ids: readonly string[]): Promise<(TransferRecord | null)[]>;
  /** The cases each decision covered, in case-number order. */
  transferredCases(transferIds: readonly string[]): Promise<TransferredCaseRecord[][]>;
  /** Decisions that covered or opened each case, oldest first. */
  transfersByCase(numbers: readonly string[]): Promise<TransferRecord[][]>;
  /** One page of decisions, newest first, after the (decidedAt, id) position given. */
  transfersPage(filter: TransferFilter, first: number, after: { decidedAt: string; id: string } | null): Promise<{ rows: TransferRecord[]; hasNextPage: boolean }>;
  /** Every case covered by decisions matching the filter (for statistics). */
  transferredCasesMatching(filter: TransferFilter): Promise<TransferredCaseRecord[]>;
  /** Cases each court received by transfer. */
  receivedTransferCases(courtCodes: readonly string[]): Promise<CaseRecord[][]>;
  /** Supervision events of each decision, oldest first. */
  supervisionEvents(transferIds: readonly string[]): Promise<SupervisionEventRow[][]>;
  /**
   * Records decisions in one transaction under an idempotency key (all or nothing); `paths` name each input in
   * refusals (`input`, `inputs[1]`).
   */
  decideTransfers(inputs: DecisionInput[], ctx: WriteContext, paths: string[]): Promise<{ transferIds: string[]; replayed: boolean }>;
  addSupervisionEvent(input: SupervisionEventInput, ctx: WriteContext, path: string): Promise<{ transferId: string; seq: number; replayed: boolean }>;
  assignSupervisor(transferId: string, supervisor: string, ctx: WriteContext, path: string): Promise<{ transferId: string; replayed: boolean }>;
  /** A court's unclosed cases, optionally of one category, oldest filed first, at most `limit`. */
  openCasesOfCourt(court: string, category: string | null, limit: number): Promise<CaseRecord[]>;
  /** For each debtor, whether one of the given courts executes a case against it. */
  debtorsInScope(ids: readonly string[], courts: readonly string[]): Promise<boolean[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
