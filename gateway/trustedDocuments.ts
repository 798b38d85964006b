import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Request, RequestHandler } from 'express';
import { callerPolicy } from './callerPolicy';
import { edgeLocals, operationOf, refuse } from './edge';

/**
 * Trusted documents (persisted-query safelisting): in production the gateway may accept only the operations a
 * front-end registered at build time. The manifest is Apollo's persisted-query manifest format, built by
 * `npm run trusted-documents` from the front-end's `.graphql` files; an operation is known by the SHA-256 of its
 * body.
 */
export interface TrustedManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }[];
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export class TrustedDocuments {
  private readonly byId: Map<string, string>;

  constructor(manifest: TrustedManifest) {
    if (manifest.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1) {
      throw new Error('trusted documents: not an apollo-persisted-query-manifest, version 1');
    }
    this.byId = new Map(manifest.operations.map((o) => [o.id, o.body]));
  }

  static fromFile(file: string): TrustedDocuments {
    return new TrustedDocuments(JSON.parse(readFileSync(file, 'utf8')) as TrustedManifest);
  }

  get size(): number {
    return this.byId.size;
  }

  /**
   * The registered body for a request, which names it by `extensions.persistedQuery.sha256Hash` or sends a body
   * whose hash is registered; null when the operation is not on the list.
   */
  resolve(query: unknown, extensions: unknown): string | null {
    const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
    if (typeof hash === 'string') {
      const body = this.byId.get(hash) ?? null;
      if (body === null) return null;
      return typeof query === 'string' && query !== body ? null : body;
    }
    if (typeof query === 'string') return this.byId.has(sha256(query)) ? query : null;
    return null;
  }
}

/**
 * Runs only registered operations (TRUSTED_DOCUMENTS) for the callers held to the list: a request naming or sending
 * an unregistered one is refused (400); a registered one reaches Apollo as its registered body.
 */
export function enforceTrustedDocuments(trusted: TrustedDocuments | null | undefined): RequestHandler {
  return (req, res, next) => {
    if (!trusted || !callerPolicy(edgeLocals(res).caller).trustedDocumentsOnly) return next();
    const op = operationOf(req);
    const body = trusted.resolve(op.query, op.extensions);
    if (body === null)
      return refuse(res, 400, 'PERSISTED_QUERY_NOT_IN_LIST', 'this gateway accepts only registered operations (trusted documents)');
    replaceOperation(req, body);
    return next();
  };
}

/**
 * Puts the registered body where the Apollo integration reads the operation: the query string of `req.url` for GET,
 * the JSON body for POST. The hash has done its job and Apollo's own persisted queries are off, so the extension goes.
 */
function replaceOperation(req: Request, body: string): void {
  if (req.method === 'GET') {
    const [path, search] = req.url.split('?');
    const params = new URLSearchParams(search ?? '');
    params.set('query', body);
    params.delete('extensions');
    req.url = `${path}?${params.toString()}`;
  } else {
    const { extensions: _hash, ...rest } = req.body as Record<string, unknown>;
    req.body = { ...rest, query: body };
  }
}
