import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../domain/errors';

/*
 * The client error policy: what of an error leaves the gateway. Apollo Server applies `clientError` to every error
 * of every response (its `formatError`); nothing else decides it.
 */

/** Extensions a client may see; anything else (subgraph URLs, response bodies, stack traces) stays inside. */
const CLIENT_EXTENSIONS = ['code', 'field', 'rule', 'serviceName'];

/**
 * Codes whose messages the product writes itself (refusals of the client's request, failures the gateway reports):
 * their message is safe to pass on. Anything else a subgraph or the gateway produced — an unexpected exception,
 * whose message may carry a stack, a path or an address — is replaced by a generic message and a stable code.
 */
const OWN_CODES = new Set<string>([
  ...Object.values(ErrorCode), 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'ASSESSMENT_INDEX_NOT_BUILT', 'OPERATION_LIMIT',
]);

export function clientError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = Object.fromEntries(Object.entries(formatted.extensions ?? {}).filter(([k]) => CLIENT_EXTENSIONS.includes(k)));
  const code = typeof extensions.code === 'string' ? extensions.code : undefined;
  if (code !== undefined && OWN_CODES.has(code)) return { ...formatted, extensions };
  const service = typeof extensions.serviceName === 'string' ? extensions.serviceName : null;
  return {
    ...formatted,
    message: service ? `subgraph ${service} failed to answer this part of the query` : 'internal error',
    extensions: { ...extensions, code: service ? ErrorCode.SOURCE_ERROR : 'INTERNAL_SERVER_ERROR' },
  };
}
