import type { GatewayPlugin } from '@graphql-hive/gateway';
import { AuthError, verifyClient } from '../../lib/auth';
import type { AuthenticationSettings } from '../authenticate';
import { refusal, setEdge } from './edge';

/**
 * The product's bearer-token check (gateway/authenticate.ts) as a Hive Gateway plugin: a client token, else the
 * product's service token, else 401 with the client verification's reason, before anything is parsed or planned.
 * The viewer is the only identity the later plugins and the subgraph tokens use.
 */
export function useCourtAuthentication(settings: AuthenticationSettings, graphqlEndpoint: string): GatewayPlugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== graphqlEndpoint) return;
      const header = request.headers.get('authorization') ?? undefined;
      try {
        setEdge(request, { viewer: await verifyClient(header, settings.auth), caller: 'client' });
        return;
      } catch (err) {
        if (settings.serviceAuth) {
          try {
            setEdge(request, { viewer: await verifyClient(header, settings.serviceAuth), caller: 'service' });
            return;
          } catch {
            // fall through to the client's refusal
          }
        }
        endResponse(refusal(401, 'UNAUTHENTICATED', err instanceof AuthError ? err.message : 'authentication failed'));
      }
    },
  };
}
