import express, { type Router } from 'express';
import type { GraphQLSchema } from 'graphql';

/**
 * `/health/live` (the process answers) and `/health/ready`: ready while the supergraph is loaded. A failing subgraph,
 * or one whose store cannot be written, makes the gateway degraded (it still answers with what the others give), and
 * readiness names it (`subgraphs: { name: 'ready' | 'read-only' | 'unavailable' }`).
 */
export function healthRoutes(subgraphUrls: Record<string, string>, apiSchema: () => GraphQLSchema | null): Router {
  const router = express.Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'live' });
  });
  router.get('/health/ready', async (_req, res) => {
    const checks = await Promise.all(
      Object.entries(subgraphUrls).map(async ([name, url]) => [name, await subgraphReadiness(url)] as const),
    );
    const failing = checks.filter(([, state]) => state !== 'ready').map(([name]) => name);
    const loaded = apiSchema() !== null;
    res.status(loaded ? 200 : 503).json({
      status: !loaded ? 'unavailable' : failing.length ? 'degraded' : 'ready',
      supergraph: loaded ? 'loaded' : 'missing',
      failing,
      subgraphs: Object.fromEntries(checks),
    });
  });
  return router;
}

/**
 * A subgraph is `ready` when its own `/health/ready` (beside its `/graphql`) answers 2xx within 2 s; `read-only` when it
 * answers that its store cannot be written (it still serves reads; its mutations are refused); else `unavailable`.
 */
async function subgraphReadiness(url: string): Promise<'ready' | 'read-only' | 'unavailable'> {
  try {
    const res = await fetch(url.replace(/\/graphql$/, '/health/ready'), { signal: AbortSignal.timeout(2000) });
    if (res.ok) {
      await res.arrayBuffer();
      return 'ready';
    }
    const body = (await res.json().catch(() => null)) as { status?: unknown } | null;
    return body?.status === 'read-only' ? 'read-only' : 'unavailable';
  } catch {
    return 'unavailable';
  }
}
