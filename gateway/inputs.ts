import { createRequire } from 'node:module';
import type { RequestHandler } from 'express';
import type * as GraphQLJs from 'graphql';
import type {
  ArgumentNode,
  DocumentNode,
  GraphQLInputType,
  GraphQLSchema,
  OperationDefinitionNode,
  ValueNode,
  VariableDefinitionNode,
} from 'graphql';
import { refuse, type CodedError } from '../domain/errorCatalogue';
import { isInputScalar, scalarRefusal } from '../lib/scalars';
import { withoutSuggestion } from './clientErrors';
import { operationOf, refuse as refuseRequest } from './edge';

/*
 * The API schema comes from Apollo Gateway, built with the CommonJS copy of graphql-js; its types are read with that
 * copy's functions (typeFromAST, coerceInputValue, TypeInfo), never with the ESM copy's instanceof-based ones.
 */
const graphql = createRequire(import.meta.url)('graphql') as typeof GraphQLJs;

/** A path as the product names an input: `from`, `input.expiresAt`, `ids[3]`. */
function pathOf(head: string, rest: readonly (string | number)[]): string {
  return rest.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : `${p}.${k}`), head);
}

/** Every value of an input scalar inside a JSON value of `type`, with its path, checked by the scalar's rule. */
function checkValue(type: GraphQLInputType, value: unknown, path: string): CodedError | null {
  if (value === null || value === undefined) return null;
  if (graphql.isNonNullType(type)) return checkValue(type.ofType as GraphQLInputType, value, path);
  if (graphql.isListType(type)) {
    const item = type.ofType as GraphQLInputType;
    if (!Array.isArray(value)) return checkValue(item, value, path);
    for (const [i, v] of value.entries()) {
      const err = checkValue(item, v, `${path}[${i}]`);
      if (err) return err;
    }
    return null;
  }
  if (graphql.isInputObjectType(type)) {
    if (typeof value !== 'object') return null;
    for (const [name, field] of Object.entries(type.getFields())) {
      const err = checkValue(field.type, (value as Record<string, unknown>)[name], `${path}.${name}`);
      if (err) return err;
    }
    return null;
  }
  return isInputScalar(type.name) ? scalarRefusal(type.name, path, value) : null;
}

/** The same over a literal (an argument written in the operation): a variable inside it is checked as a variable. */
function checkLiteral(type: GraphQLInputType, node: ValueNode, path: string): CodedError | null {
  if (node.kind === graphql.Kind.VARIABLE || node.kind === graphql.Kind.NULL) return null;
  if (graphql.isNonNullType(type)) return checkLiteral(type.ofType as GraphQLInputType, node, path);
  if (graphql.isListType(type)) {
    const item = type.ofType as GraphQLInputType;
    if (node.kind !== graphql.Kind.LIST) return checkLiteral(item, node, path);
    for (const [i, v] of node.values.entries()) {
      const err = checkLiteral(item, v, `${path}[${i}]`);
      if (err) return err;
    }
    return null;
  }
  if (graphql.isInputObjectType(type)) {
    if (node.kind !== graphql.Kind.OBJECT) return null;
    const fields = type.getFields();
    for (const f of node.fields) {
      const field = fields[f.name.value];
      const err = field ? checkLiteral(field.type, f.value, `${path}.${f.name.value}`) : null;
      if (err) return err;
    }
    return null;
  }
  return isInputScalar(type.name) ? scalarRefusal(type.name, path, node, true) : null;
}

/**
 * A variable's value against its declared type, as the engine would coerce it (a missing required variable, an Int
 * that is not one, an enum value or input field the schema does not have), then its input scalars by their rules.
 * `field` is the variable's name and the path inside its value.
 */
function checkVariable(schema: GraphQLSchema, def: VariableDefinitionNode, variables: Record<string, unknown>): CodedError | null {
  const name = def.variable.name.value;
  const type = graphql.typeFromAST(schema, def.type as never) as GraphQLInputType | undefined;
  // An unknown or non-input type is the engine's validation error, reported as such.
  if (!type || !graphql.isInputType(type)) return null;
  const given = Object.hasOwn(variables, name);
  const value = variables[name];
  if (!given || value === undefined) {
    if (graphql.isNonNullType(type) && !def.defaultValue) {
      return refuse.VARIABLE_REQUIRED(name, `variable $${name} of required type ${String(type)} was not provided`);
    }
    return null;
  }
  const coercion: { error: CodedError; unknownField: boolean }[] = [];
  graphql.coerceInputValue(value, type, (path, _invalid, error) => {
    // An input object's missing or unknown field is reported at the object: the field's own path names it.
    const member = /^Field "(\w+)" (?:of required type|is not defined)/.exec(error.message);
    const at = pathOf(name, member ? [...path, member[1]!] : path);
    coercion.push({
      error: refuse.VARIABLE_VALUE(at, withoutSuggestion(error.message)),
      unknownField: /is not defined/.test(error.message),
    });
  });
  // A misspelt field is also a missing one: the misspelling is the refusal that tells the client what to fix.
  const first = coercion.find((c) => c.unknownField) ?? coercion[0];
  return first?.error ?? checkValue(type, value, name);
}

/** Every argument's literal, through the schema's argument types (fragments included, each where it is defined). */
function checkArguments(schema: GraphQLSchema, document: DocumentNode): CodedError | null {
  const typeInfo = new graphql.TypeInfo(schema as never);
  let found: CodedError | null = null;
  graphql.visit(
    document as never,
    graphql.visitWithTypeInfo(typeInfo, {
      Argument(node: ArgumentNode) {
        if (found) return graphql.BREAK;
        const arg = typeInfo.getArgument();
        if (arg) found = checkLiteral(arg.type as GraphQLInputType, node.value, node.name.value);
        return undefined;
      },
    }) as never,
  );
  return found;
}

/**
 * The input of a request's operation, checked before the gateway plans it: the variables against their declared
 * types, and every value of an input scalar (`Money`, `Date`), literal or variable, by the scalar's rule. A refusal is
 * `BAD_USER_INPUT` (HTTP 400, as the engine's own refusals of variables) with the input's `field` and the `rule`. A
 * document the gateway cannot read (a syntax error, several operations and no name) is left to the engine.
 */
export function checkInputs(
  schema: GraphQLSchema,
  source: string,
  variables: Record<string, unknown>,
  operationName?: unknown,
): CodedError | null {
  let document: DocumentNode;
  try {
    document = graphql.parse(source, { noLocation: true }) as DocumentNode;
  } catch {
    return null;
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === graphql.Kind.OPERATION_DEFINITION);
  const operation =
    typeof operationName === 'string' && operationName !== ''
      ? operations.find((o) => o.name?.value === operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
  if (operation) {
    for (const def of operation.variableDefinitions ?? []) {
      const err = checkVariable(schema, def, variables);
      if (err) return err;
    }
  }
  return checkArguments(schema, document);
}

export function enforceInputs(apiSchema: () => GraphQLSchema | null): RequestHandler {
  return (req, res, next) => {
    const schema = apiSchema();
    const op = operationOf(req);
    if (!schema || typeof op.query !== 'string') return next();
    // Variables that are not an object are the engine's to refuse (BAD_REQUEST).
    const given: unknown = op.variables;
    if (given !== undefined && given !== null && (typeof given !== 'object' || Array.isArray(given))) return next();
    const err = checkInputs(schema, op.query, (given ?? {}) as Record<string, unknown>, op.operationName);
    if (!err) return next();
    return refuseRequest(res, 400, err.code, err.message, {
      ...(err.field !== undefined ? { field: err.field } : {}),
      ...(err.rule !== undefined ? { rule: err.rule } : {}),
    });
  };
}
