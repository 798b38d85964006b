import { GraphQLError, isScalarType } from 'graphql';
import { CodedError } from '../domain/errorCatalogue';

/**
 * The one place a catalogued error becomes a client-facing GraphQL error: `extensions {code, field, rule}` (field
 * and rule when the error names them) plus the error's own extensions. Anything else passes through unchanged, to
 * be reported (and, at the gateway, masked) as the defect it is.
 */
export function toGraphQLError(err: CodedError): GraphQLError {
  const extensions: Record<string, string> = { code: err.code };
  if (err.field !== undefined) extensions.field = err.field;
  if (err.rule !== undefined) extensions.rule = err.rule;
  return new GraphQLError(err.message, { extensions: { ...extensions, ...err.extensions } });
}

const translate = (err: unknown): unknown => (err instanceof CodedError ? toGraphQLError(err) : err);

const isPromiseLike = (v: unknown): v is PromiseLike<unknown> => typeof (v as PromiseLike<unknown> | null)?.then === 'function';

function translated<F extends (...args: never[]) => unknown>(fn: F): F {
  return function (this: unknown, ...args: Parameters<F>) {
    let result: unknown;
    try {
      result = fn.apply(this, args);
    } catch (err) {
      throw translate(err);
    }
    if (isPromiseLike(result)) return Promise.resolve(result).catch((err) => Promise.reject(translate(err)));
    // A list of entities resolved one by one (`_entities`, `ids.map(load)`): each item fails on its own.
    if (Array.isArray(result) && result.some(isPromiseLike)) {
      return result.map((item) => (isPromiseLike(item) ? Promise.resolve(item).catch((err) => Promise.reject(translate(err))) : item));
    }
    return result;
  } as F;
}

/**
 * Wraps every resolver of a resolver map (fields, `__resolveReference`, `{ resolve }` configs) so that a catalogued
 * error thrown or rejected by it reaches the engine as a GraphQL error. Applied once, in `buildSchema`, so the same
 * translation serves a subgraph over HTTP and in process (`LocalGraphQLDataSource`).
 */
export function translateErrors<M>(resolvers: M): M {
  const maps = (Array.isArray(resolvers) ? resolvers : [resolvers]) as Record<string, unknown>[];
  const out = maps.map((map) =>
    Object.fromEntries(
      Object.entries(map ?? {}).map(([typeName, fields]) => {
        if (fields === null || typeof fields !== 'object' || isScalarType(fields)) return [typeName, fields];
        return [
          typeName,
          Object.fromEntries(
            Object.entries(fields as Record<string, unknown>).map(([name, value]) => {
              if (typeof value === 'function') return [name, translated(value as (...args: never[]) => unknown)];
              if (value && typeof value === 'object' && typeof (value as { resolve?: unknown }).resolve === 'function') {
                const config = value as { resolve: (...args: never[]) => unknown };
                return [name, { ...config, resolve: translated(config.resolve) }];
              }
              return [name, value];
            }),
          ),
        ];
      }),
    ),
  );
  return (Array.isArray(resolvers) ? out : out[0]) as M;
}
