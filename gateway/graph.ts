import { loadConfig, type Config } from '../lib/config';
import { loadSecurity, type Security } from './security';
import { serveSubgraph, type RunningServer, type SubgraphOptions } from '../lib/subgraphServer';
import { openSubgraph } from '../subgraphs';
import { serveGateway } from './server';
import { setLogLevel } from '../lib/log';
import { SUBGRAPHS, SUPERGRAPH_PATH, type SubgraphName } from './subgraphs';
import { readSupergraph } from './supergraph';

export interface RunningGraph {
  gateway: RunningServer;
  /** Subgraphs this process hosts (those without a configured URL), each on its own loopback port. */
  hosted: Partial<Record<SubgraphName, RunningServer>>;
  subgraphUrls: Record<SubgraphName, string>;
  security: Security;
  close: () => Promise<void>;
}

type UrlSetting = 'CASE_REGISTRY_URL' | 'PROPERTY_CONTROL_URL' | 'PERSONNEL_URL' | 'COORDINATION_URL';
/** What a graph needs: where and on which data; every other setting defaults as the README's settings table says. */
export type GraphConfig = Pick<Config, 'PORT' | 'HOST' | 'dataDir' | 'AS_OF_DATE'> & Partial<Omit<Config, 'PORT' | 'HOST' | 'dataDir' | 'AS_OF_DATE'>>;

const URL_SETTING: Record<SubgraphName, UrlSetting> = {
  'case-registry': 'CASE_REGISTRY_URL',
  'property-control': 'PROPERTY_CONTROL_URL',
  personnel: 'PERSONNEL_URL',
  coordination: 'COORDINATION_URL',
};

/**
 * Starts the whole graph: every subgraph whose URL is not configured is hosted by this process on a loopback
 * port of its own (real HTTP between gateway and subgraph, as in production), and the gateway on PORT.
 */
export async function startGraph(given: GraphConfig, subgraphOptions: SubgraphOptions = {}): Promise<RunningGraph> {
  const config: Config = { ...loadConfig({}), ...given };
  // An embedding caller (tests, benchmarks) keeps the log level it has unless it names one.
  if (given.LOG_LEVEL) setLogLevel(given.LOG_LEVEL);
  const security = await loadSecurity(config);
  const opts: SubgraphOptions = {
    ...subgraphOptions,
    today: subgraphOptions.today ?? (config.AS_OF_DATE ? () => config.AS_OF_DATE! : undefined),
  };
  const hosted: Partial<Record<SubgraphName, RunningServer>> = {};
  const urls = {} as Record<SubgraphName, string>;
  try {
    for (const { name } of SUBGRAPHS) {
      const configured = config[URL_SETTING[name]];
      if (configured) {
        urls[name] = configured;
        continue;
      }
      hosted[name] = await serveSubgraph(openSubgraph(name, config.dataDir, opts), { port: 0, host: '127.0.0.1', gatewayKeys: security.gatewayKeys, shutdownGraceMs: config.SHUTDOWN_GRACE_MS });
      urls[name] = hosted[name]!.url;
    }
    const gateway = await serveGateway({
      port: config.PORT,
      host: config.HOST,
      shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
      supergraphSdl: readSupergraph(SUPERGRAPH_PATH),
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
      subgraphUrls: urls,
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
