import type { Caller } from '../edge';
import type { Viewer } from '../../lib/auth';

/** What the Hive Gateway plugins learn of a request at its edge, kept per request (never at module level per user). */
export interface HiveEdge {
  viewer: Viewer;
  caller: Caller;
}

const edges = new WeakMap<Request, HiveEdge>();

export const setEdge = (request: Request, edge: HiveEdge) => edges.set(request, edge);
export const edgeOf = (request: Request | undefined): HiveEdge | undefined => (request ? edges.get(request) : undefined);

/** A refusal in the product's shape: `errors[0].extensions.code` (and `rule`), the status the product's gateway sends. */
export function refusal(status: number, code: string, message: string, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code, ...extra } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}) },
  });
}
