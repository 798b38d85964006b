import DataLoader from 'dataloader';
import { addDays, addMonths } from '../../domain/dates';
import { RULES_CONFIG } from '../../domain/rules/config';
import type { DisposalStepRecord, MeasureRecord, PropertyAggregateRecord, PropertyRecord } from './sources/records';
import type { PropertyControlSource } from './sources/source';

/** Request-scoped state for property-control: fresh loaders per request, and the day measures are judged on. */
export interface PropertyControlContext {
  source: PropertyControlSource;
  today: string;
  loaders: ReturnType<typeof createLoaders>;
}

function createLoaders(source: PropertyControlSource, today: string) {
  return {
    property: new DataLoader<string, PropertyRecord | null>((ids) => source.propertiesById(ids)),
    propertiesByOwner: new DataLoader<string, PropertyRecord[]>((ids) => source.propertiesByOwner(ids)),
    measure: new DataLoader<string, MeasureRecord | null>((ids) => source.measuresById(ids)),
    measuresByProperty: new DataLoader<string, MeasureRecord[]>((ids) => source.measuresByProperty(ids)),
    measuresByCase: new DataLoader<string, MeasureRecord[]>((numbers) => source.measuresByCase(numbers)),
    disposalsByCase: new DataLoader<string, { propertyId: string; disposedAt: string }[]>((numbers) => source.disposalsByCase(numbers)),
    disposalSteps: new DataLoader<string, DisposalStepRecord[]>((ids) => source.disposalSteps(ids)),
    propertyAggregates: new DataLoader<string, PropertyAggregateRecord>((ids) =>
      source.propertyAggregates(ids, {
        today,
        idleCutoff: addMonths(today, -RULES_CONFIG.rules.IDLE_PROPERTY.minIdleMonths),
        expiryLimit: addDays(today, RULES_CONFIG.expiryWindowDays),
      }),
    ),
  };
}

export function createPropertyControlContext(source: PropertyControlSource, today: string): PropertyControlContext {
  return { source, today, loaders: createLoaders(source, today) };
}
