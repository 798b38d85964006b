import type { GatewayPlugin } from '@graphql-hive/gateway';
import type { GraphQLSchema } from 'graphql';
import { callerPolicy } from '../callerPolicy';
import { checkInputs } from '../inputs';
import { checkOperation, LimitError, type CostModel, type OperationLimits } from '../limits';
import { edgeOf, refusal } from './edge';

/** The operation a POST body (JSON) or a GET query string carries; undefined fields when there is none. */
async function operationOf(
  request: Request,
  url: URL,
): Promise<{ query?: unknown; variables?: Record<string, unknown>; operationName?: unknown }> {
  if (request.method === 'GET') {
    const variables = url.searchParams.get('variables');
    try {
      return {
        query: url.searchParams.get('query') ?? undefined,
        variables: variables ? JSON.parse(variables) : undefined,
        operationName: url.searchParams.get('operationName') ?? undefined,
      };
    } catch {
      return { query: url.searchParams.get('query') ?? undefined };
    }
  }
  try {
    const body = (await request.clone().json()) as { query?: unknown; variables?: Record<string, unknown>; operationName?: unknown };
    return Array.isArray(body) ? {} : body;
  } catch {
    return {};
  }
}

/**
 * The product's operation limits (gateway/limits.ts: depth, aliases, directives, tokens, estimated cost and list
 * sizes from the supergraph's `@listSize`/`@cost`) as a Hive Gateway plugin, with the same caller policy: the service
 * token is exempt from the volume limits, must send text, and may not write. Refused with OPERATION_LIMIT (400) and
 * the limit's `rule` before any subgraph is called; then the input checks (BAD_USER_INPUT with `field` and `rule`).
 * Runs after `useCourtAuthentication`.
 */
export function useOperationLimits(limits: OperationLimits, costs: CostModel, graphqlEndpoint: string): GatewayPlugin {
  let schema: GraphQLSchema | null = null;
  return {
    onSchemaChange({ schema: next }) {
      schema = next;
    },
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== graphqlEndpoint) return;
      const edge = edgeOf(request);
      if (!edge) return;
      const policy = callerPolicy(edge.caller);
      const op = await operationOf(request, url);
      if (policy.sendsText && typeof op.query !== 'string')
        return endResponse(refusal(400, 'BAD_REQUEST', 'a service token sends the operation text'));
      if (typeof op.query !== 'string') return;
      try {
        const { writes } = checkOperation(op.query, op.variables, limits, schema, { enforceVolume: policy.volumeLimits, costs });
        if (writes && !policy.mayWrite) return endResponse(refusal(403, 'FORBIDDEN', 'a service token may only run queries'));
        // The input checks the product gateway makes before planning (gateway/inputs.ts): variables against their
        // types, Money and Date values by their rules, refused with the input's field and the rule.
        const given: unknown = op.variables;
        if (schema && (given === undefined || given === null || (typeof given === 'object' && !Array.isArray(given)))) {
          const bad = checkInputs(schema, op.query, (given ?? {}) as Record<string, unknown>, op.operationName);
          if (bad)
            return endResponse(
              refusal(400, bad.code, bad.message, {
                ...(bad.field !== undefined ? { field: bad.field } : {}),
                ...(bad.rule !== undefined ? { rule: bad.rule } : {}),
              }),
            );
        }
      } catch (err) {
        if (err instanceof LimitError)
          return endResponse(refusal(400, 'OPERATION_LIMIT', err.message, { field: err.field, rule: err.rule }));
        throw err;
      }
    },
  };
}
