import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type express from 'express';

/*
 * What the gateway and the subgraph servers share of serving HTTP: listening and closing gracefully, the last-resort
 * 500, and the plugins that keep Apollo Server off the network. Kept apart from lib/subgraphServer.ts so that a gateway
 * process loads none of the subgraph runtime (@apollo/subgraph, the subgraphs' stores) before its first answer
 * (issue 18: first answer within a second of the process starting).
 */

/**
 * Plugins that keep every Apollo Server of the product off the network: the default landing page loads Apollo
 * Sandbox from a CDN, and usage and schema reporting (installed by Apollo Server on its own whenever APOLLO_KEY and
 * APOLLO_GRAPH_REF are in the environment) send operations to Apollo's cloud. Court networks are isolated.
 */
export function noPhoneHomePlugins() {
  return [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled()];
}

export interface RunningServer {
  url: string;
  port: number;
  close: () => Promise<void>;
}

/** Last resort: an unexpected failure answers 500 with a code, never Express's HTML page with its stack trace. */
export function internalError(err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) {
  console.error(err);
  if (res.headersSent) return;
  res.status(500).json({ errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
}

/** How long a closing server waits for in-flight requests before cutting their connections (SHUTDOWN_GRACE_MS). */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/**
 * Listens, and closes gracefully: stop accepting, let in-flight requests finish (at most `shutdownGraceMs`), then
 * run `onClose` (stop Apollo, close the databases).
 */
export function listen(
  app: http.RequestListener,
  opts: { port: number; host: string; shutdownGraceMs?: number },
  onClose: () => Promise<void>,
): Promise<RunningServer> {
  const server = http.createServer(app);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      const { port } = server.address() as AddressInfo;
      const host = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/graphql`,
        port,
        close: () =>
          new Promise<void>((done, fail) => {
            const force = setTimeout(() => server.closeAllConnections(), opts.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
            force.unref();
            server.close((err) => {
              clearTimeout(force);
              if (err) fail(err);
              else onClose().then(done, fail);
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
