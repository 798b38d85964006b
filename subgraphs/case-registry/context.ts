import type DataLoader from 'dataloader';
import { requestBatches } from '../../lib/requestBatches';
import { scopeOf, type Scope } from '../../domain/scope';
import type { Viewer } from '../../lib/auth';
import type { CarrierGrantSigner } from '../../lib/carrierGrant';
import type { DistinctKeyLimiter } from '../../lib/rateLimit';
import type { CaseRegistrySource, CaseStatusFilter } from './sources/source';
import type { CaseColumn } from './sources/records';
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
  // One request's loaders dispatch together (lib/requestBatches.ts): one statement per level on both dialects.
  const batches = requestBatches();
  // A loader per status and list of columns (resolvers/Case.ts `caseColumnsFor`; null, the whole row): lists of one
  // selection meet in one statement, and rows read for one selection are never handed to another.
  const byStatusAndColumns = <V>(
    batch: (keys: readonly string[], status: CaseStatusFilter, columns: readonly CaseColumn[] | null) => Promise<V[]>,
  ) => {
    const perKey = new Map<string, DataLoader<string, V>>();
    return (status: CaseStatusFilter, columns: readonly CaseColumn[] | null = null) => {
      const key = `${status}:${columns?.join(',') ?? '*'}`;
      let loader = perKey.get(key);
      if (!loader) {
        loader = batches.loader<string, V>((keys) => batch(keys, status, columns));
        perKey.set(key, loader);
      }
      return loader;
    };
  };
  /** A loader per status, of whole rows. */
  const byStatus = <V>(batch: (keys: readonly string[], status: CaseStatusFilter) => Promise<V[]>) => {
    const loaders = byStatusAndColumns<V>((keys, status) => batch(keys, status));
    return (status: CaseStatusFilter) => loaders(status);
  };
  return {
    court: batches.settledLoader<string, CourtRecord | null>((codes) => source.courtsByCode(codes)),
    childCourts: batches.loader<string, CourtRecord[]>((codes) => source.childCourts(codes)),
    openCaseCount: batches.loader<string, number>((codes) => source.openCaseCounts(codes)),
    person: batches.loader<string, PersonRecord | null>((ids) => source.personsById(ids)),
    /**
     * A debtor asked for by an identifier the client chose: null when unknown and null when outside the viewer's scope,
     * answered by the same one statement, so the two cannot be told apart (issue 13 item 4).
     */
    visiblePerson: batches.loader<string, PersonRecord | null>((ids) =>
      scope.all ? source.personsById(ids) : source.visiblePersonsById(ids, scope.courts),
    ),
    case: batches.loader<string, CaseRecord | null>((numbers) => source.casesByNumber(numbers)),
    casesByDebtor: byStatusAndColumns((ids, status, columns) => source.casesByDebtor(ids, status, columns)),
    casesByHandler: byStatus((ids, status) => source.casesByHandler(ids, status)),
    conductEvents: batches.loader<string, ConductEventRecord[]>((numbers) => source.conductEventsByCase(numbers)),
    complaints: batches.loader<string, ComplaintRecord[]>((numbers) => source.complaintsByCase(numbers)),
    externalCases: batches.loader<string, ExternalCaseRecord[]>((ids) => source.externalCasesByDebtor(ids)),
    claimsByApplicant: batches.loader<string, CaseRecord[]>((ids) => source.claimsByApplicant(ids)),
    parties: batches.loader<string, CasePartyRecord[]>((numbers) => source.partiesByCase(numbers)),
    excludedPeriods: batches.loader<string, ExcludedPeriodRecord[]>((numbers) => source.excludedPeriodsByCase(numbers)),
    supervisionOrders: batches.loader<string, SupervisionOrderRecord[]>((numbers) => source.supervisionOrdersByCase(numbers)),
    lineage: batches.loader<string, string[]>((roots) => source.lineageNumbers(roots)),
    lineageCarrier: batches.loader<string, LineageCarrierRecord | null>((numbers) => source.lineageCarriers(numbers)),
    transferredTo: batches.loader<string, CaseRecord | null>((numbers) => source.transferredTo(numbers)),
    personsByNameKey: batches.loader<string, PersonRecord[]>((keys) => source.personsByNameKey(keys)),
    caseAggregates: batches.loader<string, CaseAggregateRecord>((ids) => source.caseAggregates(ids)),
    transfer: batches.loader<string, TransferRecord | null>((ids) => workflow.transfersById(ids)),
    transferredCases: batches.loader<string, TransferredCaseRecord[]>((ids) => workflow.transferredCases(ids)),
    transfersByCase: batches.loader<string, TransferRecord[]>((numbers) => workflow.transfersByCase(numbers)),
    transferHistory: batches.loader<string, TransferredCaseRecord[]>((ids) => workflow.transferHistoryByDebtor(ids)),
    supervisionEvents: batches.loader<string, SupervisionEventRow[]>((ids) => workflow.supervisionEvents(ids)),
    /** Whether the viewer's courts have a case against each debtor (always true for the high court). */
    debtorInScope: batches.loader<string, boolean>((ids) =>
      scope.all ? Promise.resolve(ids.map(() => true)) : source.debtorsInScope(ids, scope.courts),
    ),
    receivedTransferCases: batches.loader<string, CaseRecord[]>((codes) => workflow.receivedTransferCases(codes)),
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
