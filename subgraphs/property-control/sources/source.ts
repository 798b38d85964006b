import type { Kysely } from 'kysely';
import type { DisposalStepInput } from '../../../domain/disposal';
import type { CarrierGrant } from '../../../lib/carrierGrant';
import type { Viewer } from '../../../lib/auth';
import type {
  DisposalStepRecord,
  EncumbranceRecord,
  MeasureQueueRecord,
  MeasureRecord,
  PropertyAggregateRecord,
  PropertyColumn,
  PropertyRecord,
} from './records';
import type { PropertyControlDatabase } from './ddl';

/** The transaction the system's writes run in (the product's bookkeeping holds it, lib/writeTransaction). */
export type PropertyControlTransaction = Kysely<PropertyControlDatabase>;

/** Who writes (the court whose authority is checked) and the day the write is judged on. */
export interface WriteAct {
  viewer: Viewer;
  today: string;
  /**
   * The registry's carrier grant the request carried (ADR 14), verified before the write: it lets the court carrying a
   * measure's lineage renew or release a measure another court imposed. Absent when none was sent.
   */
  carrier?: CarrierGrant | { refused: string } | null;
}

/**
 * The narrow interface over the property-control system (网络执行查控). Batch methods answer in key order with
 * ONE statement per call, whatever the number of keys.
 */
export interface PropertyControlSource {
  propertiesById(ids: readonly string[]): Promise<(PropertyRecord | null)[]>;
  /**
   * Properties on which one of the given courts holds a measure; null for any other, unknown or not, in the same one
   * statement (a viewer outside a property's scope must not tell it from an unknown id).
   */
  visiblePropertiesById(ids: readonly string[], courts: readonly string[]): Promise<(PropertyRecord | null)[]>;
  /** With `columns`, each row holds only those columns (a list's selection, resolvers/Property.ts `propertyColumnsFor`). */
  propertiesByOwner(ownerIds: readonly string[], columns?: readonly PropertyColumn[] | null): Promise<PropertyRecord[][]>;
  measuresById(ids: readonly string[]): Promise<(MeasureRecord | null)[]>;
  /** Measures on each property, in queue order. */
  measuresByProperty(propertyIds: readonly string[]): Promise<MeasureRecord[][]>;
  /** Each property's queue of measures with the property's kind (null for an unknown property), for judging their status. */
  measureQueues(propertyIds: readonly string[]): Promise<(MeasureQueueRecord | null)[]>;
  /** Measures imposed under each case number, oldest first. */
  measuresByCase(caseNumbers: readonly string[]): Promise<MeasureRecord[][]>;
  /** Per case number: properties under a measure of that case that were disposed of (sold or taken in payment), and when. */
  disposalsByCase(caseNumbers: readonly string[]): Promise<{ propertyId: string; disposedAt: string }[][]>;
  disposalSteps(propertyIds: readonly string[]): Promise<DisposalStepRecord[][]>;
  /** Mortgages and pledges on each property, in rank order (1 = paid first). */
  encumbrancesByProperty(propertyIds: readonly string[]): Promise<EncumbranceRecord[][]>;
  /**
   * Property figures per owner: idle means held today and undisposed since on or before `idleCutoff`; expiring means in effect and
   * expiring between `today` and `expiryLimit` inclusive; shared means measures of two or more courts standing. Statuses are
   * judged by domain/measures.ts judgeQueue over each property's queue, as `ControlMeasure.status` is.
   */
  propertyAggregates(
    ownerIds: readonly string[],
    at: { today: string; idleCutoff: string; expiryLimit: string },
  ): Promise<PropertyAggregateRecord[]>;
  /**
   * Properties still held today (a measure stands), undisposed since on or before `cutoff`, with no hold reason, by
   * (undisposedSince, id), after a position.
   */
  overdueDisposals(
    filter: { cutoff: string; today: string; prefecture: string | null; courts: string[] | null },
    first: number,
    after: { undisposedSince: string; id: string } | null,
  ): Promise<{ rows: PropertyRecord[]; hasNextPage: boolean }>;
  /** How many properties `overdueDisposals` lists in all under the filter (one statement, judged as the pages are). */
  countOverdueDisposals(filter: { cutoff: string; today: string; prefecture: string | null; courts: string[] | null }): Promise<number>;
  /**
   * The writes the system makes, refusing with a ValidationError. The product runs each inside its own transaction
   * with its idempotency and audit bookkeeping (workflow.ts), and every statement of the write runs on that
   * transaction, `tx`.
   */
  renewMeasure(
    tx: PropertyControlTransaction,
    input: { measureId: string; expiresAt: string },
    act: WriteAct,
  ): Promise<{ measureId: string }>;
  /** Releases a measure (解除); when the measure in effect is released, the earliest waiting seizure takes effect. */
  releaseMeasure(
    tx: PropertyControlTransaction,
    input: { measureId: string },
    act: WriteAct,
  ): Promise<{ measureId: string; tookEffect: string | null }>;
  recordDisposalStep(
    tx: PropertyControlTransaction,
    input: DisposalStepInput & { propertyId: string },
    act: WriteAct,
  ): Promise<{ propertyId: string }>;
  /**
   * The owners of the properties that accepted renewals, releases and disposal steps recorded after `after` in the
   * write log touched, at most `limit` writes; `after` null gives no owners and the latest position (ADR 14).
   */
  ownersChangedByWrites(after: number | null, limit: number): Promise<{ debtorIds: string[]; cursor: number; hasMore: boolean }>;
  /** For each property, whether one of the given courts has a measure on it. */
  propertiesInScope(ids: readonly string[], courts: readonly string[]): Promise<boolean[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
