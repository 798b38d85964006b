/**
 * A sliding-window limit on the number of distinct keys each viewer touches: the registry counts the debtor
 * identifiers a viewer looks up, so that recovering a masked identity number by trying its candidates (a few
 * thousand valid check characters) is cut off after a few requests, while a clerk's ordinary look-ups never meet it.
 *
 * State is in memory, per instance (one per subgraph process): with several replicas the limit holds per replica.
 * The clock is injected so the window can be tested without waiting.
 */
export interface DistinctKeyLimiter {
  /**
   * Records the viewer's look-up of `keys` and answers true, or answers false and records nothing when the distinct
   * keys of the last window, these included, would exceed the limit. A key looked up again within the window counts
   * once (and its window restarts).
   */
  admit(viewer: string, keys: readonly string[]): boolean;
  /** How many distinct keys the viewer has looked up within the window. */
  used(viewer: string): number;
  /** How many viewers the limiter holds state for (a viewer with nothing in the window is forgotten). */
  viewers(): number;
}

export function createDistinctKeyLimiter(opts: { limit: number; windowMs: number; now?: () => number }): DistinctKeyLimiter {
  const now = opts.now ?? Date.now;
  /** Per viewer: each key and when it was last looked up (a Map keeps insertion order, oldest first). */
  const seen = new Map<string, Map<string, number>>();
  let sweptAt = now();

  const prune = (viewer: string, at: number): Map<string, number> | undefined => {
    const keys = seen.get(viewer);
    if (!keys) return undefined;
    for (const [key, lastAt] of keys) {
      if (lastAt > at - opts.windowMs) break;
      keys.delete(key);
    }
    if (keys.size === 0) {
      seen.delete(viewer);
      return undefined;
    }
    return keys;
  };

  return {
    admit(viewer, keys) {
      const at = now();
      // Once a window, forget the viewers who stopped asking, so the state stays bounded by the active viewers.
      if (at - sweptAt >= opts.windowMs) {
        for (const v of [...seen.keys()]) prune(v, at);
        sweptAt = at;
      }
      const current = prune(viewer, at);
      const fresh = new Set(keys.filter((k) => !current?.has(k)));
      if ((current?.size ?? 0) + fresh.size > opts.limit) return false;
      const record = current ?? new Map<string, number>();
      for (const key of new Set(keys)) {
        record.delete(key);
        record.set(key, at);
      }
      if (record.size > 0) seen.set(viewer, record);
      return true;
    },
    used(viewer) {
      return prune(viewer, now())?.size ?? 0;
    },
    viewers() {
      return seen.size;
    },
  };
}
