import express, { type Router } from 'express';
import type { GraphQLSchema } from 'graphql';

/**
 * `/health/live` (the process answers) and `/health/ready`: ready while the supergraph is loaded. A failing subgraph
 * makes the gateway degraded (it still answers with what the others give), and readiness names it.
 */
export function healthRoutes(subgraphUrls: Record<string, string>, apiSchema: () => GraphQLSchema | null): Router {
  const router = express.Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'live' });
  });
  router.get('/health/ready', async (_req, res) => {
    const checks = await Promise.all(Object.entries(subgraphUrls).map(async ([name, url]) => [name, await subgraphReady(url)] as const));
    const failing = checks.filter(([, ok]) => !ok).map(([name]) => name);
    const loaded = apiSchema() !== null;
    res.status(loaded ? 200 : 503).json({
      status: !loaded ? 'unavailable' : failing.length ? 'degraded' : 'ready',
      supergraph: loaded ? 'loaded' : 'missing',
      failing,
      subgraphs: Object.fromEntries(checks.map(([name, ok]) => [name, ok ? 'ready' : 'unavailable'])),
    });
  });
  return router;
}

/** A subgraph is ready when its own `/health/ready` (beside its `/graphql`) answers 2xx within 2 s. */
async function subgraphReady(url: string): Promise<boolean> {
  try {
    const res = await fetch(url.replace(/\/graphql$/, '/health/ready'), { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}
