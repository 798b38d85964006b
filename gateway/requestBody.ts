import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { Kind, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { operationOf, refuse } from './edge';

/** Reads the JSON body, at most `maxBodyBytes` (MAX_BODY_BYTES): larger is 413, malformed JSON 400. */
export function parseBody(maxBodyBytes: number): [RequestHandler, ErrorRequestHandler] {
  return [
    express.json({ limit: maxBodyBytes }),
    (err, _req, res, next) => {
      const status = (err as { status?: number }).status;
      if (status === 413) return refuse(res, 413, 'PAYLOAD_TOO_LARGE', `the request body is larger than ${maxBodyBytes} bytes`);
      if (status === 400) return refuse(res, 400, 'BAD_REQUEST', 'the request body is not valid JSON');
      return next(err);
    },
  ];
}

/** One operation per request: a batched array is refused (Apollo's own batching is off too). */
export function refuseBatches(): RequestHandler {
  return (req, res, next) => {
    if (Array.isArray(req.body)) return refuse(res, 400, 'BATCHING_NOT_ALLOWED', 'send one operation per request');
    return next();
  };
}

/**
 * The one operation a request runs, chosen as graphql-js chooses it (`getOperationAST`): the one named by
 * `operationName`, or the document's only operation. Apollo Gateway makes the same choice only after Apollo Server has
 * committed to executing, and its refusal (several operations and no name, an unknown name) then reaches the client
 * as a 500; so the edge makes it first and refuses with OPERATION_RESOLUTION_FAILURE (400). A subscription is refused
 * too (OPERATION_TYPE_NOT_SUPPORTED): the graph has none, and the gateway serves queries and mutations over HTTP.
 * Runs after the trusted-document step, on the body that will run, and after the limits (the document is bounded).
 * Text that does not parse, and an `operationName` that is not a string, are Apollo's to refuse.
 */
export function selectOperation(maxTokens: number): RequestHandler {
  return (req, res, next) => {
    const op = operationOf(req);
    if (typeof op.query !== 'string' || (op.operationName != null && typeof op.operationName !== 'string')) return next();
    let document: DocumentNode;
    try {
      document = parse(op.query, { maxTokens, noLocation: true });
    } catch {
      return next();
    }
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const name = typeof op.operationName === 'string' && op.operationName !== '' ? op.operationName : null;
    const chosen = name === null ? (operations.length === 1 ? operations[0] : undefined) : operations.find((o) => o.name?.value === name);
    if (!chosen) {
      const why =
        name !== null
          ? `the document has no operation named ${JSON.stringify(name.slice(0, 100))}`
          : operations.length === 0
            ? 'the document holds no operation'
            : `the document holds ${operations.length} operations: name the one to run in operationName`;
      return refuse(res, 400, 'OPERATION_RESOLUTION_FAILURE', why);
    }
    if (chosen.operation === 'subscription')
      return refuse(res, 400, 'OPERATION_TYPE_NOT_SUPPORTED', 'this graph serves queries and mutations; it has no subscriptions');
    return next();
  };
}
