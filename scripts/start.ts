import { setFlagsFromString } from 'node:v8';
import { toIsoDate } from '../domain/dates';
import { ConfigError, databaseSettingsOf, loadConfigOrExit } from '../lib/config';
import { onShutdown } from '../lib/shutdown';
import { startTracing, stopTracing } from '../lib/tracing';
import { ensureSeeded } from './ensureSeeded';
import { planSubgraphs, startGraph } from './graph';

// The old generation may grow to 1.5 times what the last full collection left alive, not V8's default of up to 4
// times on a large host (ADR 28): a burst of walks leaves its results for dead in the old generation, and the gateway's
// RSS under the 20-debtor walk load fell from 214–227 MB to 177–178 MB with no measurable CPU cost. No cap: a heavy
// load only collects more often, it never fails for want of heap. V8 reads the setting at each full collection.
setFlagsFromString('--heap-growing-percent=50');

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

// The registry checks supervisors and note authors against its copy of the roster (ADR 14): refresh it through the
// gateway now that the graph answers. A roster that does not answer leaves the last copy.
if (graph.hosted['case-registry']) {
  const { copyRoster } = await import('../jobs/roster');
  const token = await graph.security.serviceToken();
  copyRoster(graph.gateway.url, token, config.dataDir, databaseSettingsOf(config)).catch((err: unknown) => {
    console.error(`roster not copied: ${err instanceof Error ? err.message : String(err)}`);
  });
}

// The province-wide candidate list reads the assessment index; build it now that the graph answers. Queries work
// meanwhile, and transferCandidates says so until the index is there. A remote coordination subgraph's operator
// runs `npm run assess` against it instead.
if (graph.hosted.coordination) {
  const { assessProvince, followChanges, openAssessmentStore } = await import('../jobs/assess');
  const token = await graph.security.serviceToken();
  // Between passes, the rows of debtors that decisions, renewals, releases and disposal steps changed are judged
  // again within ASSESS_REFRESH_MS (ADR 14), so transferCandidates does not go stale after a write.
  if (config.ASSESS_REFRESH_MS > 0) {
    const index = openAssessmentStore(config.dataDir, databaseSettingsOf(config));
    let refreshToken = token;
    // No shutdown hook of its own (a second one would exit before the graph drained): its timers do not keep the
    // process alive, and each round commits whole or not at all.
    followChanges({
      gatewayUrl: graph.gateway.url,
      // The service token lives two hours: sign a fresh one per round.
      get token() {
        return refreshToken;
      },
      index,
      today: config.AS_OF_DATE ?? toIsoDate(new Date()),
      intervalMs: config.ASSESS_REFRESH_MS,
      onError: (err) => console.error(`assessment index not refreshed: ${err instanceof Error ? err.message : String(err)}`),
    });
    setInterval(() => void graph.security.serviceToken().then((t) => (refreshToken = t)), 30 * 60_000).unref();
  }
  assessProvince(graph.gateway.url, token, config.dataDir, config.AS_OF_DATE ?? toIsoDate(new Date()), {
    unlessCurrent: true,
    databases: databaseSettingsOf(config),
  }).catch((err: unknown) => {
    console.error(`assessment index not built: ${err instanceof Error ? err.message : String(err)}`);
  });
}
