import type { RequestHandler } from 'express';
import { log, requestIdOf } from '../lib/log';
import { injectTraceContext, serverSpan, tracingActive } from '../lib/tracing';
import { edgeLocals } from './edge';

/*
 * Request ids: every request gets one at the edge (the caller's `x-request-id` if sane, else a new one); it is on the
 * response, on the request's log line, in the GraphQL context, and on every subgraph call the request makes.
 */

const HEADER = 'x-request-id';

/** Assigns the request id, returns it on the response, and logs one JSON line per request under it. */
export function useRequestId(): RequestHandler {
  return (req, res, next) => {
    const requestId = requestIdOf(req.headers[HEADER]);
    edgeLocals(res).requestId = requestId;
    res.setHeader(HEADER, requestId);
    const started = performance.now();
    // Read now: inside app.use('/graphql') Express strips the mount path from req.path.
    const path = req.path;
    const span = tracingActive()
      ? serverSpan(`gateway ${req.method} ${path}`, req.headers, {
          'http.request.method': req.method,
          'url.path': path,
          'court_graph.component': 'gateway',
          'court_graph.request_id': requestId,
        })
      : null;
    res.on('finish', () => {
      const { viewer, operationName, errorCodes } = edgeLocals(res);
      const court = viewer?.court;
      log.info(
        {
          requestId,
          method: req.method,
          path,
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
          court,
          operationName,
          errorCodes,
        },
        'request',
      );
      span?.end(res.statusCode, {
        ...(operationName ? { 'graphql.operation.name': operationName } : {}),
        ...(errorCodes?.length ? { 'court_graph.error_codes': errorCodes } : {}),
        ...(court ? { 'court_graph.court': court } : {}),
      });
    });
    if (span) span.run(next);
    else next();
  };
}

/** Passes the request's id on to a subgraph. */
export function forwardRequestId(headers: { set(name: string, value: string): void }, context: { requestId?: string }): void {
  if (context.requestId) headers.set(HEADER, context.requestId);
  // The gateway's fetch span (Apollo Gateway's, when tracing is on) continues in the subgraph's request span.
  if (tracingActive()) injectTraceContext(headers, context.requestId);
}
