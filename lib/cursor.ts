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
