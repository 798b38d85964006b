import type { Request, Response } from 'express';
import type { Viewer } from '../lib/auth';
import { log } from '../lib/log';
import type { GatewayMetrics } from './metrics';

/*
 * What the HTTP edge's units share: what each learns of a request (on `res.locals`), how one refuses it, and how one
 * reads the operation it carries. The units themselves, in the order a request meets them, are assembled in
 * gateway/server.ts.
 */

/** Who authenticated a request: a client of the court identity provider, or the product's own service pass. */
export type Caller = 'client' | 'service';

/** What the edge has learnt of a request so far. */
export interface EdgeLocals {
  requestId?: string;
  viewer?: Viewer;
  caller?: Caller;
  metrics?: GatewayMetrics;
  /** The operation the request ran and the error codes it answered with, for the request's log line and span. */
  operationName?: string;
  errorCodes?: string[];
}

export function edgeLocals(res: Response): EdgeLocals {
  return res.locals as EdgeLocals;
}

/** Refuses a request before Apollo sees it, in the GraphQL error shape, counted by code and logged with the reason. */
export function refuse(res: Response, status: number, code: string, message: string, extra: Record<string, string> = {}) {
  edgeLocals(res).metrics?.error(code);
  edgeLocals(res).errorCodes = [code];
  log.info({ requestId: edgeLocals(res).requestId, status, code, ...extra, reason: message }, 'refused');
  res.status(status).json({ errors: [{ message, extensions: { code, ...extra } }] });
}

export interface RequestOperation {
  query: unknown;
  variables: Record<string, unknown> | undefined;
  extensions: unknown;
  operationName: unknown;
}

/**
 * The operation a request carries: JSON body for POST; for GET the query string, read from `req.url` with
 * URLSearchParams exactly as the Apollo integration reads it (Express's own parser stops at 1000 parameters, which
 * would let padding hide the operation from the limits).
 */
export function operationOf(req: Request): RequestOperation {
  if (req.method === 'GET') {
    const params = new URLSearchParams(req.url.split('?')[1] ?? '');
    const json = (text: string | null) => {
      try {
        return text ? JSON.parse(text) : undefined;
      } catch {
        return undefined;
      }
    };
    return {
      query: params.get('query') ?? undefined,
      variables: json(params.get('variables')),
      extensions: json(params.get('extensions')),
      operationName: params.get('operationName') ?? undefined,
    };
  }
  const body = (req.body ?? {}) as { query?: unknown; variables?: Record<string, unknown>; extensions?: unknown; operationName?: unknown };
  return {
    query: body.query,
    variables: body.variables ?? undefined,
    extensions: body.extensions,
    operationName: body.operationName ?? undefined,
  };
}
