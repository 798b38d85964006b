import type { GatewayPlugin } from '@graphql-hive/gateway';
import type { SubgraphTokenSigner } from '../../lib/auth';
import { edgeOf } from './edge';

/** Headers a subgraph call keeps from what the engine set: the body's type and what it accepts, nothing a client sent. */
const KEPT = new Set(['content-type', 'accept', 'x-request-id']);

/**
 * The product's gateway-to-subgraph token (lib/auth.ts, gateway/subgraphTransport.ts) as a Hive Gateway plugin: each
 * subgraph call carries only a token the gateway signs for that subgraph (audience) and the request's verified viewer,
 * valid for a minute. A call without a verified viewer fails closed instead of acting for the whole province.
 */
export function useSubgraphTokens(signer: SubgraphTokenSigner): GatewayPlugin {
  return {
    async onFetch({ executionRequest, options, setOptions, context }) {
      const subgraph = executionRequest?.subgraphName;
      const request = (context as { request?: Request } | undefined)?.request;
      const viewer = edgeOf(request)?.viewer;
      if (!subgraph || !viewer) throw new Error('a subgraph call without a verified viewer');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries((options.headers ?? {}) as Record<string, string>))
        if (KEPT.has(name.toLowerCase())) headers[name] = value;
      headers.authorization = `Bearer ${await signer.tokenFor(viewer, subgraph)}`;
      setOptions({ ...options, headers });
    },
  };
}
