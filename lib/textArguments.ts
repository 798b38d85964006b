import { limitTextArguments, TEXT_LIMITS } from '../domain/textLimits';

/**
 * Bounds the text arguments of every root query field of a resolver map at the subgraph's boundary, before a rule or
 * a statement sees them (issue 13 item 7): the named limits of domain/textLimits.ts, 256 characters for any other.
 * Mutations are left to their audited writes, which refuse over-long input themselves, so every attempt is audited.
 */
export function boundedQueryArguments<Q extends object>(query: Q): Q {
  return Object.fromEntries(
    Object.entries(query).map(([field, resolve]) => [
      field,
      typeof resolve === 'function'
        ? function (this: unknown, parent: unknown, args: unknown, ...rest: unknown[]) {
            limitTextArguments(args, TEXT_LIMITS);
            return (resolve as (...a: unknown[]) => unknown).call(this, parent, args, ...rest);
          }
        : resolve,
    ]),
  ) as Q;
}
