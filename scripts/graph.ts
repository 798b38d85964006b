import { carrierGrantKeysOf, ensureCarrierGrantKeys } from '../lib/carrierGrant';
import { ConfigError, databaseSettingsOf, explorerOn, listenFailure, loadConfig, type Config } from '../lib/config';
import { setLogLevel } from '../lib/log';
import type { RunningServer } from '../lib/httpServer';
import type { SubgraphOptions } from '../lib/subgraphServer';
import { loadSecurity, type Security } from '../gateway/security';
import { serveGateway, type RunningGateway } from '../gateway/server';
import { readSupergraph, subgraphsOf } from '../gateway/supergraph';
import { cataloguedSubgraph, defaultSubgraphUrl, type CataloguedSubgraph, type SubgraphName } from '../subgraphs/catalogue';

/*
 * The whole-graph launcher: the composition root that puts the product's subgraphs and its gateway together in one
 * process (`npm start`, the tests, the benchmarks, `npm run assess`). Neither gateway/ nor subgraphs/ imports it.
 */

export interface RunningGraph {
  gateway: RunningGateway;
  /** Subgraphs this process hosts (see `planSubgraphs`), each on its own loopback port. */
  hosted: Partial<Record<SubgraphName, RunningServer>>;
  /** Where the gateway calls every subgraph of the supergraph (the product's four, on the product's supergraph). */
  subgraphUrls: Record<SubgraphName, string> & Record<string, string>;
  security: Security;
  close: () => Promise<void>;
}

/** What a graph needs: where and on which data; every other setting defaults as the README's settings table says. */
export type GraphConfig = Pick<Config, 'PORT' | 'HOST' | 'dataDir' | 'AS_OF_DATE'> &
  Partial<Omit<Config, 'PORT' | 'HOST' | 'dataDir' | 'AS_OF_DATE'>>;

/** How one subgraph of the supergraph is reached: called at a URL, or hosted by this process on DATA_DIR. */
export type SubgraphPlan = { name: string; url: string } | { name: SubgraphName; host: true };

/**
 * The subgraph list comes from the supergraph (`join__graph`). A subgraph's URL setting (CASE_REGISTRY_URL, ...)
 * overrides its supergraph URL. One of the product's own subgraphs still at the URL `npm run compose` records for it
 * (its own port on localhost) is hosted here, as the embedded default; every other subgraph is called where the
 * supergraph says.
 */
export function planSubgraphs(
  config: Pick<Config, 'SUPERGRAPH_PATH' | CataloguedSubgraph['urlSetting']>,
  supergraphSdl = readSupergraph(config.SUPERGRAPH_PATH),
): SubgraphPlan[] {
  return subgraphsOf(supergraphSdl).map(({ name, url }) => {
    const known = cataloguedSubgraph(name);
    const configured = known ? config[known.urlSetting] : undefined;
    if (configured) return { name, url: configured };
    if (known && (url === '' || url === defaultSubgraphUrl(known))) return { name: known.name, host: true };
    if (!url) throw new Error(`${config.SUPERGRAPH_PATH}: subgraph "${name}" has no URL in the supergraph; compose it with one`);
    return { name, url };
  });
}

/**
 * Starts the whole graph on SUPERGRAPH_PATH: every subgraph the plan hosts on a loopback port of its own (real HTTP
 * between gateway and subgraph, as in production), and the gateway on PORT.
 */
export async function startGraph(given: GraphConfig, subgraphOptions: SubgraphOptions = {}): Promise<RunningGraph> {
  const config: Config = { ...loadConfig({}), ...given };
  // An embedding caller (tests, benchmarks) keeps the log level it has unless it names one.
  if (given.LOG_LEVEL) setLogLevel(given.LOG_LEVEL);
  const security = await loadSecurity(config);
  const supergraphSdl = readSupergraph(config.SUPERGRAPH_PATH);
  const carrierGrantKeys = carrierGrantKeysOf(config);
  await ensureCarrierGrantKeys(carrierGrantKeys);
  const opts: SubgraphOptions = {
    carrierGrantKeys,
    ...subgraphOptions,
    today: subgraphOptions.today ?? (config.AS_OF_DATE ? () => config.AS_OF_DATE! : undefined),
    busyTimeoutMs: subgraphOptions.busyTimeoutMs ?? config.STORE_BUSY_TIMEOUT_MS,
    databases: subgraphOptions.databases ?? databaseSettingsOf(config),
  };
  const hosted: Partial<Record<SubgraphName, RunningServer>> = {};
  const urls: Record<string, string> = {};
  const plans = planSubgraphs(config, supergraphSdl);
  const pinned = config.SUBGRAPH_PORTS ?? {};
  const hostable = plans.filter((p) => !('url' in p)).map((p) => p.name);
  for (const name of Object.keys(pinned))
    if (!hostable.includes(name))
      throw new ConfigError(`SUBGRAPH_PORTS: "${name}" is not a subgraph this process hosts (it hosts: ${hostable.join(', ') || 'none'})`);
  // The subgraph runtime and the subgraphs' stores are loaded only when this process hosts one: a gateway that calls
  // every subgraph by URL starts without them (issue 18: first answer within a second).
  const hosting = hostable.length > 0 ? await loadHosting() : null;
  try {
    for (const plan of plans) {
      if ('url' in plan) {
        urls[plan.name] = plan.url;
        continue;
      }
      const { openSubgraph, prepareSubgraphStore, serveSubgraphOn } = hosting!;
      // Loopback only: a hosted subgraph answers the gateway beside it. Pinned by SUBGRAPH_PORTS, else a free port.
      await prepareSubgraphStore(plan.name, config.dataDir, opts);
      const server = await serveSubgraphOn(config.SUBGRAPH_RUNTIME, openSubgraph(plan.name, config.dataDir, opts), {
        port: pinned[plan.name] ?? 0,
        host: '127.0.0.1',
        gatewayKeys: security.gatewayKeys,
        shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
      }).catch((err: unknown) => {
        throw listenFailure(err, { port: `SUBGRAPH_PORTS (${plan.name})`, host: 'SUBGRAPH_PORTS' });
      });
      hosted[plan.name] = server;
      urls[plan.name] = server.url;
    }
    const gateway = await serveGateway({
      port: config.PORT,
      host: config.HOST,
      shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
      supergraphSdl,
      subgraphUrls: urls,
      signer: security.signer,
      auth: security.client,
      serviceAuth: security.service,
      limits: security.limits,
      maxBodyBytes: security.maxBodyBytes,
      trustedDocuments: security.trustedDocuments,
      corsOrigins: config.CORS_ORIGINS,
      explorer: explorerOn({ EXPLORER: config.EXPLORER, production: security.production }),
      monitoring:
        config.MONITORING_PORT === undefined ? undefined : { port: config.MONITORING_PORT, host: config.MONITORING_HOST ?? config.HOST },
      production: security.production,
      resilience: {
        timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
        mutationTimeoutMs: config.SUBGRAPH_MUTATION_TIMEOUT_MS,
        breakerFailures: config.BREAKER_FAILURES,
        breakerCooldownMs: config.BREAKER_COOLDOWN_MS,
      },
    }).catch((err: unknown) => {
      // Which listener failed, by its address: the monitoring port's settings, else the gateway's.
      const e = err as { port?: number; address?: string; hostname?: string };
      const monitoring =
        config.MONITORING_PORT !== undefined &&
        (e.port === config.MONITORING_PORT ||
          (config.MONITORING_HOST !== undefined && (e.address ?? e.hostname) === config.MONITORING_HOST));
      throw listenFailure(err, monitoring ? { port: 'MONITORING_PORT', host: 'MONITORING_HOST' } : { port: 'PORT', host: 'HOST' });
    });
    return {
      gateway,
      hosted,
      subgraphUrls: urls as RunningGraph['subgraphUrls'],
      security,
      close: async () => {
        await gateway.close();
        await Promise.all(Object.values(hosted).map((s) => s.close()));
      },
    };
  } catch (err) {
    await Promise.allSettled(Object.values(hosted).map((s) => s.close()));
    throw err;
  }
}

/** What hosting a subgraph in this process takes: its store, its module, its runtime. */
async function loadHosting() {
  const [{ openSubgraph, prepareSubgraphStore }, { serveSubgraphOn }] = await Promise.all([
    import('../subgraphs'),
    import('../lib/subgraphRuntime'),
  ]);
  return { openSubgraph, prepareSubgraphStore, serveSubgraphOn };
}
