import DataLoader from 'dataloader';
import type { DisposalStepRecord, MeasureRecord, PropertyRecord } from './sources/records';
import type { PropertyControlSource } from './sources/source';

/** Request-scoped state for property-control: fresh loaders per request, and the day measures are judged on. */
export interface PropertyControlContext {
  source: PropertyControlSource;
  today: string;
  loaders: ReturnType<typeof createLoaders>;
}

function createLoaders(source: PropertyControlSource) {
  return {
    property: new DataLoader<string, PropertyRecord | null>((ids) => source.propertiesById(ids)),
    propertiesByOwner: new DataLoader<string, PropertyRecord[]>((ids) => source.propertiesByOwner(ids)),
    measure: new DataLoader<string, MeasureRecord | null>((ids) => source.measuresById(ids)),
    measuresByProperty: new DataLoader<string, MeasureRecord[]>((ids) => source.measuresByProperty(ids)),
    measuresByCase: new DataLoader<string, MeasureRecord[]>((numbers) => source.measuresByCase(numbers)),
    disposalSteps: new DataLoader<string, DisposalStepRecord[]>((ids) => source.disposalSteps(ids)),
  };
}

export function createPropertyControlContext(source: PropertyControlSource, today: string): PropertyControlContext {
  return { source, today, loaders: createLoaders(source) };
}
