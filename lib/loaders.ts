import type DataLoader from 'dataloader';
import type { SettledLoader } from './requestBatches';
import { errors } from '../domain/errorCatalogue';

/** `loadMany` that fails with the first error instead of returning errors in place of values. */
export async function loadAll<K, V>(loader: DataLoader<K, V>, keys: readonly K[]): Promise<V[]> {
  const values = await loader.loadMany(keys);
  return values.map((v) => {
    if (v instanceof Error) throw v;
    return v;
  });
}

/**
 * The record another record refers to (a case's court, a result's measure), which must exist: a missing one fails
 * with NOT_FOUND naming what and the key, never a generic non-null error. `what` is the record in the court's terms
 * (`court`, `control measure`).
 */
export async function required<K extends string | number, V>(loader: DataLoader<K, V | null>, key: K, what: string): Promise<V> {
  const value = await loader.load(key);
  if (value === null || value === undefined) throw errors.notFound(what, String(key));
  return value;
}

/**
 * {@link required}, answered with the record itself when its batch has already answered (a list's resolver loaded the
 * list's references in one batch first), so a field repeated over thousands of items makes no promise per item. The
 * same NOT_FOUND for a missing record, thrown instead of rejected; a key not yet answered goes through {@link required}.
 */
export function requiredNow<K extends string | number, V>(loader: SettledLoader<K, V | null>, key: K, what: string): V | Promise<V> {
  const value = loader.settled(key);
  if (value === undefined) return required(loader, key, what);
  if (value === null) throw errors.notFound(what, String(key));
  return value;
}

/** {@link required} for several keys, in key order (one batch). */
export async function requiredAll<K extends string | number, V>(
  loader: DataLoader<K, V | null>,
  keys: readonly K[],
  what: string,
): Promise<V[]> {
  const values = await loadAll(loader, keys);
  return values.map((value, i) => {
    if (value === null || value === undefined) throw errors.notFound(what, String(keys[i]));
    return value;
  });
}
