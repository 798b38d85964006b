import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Request, RequestHandler } from 'express';
import { callerPolicy } from './callerPolicy';
import { edgeLocals, operationOf, refuse } from './edge';

/**
 * Trusted documents (persisted-query safelisting): in production the gateway may accept only the operations a
 * front-end registered at build time. An operation is known by its id in a manifest, in either format a client's
 * build produces:
 * - Apollo's persisted-query manifest (`npm run trusted-documents` writes it; so does Apollo's
 *   `generate-persisted-query-manifest`), ids the SHA-256 of each body;
 * - the GraphQL Code Generator client preset's `persisted-documents.json` (`persistedDocuments: true`): one object
 *   from each document's hash to its text.
 * A document is trusted as registered, to the character: one that differs only by added `__typename` selections
 * (Apollo Client adds them) is another document, trusted only if it is registered in that form too (ADR 15).
 */
export interface TrustedManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }[];
}

/** The client preset's `persisted-documents.json`: each document's hash (`sha256:<hex>` by default) to its text. */
export type ClientPresetManifest = Record<string, string>;

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The ids and bodies of a manifest in either format; anything else is refused, naming the formats it may be. */
export function manifestEntries(manifest: unknown): [string, string][] {
  const m = manifest as Partial<TrustedManifest> | null;
  if (m && typeof m === 'object' && 'format' in m) {
    if (m.format !== 'apollo-persisted-query-manifest' || m.version !== 1 || !Array.isArray(m.operations)) {
      throw new Error('trusted documents: not an apollo-persisted-query-manifest, version 1');
    }
    return m.operations.map((o) => [o.id, o.body]);
  }
  if (m && typeof m === 'object' && !Array.isArray(m) && Object.values(m).every((v) => typeof v === 'string')) {
    return Object.entries(m as ClientPresetManifest);
  }
  throw new Error(
    'trusted documents: neither an apollo-persisted-query-manifest, version 1, nor a client preset persisted-documents.json (hash → document)',
  );
}

/** How a request names a registered document: `documentId` (the client preset's) or Apollo's `sha256Hash`, or its text. */
export interface DocumentReference {
  query: unknown;
  extensions: unknown;
  documentId?: unknown;
}

export class TrustedDocuments {
  private readonly byId: Map<string, string>;
  private readonly bodies: Set<string>;

  constructor(manifest: TrustedManifest | ClientPresetManifest) {
    this.byId = new Map(manifestEntries(manifest));
    this.bodies = new Set(this.byId.values());
  }

  static fromFile(file: string): TrustedDocuments {
    return new TrustedDocuments(JSON.parse(readFileSync(file, 'utf8')) as TrustedManifest | ClientPresetManifest);
  }

  get size(): number {
    return this.byId.size;
  }

  /** A registered body by id; `sha256:<hex>` (the client preset's ids, 6.x) and `<hex>` (Apollo's) name the same one. */
  private byReference(id: string): string | null {
    const other = id.startsWith('sha256:') ? id.slice('sha256:'.length) : `sha256:${id}`;
    return this.byId.get(id) ?? this.byId.get(other) ?? null;
  }

  /**
   * The registered body for a request, which names it by `documentId` or `extensions.persistedQuery.sha256Hash`, or
   * sends a body that is registered; null when the operation is not on the list. A request that both names a
   * document and sends text must send that document's text.
   */
  resolve(request: DocumentReference): string | null {
    const hash = (request.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
    const named = [request.documentId, hash].filter((x) => x !== undefined && x !== null);
    if (named.length > 0) {
      if (!named.every((x) => typeof x === 'string')) return null;
      const bodies = new Set((named as string[]).map((id) => this.byReference(id)));
      if (bodies.size !== 1) return null;
      const [body] = bodies;
      if (!body) return null;
      return typeof request.query === 'string' && request.query !== body ? null : body;
    }
    if (typeof request.query === 'string') return this.bodies.has(request.query) ? request.query : null;
    return null;
  }
}

/** The client preset's `documentId`, from the JSON body (POST) or the query string (GET). */
function documentIdOf(req: Request): unknown {
  if (req.method === 'GET') return new URLSearchParams(req.url.split('?')[1] ?? '').get('documentId') ?? undefined;
  return (req.body as { documentId?: unknown } | undefined)?.documentId;
}

/**
 * Runs only registered operations (TRUSTED_DOCUMENTS) for the callers held to the list: a request naming or sending
 * an unregistered one is refused (400); a registered one reaches Apollo as its registered body.
 */
export function enforceTrustedDocuments(trusted: TrustedDocuments | null | undefined): RequestHandler {
  return (req, res, next) => {
    if (!trusted || !callerPolicy(edgeLocals(res).caller).trustedDocumentsOnly) return next();
    const op = operationOf(req);
    const body = trusted.resolve({ query: op.query, extensions: op.extensions, documentId: documentIdOf(req) });
    if (body === null)
      return refuse(res, 400, 'PERSISTED_QUERY_NOT_IN_LIST', 'this gateway accepts only registered operations (trusted documents)');
    replaceOperation(req, body);
    return next();
  };
}

/**
 * Puts the registered body where the Apollo integration reads the operation: the query string of `req.url` for GET,
 * the JSON body for POST. The id has done its job and Apollo's own persisted queries are off, so the extension and
 * `documentId` go.
 */
function replaceOperation(req: Request, body: string): void {
  if (req.method === 'GET') {
    const [path, search] = req.url.split('?');
    const params = new URLSearchParams(search ?? '');
    params.set('query', body);
    params.delete('extensions');
    params.delete('documentId');
    req.url = `${path}?${params.toString()}`;
  } else {
    const { extensions: _hash, documentId: _id, ...rest } = req.body as Record<string, unknown>;
    req.body = { ...rest, query: body };
  }
}
