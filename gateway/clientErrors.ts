import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, isClientSafeCode } from '../domain/errorCatalogue';

/*
 * The client error policy: what of an error leaves the gateway. Apollo Server applies `clientError` to every error
 * of every response (its `formatError`); nothing else decides it.
 */

/** Extensions a client may see; anything else (subgraph URLs, response bodies, stack traces) stays inside. */
const CLIENT_EXTENSIONS = ['code', 'field', 'rule', 'serviceName'];

export function clientError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = Object.fromEntries(Object.entries(formatted.extensions ?? {}).filter(([k]) => CLIENT_EXTENSIONS.includes(k)));
  const code = typeof extensions.code === 'string' ? extensions.code : undefined;
  // A code the catalogue marks client-safe carries a message the product wrote itself (a refusal of the client's
  // request, a failure the gateway reports). Anything else — an unexpected exception, whose message may carry a
  // stack, a path or an address — is replaced by a generic message and a stable code; a new code stays masked until
  // the catalogue says otherwise.
  if (code !== undefined && isClientSafeCode(code)) return { ...formatted, extensions };
  const service = typeof extensions.serviceName === 'string' ? extensions.serviceName : null;
  return {
    ...formatted,
    message: service ? `subgraph ${service} failed to answer this part of the query` : 'internal error',
    extensions: { ...extensions, code: service ? ErrorCode.SOURCE_ERROR : 'INTERNAL_SERVER_ERROR' },
  };
}
