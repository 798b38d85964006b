import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

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
