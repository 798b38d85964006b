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
