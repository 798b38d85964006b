import { existsSync } from 'node:fs';
import type { BaseContext } from '@apollo/server';
import { devKeyFiles, readJwks } from './auth';
import { carrierGrantKeysOf } from './carrierGrant';
import { databaseSettingsOf, listenFailure, loadConfigOrExit } from './config';
import { setLogLevel } from './log';
import { onShutdown } from './shutdown';
import { startTracing, stopTracing } from './tracing';
import { serveSubgraphOn } from './subgraphRuntime';
import type { SubgraphModule, SubgraphOptions } from './subgraphServer';

/** What a subgraph process needs to know of its subgraph: its name, its own port, and how to open it on DATA_DIR. */
export interface RunnableSubgraph {
  name: string;
  defaultPort: number;
  open: (dataDir: string, opts: SubgraphOptions) => SubgraphModule<BaseContext>;
  /** Brings the subgraph's store up to date before it opens (automatic migration at start). */
  prepare?: (dataDir: string, opts: SubgraphOptions) => Promise<void>;
}

/** Serves one subgraph as its own process on PORT (default: the subgraph's own port), until SIGTERM. */
export async function runSubgraphProcess(subgraph: RunnableSubgraph): Promise<void> {
  const { name } = subgraph;
  const config = loadConfigOrExit({ PORT: String(subgraph.defaultPort), ...process.env });
  setLogLevel(config.LOG_LEVEL);
  const today = config.AS_OF_DATE ? () => config.AS_OF_DATE! : undefined;
  const jwks = config.GATEWAY_JWKS_FILE ?? devKeyFiles(config.dataDir).gatewayJwks;
  if (!existsSync(jwks)) {
    console.error(
      `${name}: no gateway public key at ${jwks}; set GATEWAY_JWKS_FILE to the gateway's gateway-jwks.json (npm start creates one in DATA_DIR/keys)`,
    );
    process.exit(2);
  }
  await startTracing(`court-graph-${name}`);
  const opts: SubgraphOptions = {
    today,
    busyTimeoutMs: config.STORE_BUSY_TIMEOUT_MS,
    carrierGrantKeys: carrierGrantKeysOf(config),
    databases: databaseSettingsOf(config),
  };
  await subgraph.prepare?.(config.dataDir, opts);
  const module = subgraph.open(config.dataDir, opts);
  const server = await serveSubgraphOn(config.SUBGRAPH_RUNTIME, module, {
    port: config.PORT,
    host: config.HOST,
    gatewayKeys: readJwks(jwks),
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
  }).catch(async (err: unknown) => {
    // A port in use or a host not this machine's is the operator's setting: one line naming it, as npm start does.
    const refused = listenFailure(err, { port: 'PORT', host: 'HOST' });
    if (refused === err) throw err;
    await module.close();
    console.error(`${name}: ${(refused as Error).message}`);
    process.exit(2);
  });
  console.log(`${name} subgraph ready at ${server.url} (${config.SUBGRAPH_RUNTIME})`);
  onShutdown(async () => {
    await server.close();
    await stopTracing();
  });
}
