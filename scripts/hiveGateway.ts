import { createServer } from 'node:http';
import { loadConfigOrExit } from '../lib/config';
import { onShutdown } from '../lib/shutdown';
import { loadSecurity } from '../gateway/security';
import { readSupergraph, subgraphsOf } from '../gateway/supergraph';
import { cataloguedSubgraph } from '../subgraphs/catalogue';

/*
 * `npm run start:hive`: the supergraph on Hive Gateway instead of the product's Apollo gateway (ADR 21, README "Other
 * engines"). Every subgraph runs as its own process (`npm run start:subgraph -- <name>`) at the URL its setting
 * (CASE_REGISTRY_URL, ...) or the supergraph gives; the keys, limits and PORT/HOST are the product gateway's settings.
 */
const config = loadConfigOrExit();
const { createHiveGateway } = await import('../gateway/hive').catch((err: unknown) => {
  // The court bundle carries the production dependencies only; Hive Gateway is a development dependency (ADR 21).
  if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String(err).includes('@graphql-hive/gateway')) {
    console.error('start:hive: @graphql-hive/gateway is not installed. Hive Gateway is a second engine for verification,');
    console.error('not part of the court bundle: run it from a development checkout (npm ci), docs/offline-install.md.');
    process.exit(1);
  }
  throw err;
});
const security = await loadSecurity(config);
const urls = new Map(
  subgraphsOf(readSupergraph(config.SUPERGRAPH_PATH)).map(({ name, url }) => {
    const known = cataloguedSubgraph(name);
    return [name, (known && config[known.urlSetting]) || url];
  }),
);
const supergraphSdl = readSupergraph(config.SUPERGRAPH_PATH).replace(
  /@join__graph\(name: "([^"]+)", url: "([^"]*)"\)/g,
  (_m, name: string) => `@join__graph(name: "${name}", url: "${urls.get(name) ?? ''}")`,
);
const runtime = createHiveGateway({ supergraphSdl, security, logging: config.LOG_LEVEL === 'debug' ? 'debug' : 'error' });
const server = createServer(runtime);
server.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  console.log(`hive gateway ready at http://${config.HOST}:${port}/graphql`);
});
onShutdown(
  () => new Promise<void>((resolve) => server.close(() => resolve())),
  async () => runtime.dispose(),
);
