import { existsSync } from 'node:fs';
import { devKeyFiles, readJwks } from '../lib/auth';
import { loadConfigOrExit } from '../lib/config';
import { serveSubgraph } from '../lib/subgraphServer';
import { SUBGRAPHS, type SubgraphName } from '../gateway/subgraphs';
import { openSubgraph } from '../subgraphs';
import { onShutdown } from './shutdown';
import { setLogLevel } from '../lib/log';

/** Serves one subgraph as its own process on PORT (default: the subgraph's own port). */
export async function runSubgraphProcess(name: SubgraphName): Promise<void> {
  const config = loadConfigOrExit({ PORT: String(SUBGRAPHS.find((s) => s.name === name)!.defaultPort), ...process.env });
  setLogLevel(config.LOG_LEVEL);
  const today = config.AS_OF_DATE ? () => config.AS_OF_DATE! : undefined;
  const jwks = config.GATEWAY_JWKS_FILE ?? devKeyFiles(config.dataDir).gatewayJwks;
  if (!existsSync(jwks)) {
    console.error(`${name}: no gateway public key at ${jwks}; set GATEWAY_JWKS_FILE to the gateway's gateway-jwks.json (npm start creates one in DATA_DIR/keys)`);
    process.exit(2);
  }
  const server = await serveSubgraph(openSubgraph(name, config.dataDir, { today }), { port: config.PORT, host: config.HOST, gatewayKeys: readJwks(jwks), shutdownGraceMs: config.SHUTDOWN_GRACE_MS });
  console.log(`${name} subgraph ready at ${server.url}`);
  onShutdown(() => server.close());
}

const requested = process.argv[2];
if (requested && import.meta.url === `file://${process.argv[1]}`) {
  if (!SUBGRAPHS.some((s) => s.name === requested)) {
    console.error(`unknown subgraph "${requested}": one of ${SUBGRAPHS.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  await runSubgraphProcess(requested as SubgraphName);
}
