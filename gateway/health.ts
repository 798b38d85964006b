import express, { type Router } from 'express';
import type { GraphQLSchema } from 'graphql';

type Readiness = 'ready' | 'read-only' | 'unavailable';
const RANK: Record<Readiness, number> = { ready: 0, 'read-only': 1, unavailable: 2 };

/**
 * `/health/live` (the process answers) and `/health/ready`: ready while the supergraph is loaded. A failing subgraph,
 * or one whose store cannot be written, makes the gateway degraded (it still answers with what the others give), and
 * readiness names it (`subgraphs: { name: 'ready' | 'read-only' | 'unavailable' }`). A subgraph with several replicas
 * (ADR 24) is as ready as its best replica, since the gateway sends each call to a replica that answers; readiness
 * then names each replica too (`replicas: { name: { url: state } }`), and one that fails makes the gateway degraded and
 * is listed in `failingReplicas`, though the graph still has every subgraph.
 */
export function healthRoutes(subgraphUrls: Record<string, readonly string[]>, apiSchema: () => GraphQLSchema | null): Router {
  const router = express.Router();
  const replicated = Object.values(subgraphUrls).some((urls) => urls.length > 1);
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'live' });
  });
  router.get('/health/ready', async (_req, res) => {
    const checks = await Promise.all(
      Object.entries(subgraphUrls).map(
        async ([name, urls]) => [name, await Promise.all(urls.map(async (url) => [url, await subgraphReadiness(url)] as const))] as const,
      ),
    );
    const best = (states: readonly (readonly [string, Readiness])[]) =>
      states.map(([, s]) => s).reduce((a, b) => (RANK[b] < RANK[a] ? b : a), 'unavailable' as Readiness);
    const subgraphs = checks.map(([name, states]) => [name, best(states)] as const);
    const failing = subgraphs.filter(([, state]) => state !== 'ready').map(([name]) => name);
    const failingReplicas = checks.flatMap(([, states]) => states.filter(([, s]) => s !== 'ready').map(([url]) => url));
    const loaded = apiSchema() !== null;
    res.status(loaded ? 200 : 503).json({
      status: !loaded ? 'unavailable' : failing.length || failingReplicas.length ? 'degraded' : 'ready',
      supergraph: loaded ? 'loaded' : 'missing',
      failing,
      subgraphs: Object.fromEntries(subgraphs),
      ...(replicated && {
        failingReplicas,
        replicas: Object.fromEntries(checks.map(([name, states]) => [name, Object.fromEntries(states)])),
      }),
    });
  });
  return router;
}

/**
 * A subgraph is `ready` when its own `/health/ready` (beside its `/graphql`) answers 2xx within 2 s; `read-only` when it
 * answers that its store cannot be written (it still serves reads; its mutations are refused); else `unavailable`.
 */
async function subgraphReadiness(url: string): Promise<Readiness> {
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
