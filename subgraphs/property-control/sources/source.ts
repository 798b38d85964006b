import type { DisposalStepRecord, MeasureRecord, PropertyRecord } from './records';

/**
 * The narrow interface over the property-control system (网络执行查控). Batch methods answer in key order with
 * ONE statement per call, whatever the number of keys.
 */
export interface PropertyControlSource {
  propertiesById(ids: readonly string[]): Promise<(PropertyRecord | null)[]>;
  propertiesByOwner(ownerIds: readonly string[]): Promise<PropertyRecord[][]>;
  measuresById(ids: readonly string[]): Promise<(MeasureRecord | null)[]>;
  /** Measures on each property, in queue order. */
  measuresByProperty(propertyIds: readonly string[]): Promise<MeasureRecord[][]>;
  /** Measures imposed under each case number, oldest first. */
  measuresByCase(caseNumbers: readonly string[]): Promise<MeasureRecord[][]>;
  disposalSteps(propertyIds: readonly string[]): Promise<DisposalStepRecord[][]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
