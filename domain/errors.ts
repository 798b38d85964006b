import { GraphQLError } from 'graphql';

/**
 * Stable error codes. Clients branch on `extensions.code`; messages may be reworded, codes may not.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  SOURCE_UNAVAILABLE: 'SOURCE_UNAVAILABLE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A validation failure: which input field broke which rule. Pure domain code throws this. */
export class ValidationError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ValidationError';
  }
}

/** The one place a domain validation failure becomes a client-facing GraphQL error. */
export function badUserInput(err: ValidationError): GraphQLError {
  return new GraphQLError(err.message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, field: err.field, rule: err.rule },
  });
}

/** Runs a validator and translates its failure into BAD_USER_INPUT; other errors pass through unchanged. */
export function validated<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ValidationError) throw badUserInput(err);
    throw err;
  }
}
