import type { DecisionInput } from '../../../domain/transfers';
import type { SupervisionEventKind, SupervisionEventRow } from './workflowDdl';
import type { CaseRecord, TransferFilter, TransferRecord, TransferredCaseRecord } from './records';

import type { WriteContext } from '../../../lib/recordedWrite';

export type { WriteContext };

export interface SupervisionEventInput {
  transferId: string;
  author: string;
  kind: Exclude<SupervisionEventKind, 'DECIDED' | 'ASSIGNED'>;
  note: string;
}

/**
 * The product's transfer workflow (交叉执行): decisions, the cases they covered, supervision, and the audit log and
 * idempotency keys of its writes. Not part of any existing system: a decision's writes in the registry (closing a
 * case, opening its continuation) go through CaseRegistrySource inside the workflow's one transaction. Batch reads
 * answer in key order with ONE statement, whatever the number of keys.
 */
/** Debtors whose facts a write changed, after a position of the write log, and the position reached (ADR 14). */
export interface DebtorChangesRecord {
  debtorIds: string[];
  cursor: number;
  hasMore: boolean;
}

export interface TransferWorkflowStore {
  /**
   * The identified debtors of the cases decided on by accepted decisions recorded after `after` in the audit log, at
   * most `limit` decisions; `after` null gives no debtors and the latest position (a starting point).
   */
  debtorsChangedByDecisions(after: number | null, limit: number): Promise<DebtorChangesRecord>;
  transfersById(ids: readonly string[]): Promise<(TransferRecord | null)[]>;
  /** The cases each decision covered, in case-number order. */
  transferredCases(transferIds: readonly string[]): Promise<TransferredCaseRecord[][]>;
  /**
   * Each debtor's decision history: every case a decision covered that names the debtor, oldest decision first (the
   * escalation rule of an assessment reads it).
   */
  transferHistoryByDebtor(debtorIds: readonly string[]): Promise<TransferredCaseRecord[][]>;
  /** Decisions that covered or opened each case, oldest first. */
  transfersByCase(numbers: readonly string[]): Promise<TransferRecord[][]>;
  /** One page of decisions, newest first, after the (decidedAt, id) position given. */
  transfersPage(
    filter: TransferFilter,
    first: number,
    after: { decidedAt: string; id: string } | null,
  ): Promise<{ rows: TransferRecord[]; hasNextPage: boolean }>;
  /** How many decisions `transfersPage` lists in all under the filter (one count statement). */
  countTransfers(filter: TransferFilter): Promise<number>;
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
  addSupervisionEvent(
    input: SupervisionEventInput,
    ctx: WriteContext,
    path: string,
  ): Promise<{ transferId: string; seq: number; replayed: boolean }>;
  assignSupervisor(
    transferId: string,
    supervisor: string,
    ctx: WriteContext,
    path: string,
  ): Promise<{ transferId: string; replayed: boolean }>;
  close(): Promise<void>;
}
