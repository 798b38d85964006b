import { requestBatches } from '../../lib/requestBatches';
import { scopeOf, type Scope } from '../../domain/scope';
import type { Viewer } from '../../lib/auth';
import type { CarrierGrantVerifier } from '../../lib/carrierGrant';
import { addMonths } from '../../domain/dates';
import { RULES_CONFIG } from '../../domain/rules/config';
import { renewalWindow } from '../../domain/rules/compliance';
import type {
  DisposalStepRecord,
  EncumbranceRecord,
  MeasureQueueRecord,
  MeasureRecord,
  PropertyAggregateRecord,
  PropertyColumn,
  PropertyRecord,
} from './sources/records';
import type { PropertyControlSource } from './sources/source';
import { judgeRows } from './sources/ddl';
import type { JudgedMeasure, PropertyKind } from '../../domain/measures';
import type { PropertyControlWorkflow } from './sources/workflow';

/** Request-scoped state for property-control: fresh loaders per request, and the day measures are judged on. */
export interface PropertyControlContext {
  source: PropertyControlSource;
  /** The system's writes under the product's idempotency and audit bookkeeping. */
  workflow: PropertyControlWorkflow;
  today: string;
  viewer: Viewer;
  scope: Scope;
  loaders: ReturnType<typeof createLoaders>;
  /** Verifies the registry's carrier grants (ADR 14); null when the process has no copy of the registry's key. */
  carrierGrants: CarrierGrantVerifier | null;
}

function createLoaders(source: PropertyControlSource, today: string, scope: Scope) {
  // One request's loaders dispatch together (lib/requestBatches.ts): one statement per level on both dialects.
  const batches = requestBatches();
  const readQueues = new Map<string, MeasureQueueRecord>();
  // Each queue judged at most once per request, from the rows this request read.
  const judgedQueues = new Map<string, Map<string, JudgedMeasure>>();
  // Debtors' properties, a loader per list of columns (`propertiesByOwner` below).
  const propertiesByOwner = new Map<string, ReturnType<typeof batches.loader<string, PropertyRecord[]>>>();
  const judgedRead = (id: string): Map<string, JudgedMeasure> | undefined => {
    let judged = judgedQueues.get(id);
    if (judged) return judged;
    const q = readQueues.get(id);
    if (!q) return undefined;
    judged = judgeRows(q.measures, q.kind, today);
    judgedQueues.set(id, judged);
    return judged;
  };
  return {
    /** Whether a court in the viewer's scope has a measure on each property (always true for the high court). */
    propertyInScope: batches.loader<string, boolean>((ids) =>
      scope.all ? Promise.resolve(ids.map(() => true)) : source.propertiesInScope(ids, scope.courts),
    ),
    property: batches.loader<string, PropertyRecord | null>((ids) => source.propertiesById(ids)),
    /** A property asked for by an id the client chose: null when unknown and when outside scope, by one statement. */
    visibleProperty: batches.loader<string, PropertyRecord | null>((ids) =>
      scope.all ? source.propertiesById(ids) : source.visiblePropertiesById(ids, scope.courts),
    ),
    /**
     * A loader per list of columns (resolvers/Property.ts `propertyColumnsFor`; none, the whole row): lists of one
     * selection meet in one statement, and rows read for one selection are never handed to another.
     */
    propertiesByOwner: (columns: readonly PropertyColumn[] | null = null) => {
      const key = columns?.join(',') ?? '*';
      let loader = propertiesByOwner.get(key);
      if (!loader) {
        loader = batches.loader<string, PropertyRecord[]>((ids) => source.propertiesByOwner(ids, columns));
        propertiesByOwner.set(key, loader);
      }
      return loader;
    },
    measure: batches.loader<string, MeasureRecord | null>((ids) => source.measuresById(ids)),
    /**
     * Each property's measures judged on the request's day by the queue rule (轮候, domain/measures.ts judgeQueue). A
     * queue this request has read whole already (`queueRead`) is judged from those rows; only the others are read.
     */
    judgedQueue: batches.loader<string, Map<string, JudgedMeasure>>(async (ids) => {
      const unread = ids.filter((id) => !readQueues.has(id));
      const read = unread.length > 0 ? await source.measureQueues(unread) : [];
      for (const [i, q] of read.entries()) if (q) readQueues.set(unread[i]!, q);
      return ids.map((id) => judgedRead(id) ?? new Map<string, JudgedMeasure>());
    }),
    /**
     * A queue's judgement at once, without a batch, when this request has read that queue whole (`queueRead`):
     * a measure listed under its property (Property.measures) has its status and period answered without a promise
     * per field (7,553 measures, three such fields each, in the heaviest 100-debtor walk). Undefined otherwise.
     */
    judgedQueueRead: judgedRead,
    /**
     * Records a property's whole queue of measures, in queue order, read by this request (Property.measures), so that
     * judging it (a measure's status or period) needs no statement of its own.
     */
    queueRead(propertyId: string, kind: PropertyKind, measures: MeasureRecord[]) {
      if (measures.length > 0 && !readQueues.has(propertyId)) readQueues.set(propertyId, { propertyId, kind, measures });
    },
    measuresByProperty: batches.settledLoader<string, MeasureRecord[]>((ids) => source.measuresByProperty(ids)),
    measuresByCase: batches.loader<string, MeasureRecord[]>((numbers) => source.measuresByCase(numbers)),
    disposalsByCase: batches.loader<string, { propertyId: string; disposedAt: string }[]>((numbers) => source.disposalsByCase(numbers)),
    disposalSteps: batches.loader<string, DisposalStepRecord[]>((ids) => source.disposalSteps(ids)),
    encumbrances: batches.loader<string, EncumbranceRecord[]>((ids) => source.encumbrancesByProperty(ids)),
    propertyAggregates: batches.loader<string, PropertyAggregateRecord>((ids) =>
      source.propertyAggregates(ids, {
        today,
        idleCutoff: addMonths(today, -RULES_CONFIG.rules.IDLE_PROPERTY.minIdleMonths),
        expiryLimit: renewalWindow(today).until,
      }),
    ),
  };
}

export function createPropertyControlContext(
  source: PropertyControlSource,
  workflow: PropertyControlWorkflow,
  today: string,
  viewer: Viewer,
  carrierGrants: CarrierGrantVerifier | null = null,
): PropertyControlContext {
  const scope = scopeOf(viewer);
  return { source, workflow, today, viewer, scope, loaders: createLoaders(source, today, scope), carrierGrants };
}
