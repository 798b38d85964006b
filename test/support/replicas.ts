import path from 'node:path';
import { testToday } from './graph';
import { freePort, killGroup, spawnTsx, waitUntilServing, type Child } from './processes';

/** One subgraph process as an operator starts a replica (`npm run start:subgraph -- <name>`), on a data directory. */
export interface SubgraphProcess {
  name: string;
  child: Child;
  url: string;
  kill: () => Promise<void>;
}

/**
 * Starts `scripts/runSubgraph.ts <name>` on `dataDir` on a free loopback port, verifying the gateway tokens of the
 * keys in that directory, and waits until it answers `/health/live`.
 */
export async function startSubgraphProcess(name: string, dataDir: string, env: Record<string, string> = {}): Promise<SubgraphProcess> {
  const port = await freePort();
  const child = spawnTsx(['scripts/runSubgraph.ts', name], {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    AS_OF_DATE: testToday(),
    GATEWAY_JWKS_FILE: path.join(dataDir, 'keys', 'gateway-jwks.json'),
    ...env,
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  try {
    await waitUntilServing(child, `http://127.0.0.1:${port}/health/live`, 120_000);
  } catch (err) {
    await killGroup(child);
    throw err;
  }
  return { name, child, url, kill: () => killGroup(child) };
}

/** A Prometheus text metric, summed over the series whose labels include `labels`; undefined when none has them. */
export function metric(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) total = (total ?? 0) + Number(m[3]);
  }
  return total;
}
