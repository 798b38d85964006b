import { toIsoDate } from '../domain/dates';
import { ConfigError, loadConfigOrExit } from '../lib/config';
import { onShutdown } from '../lib/shutdown';
import { startTracing, stopTracing } from '../lib/tracing';
import { assessProvince } from '../jobs/assess';
import { ensureSeeded } from './ensureSeeded';
import { planSubgraphs, startGraph } from './graph';

// `npm start`: seeds the embedded default on its first run (a fresh DATA_DIR, every system hosted, not production:
// scripts/ensureSeeded.ts), then serves the whole graph on SUPERGRAPH_PATH.
const config = loadConfigOrExit();
let plan;
try {
  plan = planSubgraphs(config);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(2);
}
await ensureSeeded(config, plan);
// Traces only where OTEL_* configure an exporter (lib/tracing.ts); one process, one service.
await startTracing('court-graph');
// A setting the machine refuses (a port in use, a host not its own) is one line naming the setting, exit status 2.
const graph = await startGraph(config).catch((err: unknown) => {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(2);
});
for (const [name, url] of Object.entries(graph.subgraphUrls)) {
  console.log(`  subgraph ${name.padEnd(16)} ${url}${name in graph.hosted ? ' (hosted here)' : ''}`);
}
console.log(`gateway ready at ${graph.gateway.url}`);
if (config.MONITORING_PORT !== undefined) console.log(`health and metrics at ${graph.gateway.monitoringUrl}/health/ready, /metrics`);
onShutdown(async () => {
  await graph.close();
  await stopTracing();
});

// The province-wide candidate list reads the assessment index; build it now that the graph answers. Queries work
// meanwhile, and transferCandidates says so until the index is there. A remote coordination subgraph's operator
// runs `npm run assess` against it instead.
if (graph.hosted.coordination) {
  const token = await graph.security.serviceToken();
  assessProvince(graph.gateway.url, token, config.dataDir, config.AS_OF_DATE ?? toIsoDate(new Date()), { unlessCurrent: true }).catch(
    (err: unknown) => {
      console.error(`assessment index not built: ${err instanceof Error ? err.message : String(err)}`);
    },
  );
}
