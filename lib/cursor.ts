import { ValidationError } from '../domain/errors';

/**
 * Opaque pagination cursors: the sort-key position of the last item shown, as base64url JSON. A cursor that does
 * not decode to the expected shape is refused with CURSOR_FORMAT, never guessed at.
 */
export function encodeCursor(position: readonly string[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number, field = 'after'): string[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === arity && value.every((v) => typeof v === 'string')) return value as string[];
  } catch {
    // refused below
  }
  throw new ValidationError(field, 'CURSOR_FORMAT', 'not a cursor this query returned: pass pageInfo.endCursor unchanged');
}

/** A page size as given (or its default), refused with FIRST_RANGE outside 1..max. */
export function pageSize(first: number | null | undefined, fallback: number, max: number): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > max) {
    throw new ValidationError('first', 'FIRST_RANGE', `first must be between 1 and ${max}, got ${size}`);
  }
  return size;
}

/**
 * One page of a connection as its resolvers read it. `totalCount` is a thunk: its statement (one `count`, or none for
 * a list already loaded whole) runs only when a client selects the field, so the key operations' statement counts stay
 * as pinned.
 */
export interface Page<T> {
  rows: T[];
  hasNextPage: boolean;
  endCursor: string | null;
  totalCount: () => number | Promise<number>;
}

/** A page of rows a source returned (`first + 1` read to know whether more follow), with its cursor and its count. */
export function pageOf<T>(
  page: { rows: T[]; hasNextPage: boolean },
  key: (row: T) => string[],
  totalCount: () => number | Promise<number>,
): Page<T> {
  const last = page.rows.at(-1);
  return { rows: page.rows, hasNextPage: page.hasNextPage, endCursor: last ? encodeCursor(key(last)) : null, totalCount };
}

/** The fields every connection type resolves the same way. */
export const connectionFields = {
  nodes: <T>(page: Page<T>) => page.rows,
  pageInfo: <T>(page: Page<T>) => ({ hasNextPage: page.hasNextPage, endCursor: page.endCursor }),
  totalCount: <T>(page: Page<T>) => page.totalCount(),
};

/**
 * Cuts one page out of a list already loaded whole in its sort order (a per-parent list, loaded for every parent in
 * one statement): the items after the cursor's position, then `first` of them; its count is the list's length, by no
 * further statement. The cursor is the sort key of the last item shown (`key`, compared in `order`), so a list that
 * changed between two pages resumes at the right place rather than at a shifted index.
 */
export function slicePage<T>(
  all: readonly T[],
  first: number,
  after: string | null | undefined,
  key: (row: T) => string[],
  order: readonly ('asc' | 'desc')[],
): Page<T> {
  const position = after ? decodeCursor(after, order.length) : null;
  const isAfter = (row: T): boolean => {
    const k = key(row);
    for (let i = 0; i < order.length; i++) {
      if (k[i] === position![i]) continue;
      return order[i] === 'asc' ? k[i]! > position![i]! : k[i]! < position![i]!;
    }
    return false;
  };
  const rest = position ? all.filter(isAfter) : all;
  const rows = rest.slice(0, first);
  return pageOf({ rows, hasNextPage: rest.length > first }, key, () => all.length);
}
