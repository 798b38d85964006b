import type DataLoader from 'dataloader';

/** `loadMany` that fails with the first error instead of returning errors in place of values. */
export async function loadAll<K, V>(loader: DataLoader<K, V>, keys: readonly K[]): Promise<V[]> {
  const values = await loader.loadMany(keys);
  return values.map((v) => {
    if (v instanceof Error) throw v;
    return v;
  });
}
