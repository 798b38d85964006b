import type { BaseContext } from '@apollo/server';
import Fastify from 'fastify';
import {
  Kind,
  valueFromASTUntyped,
  type ConstValueNode,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLSchema,
  type TypeNode,
} from 'graphql';
import mercurius from 'mercurius';
import { gatewayTokenVerifier, type Viewer } from './auth';
import { log, requestIdOf } from './log';
import { serverSpan, tracingActive } from './tracing';
import {
  buildSchema,
  DEFAULT_SHUTDOWN_GRACE_MS,
  readinessProbe,
  subgraphSpanAttributes,
  unauthenticatedBody,
  type RunningServer,
  type ServeOptions,
  type SubgraphModule,
} from './subgraphServer';

/**
 * The alternative subgraph runtime (DESIGN.md): the same framework-neutral module, the same executable schema
 * (`buildSchema`, so `_entities`, `_service` and the error translation are the ones Apollo Server runs), served by
 * Mercurius on Fastify, with queries compiled by graphql-jit once they are seen twice. Chosen with
 * `SUBGRAPH_RUNTIME=mercurius`; the behaviour a gateway or an operator sees is the Apollo runtime's: the gateway's
 * token on every request (`_service` included), `/health/live` and `/health/ready`, one log line per request under
 * the gateway's request id, error codes in `extensions.code`, and a graceful close within SHUTDOWN_GRACE_MS.
 */
declare module 'fastify' {
  interface FastifyRequest {
    viewer?: Viewer;
    started?: number;
    span?: ReturnType<typeof serverSpan>;
  }
}

/** Apollo Server's codes for errors that carry none: the gateway and clients see one vocabulary from both runtimes. */
function withCode(error: GraphQLError, fallback: string) {
  const json = error.toJSON();
  return { ...json, extensions: { ...json.extensions, code: json.extensions?.code ?? fallback } };
}

/**
 * The variables with every omitted input-object field that has a default given its default, as graphql-js coerces
 * them: the SDL's default literal, the external form a client would send, so the engine parses it as any value.
 * graphql-jit (0.8.9), which Mercurius executes with, refuses an omitted field of a non-null type with a default
 * instead (`reasons: [String!]! = []` of the registry's decisions: "Field value.reasons of required type [String!]!
 * was not provided"). Filled in place: the variables are this request's own. A document of several operations is left
 * alone. Types are told apart by their tag, not `instanceof`: under tsx the schema's graphql (through @apollo/subgraph)
 * is another copy of the module than this file's.
 */
export function withInputDefaults(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined) {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!variables || operations.length !== 1) return variables;
  const fill = (type: WrappedType | undefined, value: unknown): void => {
    if (!type || value === null || value === undefined) return;
    const tag = Object.prototype.toString.call(type);
    if (tag === '[object GraphQLNonNull]') return fill(type.ofType, value);
    if (tag === '[object GraphQLList]') {
      if (Array.isArray(value)) for (const item of value) fill(type.ofType, item);
      return;
    }
    if (tag !== '[object GraphQLInputObjectType]' || typeof value !== 'object' || Array.isArray(value)) return;
    const object = value as Record<string, unknown>;
    for (const field of Object.values(type.getFields!())) {
      const literal = field.astNode?.defaultValue;
      if (!(field.name in object) && literal) object[field.name] = valueFromASTUntyped(literal);
      fill(field.type, object[field.name]);
    }
  };
  const typeOf = (node: TypeNode): WrappedType | undefined => {
    if (node.kind === Kind.NAMED_TYPE) return schema.getType(node.name.value) as WrappedType | undefined;
    const inner = typeOf(node.type);
    return inner && { [Symbol.toStringTag]: node.kind === Kind.LIST_TYPE ? 'GraphQLList' : 'GraphQLNonNull', ofType: inner };
  };
  for (const definition of operations[0]!.variableDefinitions ?? [])
    fill(typeOf(definition.type), variables[definition.variable.name.value]);
  return variables;
}

/** What {@link withInputDefaults} reads of a schema type, from whichever copy of graphql made it. */
interface WrappedType {
  [Symbol.toStringTag]?: string;
  ofType?: WrappedType;
  getFields?: () => Record<string, { name: string; type: WrappedType; astNode?: { defaultValue?: ConstValueNode } | null }>;
}

export async function serveSubgraphOnMercurius<Ctx extends BaseContext>(
  module: SubgraphModule<Ctx>,
  opts: ServeOptions,
): Promise<RunningServer> {
  const app = Fastify({
    // Subgraphs answer the gateway, whose entity fetches for a large query can carry tens of thousands of
    // representations; client-facing body limits belong to the gateway.
    bodyLimit: 64 * 1024 * 1024,
    logger: false,
    // Keep-alive connections the gateway is not using close with the server; busy ones get the grace period.
    forceCloseConnections: 'idle',
  });
  // Each token is verified once and remembered until it expires (lib/auth.ts, issue 18).
  const gatewayTokens = gatewayTokenVerifier(opts.gatewayKeys, module.name);
  app.addHook('onRequest', async (request, reply) => {
    const requestId = requestIdOf(request.headers['x-request-id']);
    reply.header('x-request-id', requestId);
    request.started = performance.now();
    if (tracingActive()) {
      request.span = serverSpan(
        `${module.name} ${request.method} ${request.url.split('?')[0]}`,
        request.headers,
        subgraphSpanAttributes(module.name, requestId),
      );
    }
    // Only the gateway may call a subgraph: a request without a valid gateway token for this subgraph gets nothing.
    if (request.url === '/graphql' || request.url.startsWith('/graphql?')) {
      try {
        request.viewer = await gatewayTokens.verify(request.headers.authorization);
      } catch (err) {
        await reply.code(401).header('www-authenticate', 'Bearer').send(unauthenticatedBody(err));
      }
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    log.info(
      {
        requestId: reply.getHeader('x-request-id'),
        subgraph: module.name,
        method: request.method,
        path: request.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(performance.now() - (request.started ?? performance.now())),
      },
      'request',
    );
    request.span?.end(reply.statusCode);
  });
  app.get('/health/live', async () => ({ status: 'live', subgraph: module.name }));
  const ready = readinessProbe(module);
  app.get('/health/ready', async (_request, reply) => {
    const { status, body } = await ready();
    return reply.code(status).send(body);
  });
  await app.register(mercurius, {
    schema: buildSchema(module),
    path: '/graphql',
    graphiql: false,
    ide: false,
    jit: 1,
    allowBatchedQueries: false,
    context: (request) => module.createContext(request.viewer!),
    errorFormatter: (execution: ExecutionResult, ctx) => {
      // Mercurius calls this for execution errors (200 with partial data) and for query errors (parse, validation),
      // which it marks with a 400 status code on the error, as Apollo Server answers them.
      const errors = execution.errors ?? [];
      const invalid = errors.find((e) => (e.originalError as { statusCode?: number } | undefined)?.statusCode === 400);
      const fallback = invalid
        ? errors[0]?.message.startsWith('Syntax Error')
          ? 'GRAPHQL_PARSE_FAILED'
          : 'GRAPHQL_VALIDATION_FAILED'
        : 'INTERNAL_SERVER_ERROR';
      const formatted = errors.flatMap((e) => {
        // A query error arrives wrapped: its validation errors are listed under `originalError.errors`.
        const inner = (e.originalError as { errors?: GraphQLError[] } | undefined)?.errors;
        return inner && inner.length > 0 ? inner.map((i) => withCode(i, fallback)) : [withCode(e, fallback)];
      });
      void ctx;
      return { statusCode: invalid ? 400 : 200, response: { data: execution.data ?? null, errors: formatted } as never };
    },
  });
  app.graphql.addHook('preExecution', async (schema, document, _context, variables) => ({
    variables: withInputDefaults(schema, document, variables as Record<string, unknown> | undefined),
  }));
  app.setErrorHandler((err, _request, reply) => {
    console.error(err);
    void reply.code(500).send({ errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  });

  await app.listen({ port: opts.port, host: opts.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const host = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/graphql`,
    port,
    close: async () => {
      const force = setTimeout(() => app.server.closeAllConnections(), opts.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
      force.unref();
      try {
        await app.close();
      } finally {
        clearTimeout(force);
      }
      await module.close();
    },
  };
}
