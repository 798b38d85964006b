import type { RequestHandler } from 'express';

/*
 * CORS: which web pages may call the gateway from a browser. Only the exact origins of CORS_ORIGINS get CORS headers;
 * with none configured (the default) the gateway sends none, and a browser keeps pages of other origins out.
 */

const METHODS = 'GET, POST';
/** What a front-end sends: its token, JSON, Apollo's CSRF header, and a request id of its own. */
const REQUEST_HEADERS = 'authorization, content-type, apollo-require-preflight, x-request-id';
/** What a front-end may read of an answer besides the simple headers: the request id, to quote to an operator. */
const EXPOSED_HEADERS = 'x-request-id';
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * Answers a preflight (`OPTIONS` with `Access-Control-Request-Method`) from an allowed origin with 204 itself, before
 * any other step (a preflight carries no token); marks every answer to an allowed origin as readable by it. A request
 * from any other origin passes on without CORS headers, so its page cannot read the answer.
 */
export function cors(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, res, next) => {
    if (allowed.size === 0) return next();
    res.vary('Origin');
    const origin = req.headers.origin;
    if (!origin || !allowed.has(origin)) return next();
    res.setHeader('access-control-allow-origin', origin);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.vary('Access-Control-Request-Headers');
      res.setHeader('access-control-allow-methods', METHODS);
      res.setHeader('access-control-allow-headers', REQUEST_HEADERS);
      res.setHeader('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
      return res.status(204).end();
    }
    res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    return next();
  };
}
