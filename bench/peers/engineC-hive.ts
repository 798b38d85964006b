import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway';
import { benchSigner, BENCH_VIEWER } from './tokens';

/*
 * Engine C of `npm run bench:peers`: Hive Gateway (@graphql-hive/gateway) as shipped — its runtime on Node's HTTP
 * server with the default configuration — plus one plugin that only sets the per-subgraph token header (the same
 * token engine B sends). The product's own Hive configuration is another branch's work; this is the stock engine.
 *
 * Environment: SUPERGRAPH_SDL_FILE (the supergraph at the bench's subgraph URLs), DATA_DIR (the gateway key), PORT.
 */
const supergraph = readFileSync(process.env.SUPERGRAPH_SDL_FILE!, 'utf8');
const subgraphAt = new Map(
  [...supergraph.matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]+)"\)/g)].map((m) => [m[2]!, m[1]!] as const),
);
const signer = await benchSigner(process.env.DATA_DIR!);
const tokenHeader: GatewayPlugin = {
  async onFetch({ url, options, setOptions }) {
    const subgraph = subgraphAt.get(url);
    if (!subgraph) return;
    const headers = new Headers(options.headers as HeadersInit | undefined);
    headers.set('authorization', `Bearer ${await signer.tokenFor(BENCH_VIEWER, subgraph)}`);
    setOptions({ ...options, headers: Object.fromEntries(headers) });
  },
};
const gateway = createGatewayRuntime({ supergraph, plugins: () => [tokenHeader] });
const server = createServer(gateway);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`engine ready at http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
});
process.on('SIGTERM', () => server.close(() => void Promise.resolve(gateway.dispose()).then(() => process.exit(0))));
