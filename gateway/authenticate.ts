import type { RequestHandler } from 'express';
import { AuthError, verifyClient, type ClientAuthSettings } from '../lib/auth';
import { edgeLocals, refuse, type Caller } from './edge';

export interface AuthenticationSettings {
  /** Client token verification (pinned algorithm, issuer, audience, keys). */
  auth: ClientAuthSettings;
  /** Verifies the product's own service tokens (the index pass); see gateway/callerPolicy.ts for what they may do. */
  serviceAuth?: ClientAuthSettings;
}

/**
 * The bearer token is the only source of identity: a client token, else the product's service token, else 401 with
 * the client verification's reason. The viewer and the kind of caller go on for the rest of the edge.
 */
export function authenticate(settings: AuthenticationSettings): RequestHandler {
  const accept = (res: Parameters<RequestHandler>[1], viewer: Awaited<ReturnType<typeof verifyClient>>, caller: Caller) => {
    edgeLocals(res).viewer = viewer;
    edgeLocals(res).caller = caller;
  };
  return async (req, res, next) => {
    const header = req.headers.authorization;
    try {
      accept(res, await verifyClient(header, settings.auth), 'client');
      return next();
    } catch (err) {
      if (settings.serviceAuth) {
        try {
          accept(res, await verifyClient(header, settings.serviceAuth), 'service');
          return next();
        } catch {
          // fall through to the client's refusal
        }
      }
      res.setHeader('www-authenticate', 'Bearer');
      return refuse(res, 401, 'UNAUTHENTICATED', err instanceof AuthError ? err.message : 'authentication failed');
    }
  };
}
