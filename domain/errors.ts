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
  /** A subgraph answered with an unexpected error (its details stay in its logs). */
  SOURCE_ERROR: 'SOURCE_ERROR',
  /** A subgraph did not answer within its time-out. */
  SOURCE_TIMEOUT: 'SOURCE_TIMEOUT',
  /** A subgraph kept failing; the gateway pauses calls to it and lets a probe through later. */
  SOURCE_CIRCUIT_OPEN: 'SOURCE_CIRCUIT_OPEN',
  /** The request is well formed but the records' state refuses it (a case already moved, a key reused). */
  CONFLICT: 'CONFLICT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * A refusal: which input field broke which rule. Pure domain code throws this. The code is BAD_USER_INPUT for
 * malformed input; a well-formed request the records refuse says NOT_FOUND, FORBIDDEN or CONFLICT.
 */
export class ValidationError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
    readonly code: ErrorCode = ErrorCode.BAD_USER_INPUT,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ValidationError';
  }
}

/** The one place a domain refusal becomes a client-facing GraphQL error. */
export function badUserInput(err: ValidationError): GraphQLError {
  return new GraphQLError(err.message, {
    extensions: { code: err.code, field: err.field, rule: err.rule },
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

/** `validated` for asynchronous work, such as a write through a source adapter. */
export async function validatedAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ValidationError) throw badUserInput(err);
    throw err;
  }
}
