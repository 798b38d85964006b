import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, isClientSafeCode, isRuleId } from '../domain/errorCatalogue';

/*
 * The client error policy: what of an error leaves the gateway. Apollo Server applies `clientError` to every error
 * of every response (its `formatError`); in production `withoutSuggestions` then takes the schema hints out of every
 * message. Nothing else decides it.
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

/**
 * graphql-js' hints ("Did you mean the enum value "BASIC"?", "Did you mean "measureId"?") name parts of the schema.
 * Apollo's `hideSchemaDetailsFromClientErrors` strips them from validation errors only; variable coercion and a
 * subgraph's own refusals carry them too. The hint is a sentence of its own, so the rest of the message stands.
 */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

export function withoutSuggestion(message: string): string {
  return message.replace(SUGGESTION, '');
}

/** Production: no error of any response, from any stage, suggests a name of the schema. */
export function withoutSuggestions(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          for (const e of response.body.singleResult.errors ?? []) (e as { message: string }).message = withoutSuggestion(e.message);
        },
      };
    },
  };
}

/** An input path as the product names one: `measureId`, `ids[3]`, `input.caseNumbers[1]`. */
const INPUT_PATH = /^(?=.{1,200}$)[A-Za-z_][A-Za-z0-9_]*(?:\[\d{1,6}\]|\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * What locates a system, taken out of a subgraph's message: URLs, IP addresses (v4, bracketed v6, with a port), host
 * names with a port or a network suffix, `localhost`, and absolute file paths (POSIX or Windows).
 */
const ADDRESSES: RegExp[] = [
  /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi,
  /\[[0-9a-f]*:[0-9a-f:.]*\](?::\d+)?/gi,
  /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g,
  /\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:internal|local|localdomain|lan|corp|intra|intranet|home|com|net|org|cn|gov|edu|io)\b(?::\d+)?/gi,
  /\b[a-z0-9][a-z0-9.-]*:\d{2,5}\b/gi,
  /\blocalhost\b/gi,
  /(?<=^|[\s('"=,;])(?:[a-z]:)?[\\/](?:[^\s'"),;\\/]+[\\/])*[^\s'"),;\\/]+/gim,
];

export function withoutAddresses(message: string): string {
  return ADDRESSES.reduce((m, pattern) => m.replace(pattern, '[address]'), message);
}

/**
 * A subgraph's refusal of a request (its HTTP 400), as far as a client may see it: a code the catalogue has as
 * client-safe (GraphQL validation of the subgraph's operation is the client's malformed input, BAD_USER_INPUT; no
 * code, too), a `rule` only from the catalogue, a `field` only when it reads as an input path, and the message's
 * first line without addresses or file paths. Null when the refusal is not one the catalogue knows: the caller
 * reports it by a fixed message instead.
 */
export function subgraphRefusal(
  serviceName: string,
  error: { message?: unknown; extensions?: Record<string, unknown> },
): { message: string; extensions: Record<string, string> } | null {
  if (typeof error.message !== 'string' || error.message.trim() === '') return null;
  const given = error.extensions?.code ?? ErrorCode.BAD_USER_INPUT;
  const code = given === 'GRAPHQL_VALIDATION_FAILED' ? ErrorCode.BAD_USER_INPUT : isClientSafeCode(given) ? given : null;
  if (code === null) return null;
  const extensions: Record<string, string> = { code, serviceName };
  const { field, rule } = error.extensions ?? {};
  if (isRuleId(rule)) extensions.rule = rule;
  if (typeof field === 'string' && INPUT_PATH.test(field)) extensions.field = field;
  return { message: withoutAddresses(error.message.split('\n')[0]!), extensions };
}
