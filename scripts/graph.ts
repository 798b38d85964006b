import { DEFAULT_SUPERGRAPH_PATH, loadConfig, type Config } from '../lib/config';
import { setLogLevel } from '../lib/log';
import { serveSubgraph, type RunningServer, type SubgraphOptions } from '../lib/subgraphServer';
import { loadSecurity, type Security } from '../gateway/security';
import { serveGateway } from '../gateway/server';
import { readSupergraph } from '../gateway/supergraph';
import { openSubgraph } from '../subgraphs';
import { SUBGRAPHS, type SubgraphName } from '../subgraphs/catalogue';

/*
 * The whole-graph launcher: the composition root that puts the product's subgraphs and its gateway together in one
 * process (`npm start`, the tests, the benchmarks, `npm run assess`). Neither gateway/ nor subgraphs/ imports it.
 */

export interface RunningGraph {
  gateway: RunningServer;
  /** Subgraphs this process hosts (those without a configured URL), each on its own loopback port. */
  hosted: Partial<Record<SubgraphName, RunningServer>>;
  /** Where the gateway calls every subgraph of the supergraph (the product's four, on the product's supergraph). */
  subgraphUrls: Record<SubgraphName, string> & Record<string, string>;
  security: Security;
  close: () => Promise<void>;
}

/** What a graph needs: where and on which data; every other setting defaults as the README's settings table says. */
export type GraphConfig = Pick<Config, 'PORT' | 'HOST' | 'dataDir' | 'AS_OF_DATE'> & Partial<Omit<Config, 'PORT' | 'HOST' | 'dataDir' | 'AS_OF_DATE'>>;

/**
 * Starts the whole graph: every subgraph whose URL is not configured is hosted by this process on a loopback
 * port of its own (real HTTP between gateway and subgraph, as in production), and the gateway on PORT.
 */
export async function startGraph(given: GraphConfig, subgraphOptions: SubgraphOptions = {}): Promise<RunningGraph> {
  const config: Config = { ...loadConfig({}), ...given };
  // An embedding caller (tests, benchmarks) keeps the log level it has unless it names one.
  if (given.LOG_LEVEL) setLogLevel(given.LOG_LEVEL);
  const security = await loadSecurity(config);
  const supergraphSdl = readSupergraph(DEFAULT_SUPERGRAPH_PATH);
  const opts: SubgraphOptions = {
    ...subgraphOptions,
    today: subgraphOptions.today ?? (config.AS_OF_DATE ? () => config.AS_OF_DATE! : undefined),
  };
  const hosted: Partial<Record<SubgraphName, RunningServer>> = {};
  const urls: Record<string, string> = {};
  try {
    for (const { name, urlSetting } of SUBGRAPHS) {
      const configured = config[urlSetting];
      if (configured) {
        urls[name] = configured;
        continue;
      }
      const server = await serveSubgraph(openSubgraph(name, config.dataDir, opts), { port: 0, host: '127.0.0.1', gatewayKeys: security.gatewayKeys, shutdownGraceMs: config.SHUTDOWN_GRACE_MS });
      hosted[name] = server;
      urls[name] = server.url;
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
      production: security.production,
      resilience: { timeoutMs: config.SUBGRAPH_TIMEOUT_MS, breakerFailures: config.BREAKER_FAILURES, breakerCooldownMs: config.BREAKER_COOLDOWN_MS },
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
