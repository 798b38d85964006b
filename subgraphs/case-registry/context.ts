import DataLoader from 'dataloader';
import { scopeOf, type Scope } from '../../domain/scope';
import type { Viewer } from '../../lib/auth';
import type { CarrierGrantSigner } from '../../lib/carrierGrant';
import type { DistinctKeyLimiter } from '../../lib/rateLimit';
import type { CaseRegistrySource, CaseStatusFilter } from './sources/source';
import type { SupervisionEventRow } from './sources/workflowDdl';
import type { TransferWorkflowStore } from './sources/workflowStore';
import type {
  CaseAggregateRecord,
  CasePartyRecord,
  CaseRecord,
  ComplaintRecord,
  ConductEventRecord,
  CourtRecord,
  ExternalCaseRecord,
  ExcludedPeriodRecord,
  LineageCarrierRecord,
  PersonRecord,
  SupervisionOrderRecord,
  TransferRecord,
  TransferredCaseRecord,
} from './sources/records';

/**
 * Everything request-scoped for the case registry: one DataLoader per key kind, built fresh for every request
 * so no cached record crosses from one user's request to another's.
 */
export interface CaseRegistryContext {
  source: CaseRegistrySource;
  /** The product's transfer workflow: decisions, supervision, their audit and idempotency. */
  workflow: TransferWorkflowStore;
  today: string;
  viewer: Viewer;
  /** Courts whose records the viewer may see (domain/scope.ts). */
  scope: Scope;
  loaders: ReturnType<typeof createLoaders>;
  /** The process's per-viewer limit on distinct identifiers looked up (shared by requests, keyed by sub and court). */
  identifierLookups: DistinctKeyLimiter;
  /** Signs carrier grants for measures (ADR 14); null when the process has no grant key. */
  carrierGrants: CarrierGrantSigner | null;
}

function createLoaders(source: CaseRegistrySource, workflow: TransferWorkflowStore, scope: Scope) {
  const byStatus = <V>(batch: (keys: readonly string[], status: CaseStatusFilter) => Promise<V[]>) => {
    const perStatus = new Map<CaseStatusFilter, DataLoader<string, V>>();
    return (status: CaseStatusFilter) => {
      let loader = perStatus.get(status);
      if (!loader) {
        loader = new DataLoader<string, V>((keys) => batch(keys, status));
        perStatus.set(status, loader);
      }
      return loader;
    };
  };
  return {
    court: new DataLoader<string, CourtRecord | null>((codes) => source.courtsByCode(codes)),
    childCourts: new DataLoader<string, CourtRecord[]>((codes) => source.childCourts(codes)),
    openCaseCount: new DataLoader<string, number>((codes) => source.openCaseCounts(codes)),
    person: new DataLoader<string, PersonRecord | null>((ids) => source.personsById(ids)),
    /**
     * A debtor asked for by an identifier the client chose: null when unknown and null when outside the viewer's scope,
     * answered by the same one statement, so the two cannot be told apart (issue 13 item 4).
     */
    visiblePerson: new DataLoader<string, PersonRecord | null>((ids) =>
      scope.all ? source.personsById(ids) : source.visiblePersonsById(ids, scope.courts),
    ),
    case: new DataLoader<string, CaseRecord | null>((numbers) => source.casesByNumber(numbers)),
    casesByDebtor: byStatus((ids, status) => source.casesByDebtor(ids, status)),
    casesByHandler: byStatus((ids, status) => source.casesByHandler(ids, status)),
    conductEvents: new DataLoader<string, ConductEventRecord[]>((numbers) => source.conductEventsByCase(numbers)),
    complaints: new DataLoader<string, ComplaintRecord[]>((numbers) => source.complaintsByCase(numbers)),
    externalCases: new DataLoader<string, ExternalCaseRecord[]>((ids) => source.externalCasesByDebtor(ids)),
    claimsByApplicant: new DataLoader<string, CaseRecord[]>((ids) => source.claimsByApplicant(ids)),
    parties: new DataLoader<string, CasePartyRecord[]>((numbers) => source.partiesByCase(numbers)),
    excludedPeriods: new DataLoader<string, ExcludedPeriodRecord[]>((numbers) => source.excludedPeriodsByCase(numbers)),
    supervisionOrders: new DataLoader<string, SupervisionOrderRecord[]>((numbers) => source.supervisionOrdersByCase(numbers)),
    lineage: new DataLoader<string, string[]>((roots) => source.lineageNumbers(roots)),
    lineageCarrier: new DataLoader<string, LineageCarrierRecord | null>((numbers) => source.lineageCarriers(numbers)),
    transferredTo: new DataLoader<string, CaseRecord | null>((numbers) => source.transferredTo(numbers)),
    personsByNameKey: new DataLoader<string, PersonRecord[]>((keys) => source.personsByNameKey(keys)),
    caseAggregates: new DataLoader<string, CaseAggregateRecord>((ids) => source.caseAggregates(ids)),
    transfer: new DataLoader<string, TransferRecord | null>((ids) => workflow.transfersById(ids)),
    transferredCases: new DataLoader<string, TransferredCaseRecord[]>((ids) => workflow.transferredCases(ids)),
    transfersByCase: new DataLoader<string, TransferRecord[]>((numbers) => workflow.transfersByCase(numbers)),
    transferHistory: new DataLoader<string, TransferredCaseRecord[]>((ids) => workflow.transferHistoryByDebtor(ids)),
    supervisionEvents: new DataLoader<string, SupervisionEventRow[]>((ids) => workflow.supervisionEvents(ids)),
    /** Whether the viewer's courts have a case against each debtor (always true for the high court). */
    debtorInScope: new DataLoader<string, boolean>((ids) =>
      scope.all ? Promise.resolve(ids.map(() => true)) : source.debtorsInScope(ids, scope.courts),
    ),
    receivedTransferCases: new DataLoader<string, CaseRecord[]>((codes) => workflow.receivedTransferCases(codes)),
  };
}

export function createCaseRegistryContext(
  source: CaseRegistrySource,
  workflow: TransferWorkflowStore,
  today: string,
  viewer: Viewer,
  identifierLookups: DistinctKeyLimiter,
  carrierGrants: CarrierGrantSigner | null = null,
): CaseRegistryContext {
  const scope = scopeOf(viewer);
  return { source, workflow, today, viewer, scope, loaders: createLoaders(source, workflow, scope), identifierLookups, carrierGrants };
}
