import { ValidationError } from '../../domain/errors';

/** The ValidationError `fn` throws; fails the test if it throws nothing or something else. */
export function caught(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}
