import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { benchSigner, BENCH_VIEWER } from './tokens';

/*
 * Engine B of `npm run bench:peers`: plain @apollo/gateway under @apollo/server's standalone server, as its documentation
 * sets it up, with one addition only: each subgraph call carries the gateway-signed token the subgraphs require
 * (the bench viewer's, one per subgraph; lib/auth.ts signs it as the product does). No limits, no metrics, no plugins.
 *
 * Environment: SUPERGRAPH_SDL_FILE (the supergraph at the bench's subgraph URLs), DATA_DIR (the gateway key), PORT.
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';
const { readFileSync } = await import('node:fs');
const signer = await benchSigner(process.env.DATA_DIR!);
const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(process.env.SUPERGRAPH_SDL_FILE!, 'utf8'),
  buildService: ({ name, url }) =>
    new (class extends RemoteGraphQLDataSource {
      override async willSendRequest({ request }: Parameters<NonNullable<RemoteGraphQLDataSource['willSendRequest']>>[0]) {
        request.http!.headers.set('authorization', `Bearer ${await signer.tokenFor(BENCH_VIEWER, name)}`);
      }
    })({ url }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT ?? 0), host: '127.0.0.1' } });
console.log(`engine ready at ${url}`);
process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
