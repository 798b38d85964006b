import type { RequestHandler } from 'express';
import {
  GraphQLError,
  Kind,
  parse,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { callerPolicy } from './callerPolicy';
import { edgeLocals, operationOf, refuse } from './edge';

/*
 * The schema comes from the gateway, which may load another copy of graphql-js (CommonJS beside ESM), so types are
 * read structurally here — never with graphql's instanceof-based predicates.
 */
interface FieldRef {
  type: TypeRef;
  args?: readonly { name: string; defaultValue?: unknown }[];
}
interface TypeRef {
  ofType?: TypeRef | null;
  toString(): string;
  getFields?: () => Record<string, FieldRef>;
}
type NamedType = TypeRef;

const isList = (t: TypeRef) => /^\[/.test(String(t));
function named(t: TypeRef): NamedType {
  let x = t;
  while (x.ofType) x = x.ofType;
  return x;
}

/**
 * Operation limits the gateway applies before any subgraph is called. Defaults are no looser than GraphQL Armor's
 * (depth 6, aliases 15, directives 50, tokens 1000, cost 5000) and every one is a setting (README).
 */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  /** Largest `first` (or `ids` list) a paginated field may ask for. */
  maxListSize: number;
}

/** A refusal: which limit, with the measured value; shown to the client with code OPERATION_LIMIT. */
export class LimitError extends Error {
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

/** How many elements a list field without a size argument is assumed to return, for the cost. */
const ASSUMED_LIST_SIZE = 5;
const SCALAR_COST = 1;
const OBJECT_COST = 2;

interface Walk {
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  schema: GraphQLSchema | null;
  limits: OperationLimits;
  /** When false, cost and list-size are not enforced (the product's own service passes). */
  enforceVolume: boolean;
  maxDepthSeen: number;
  cost: number;
}

function valueOf(node: ValueNode | undefined, variables: Record<string, unknown>): unknown {
  if (!node) return undefined;
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
      return Number(node.value);
    case Kind.LIST:
      return node.values.map((v) => valueOf(v, variables));
    default:
      return undefined;
  }
}

/**
 * The list size a field asks for: its `first` (as written, from a variable or the variable's default, else the
 * schema's default for the argument), or the length of its `ids`; null when it names none.
 */
function requestedSize(field: FieldNode, def: FieldRef | null, variables: Record<string, unknown>): number | null {
  let first: unknown;
  for (const arg of field.arguments ?? []) {
    const v = valueOf(arg.value, variables);
    if (arg.name.value === 'first') first = v;
    if (arg.name.value === 'ids' && Array.isArray(v)) return v.length;
  }
  if (typeof first === 'number') return first;
  // `first` left out, or given as a variable the request leaves unset or null: the resolver pages by the
  // argument's schema default, so the estimate does too.
  const schemaDefault = def?.args?.find((a) => a.name === 'first')?.defaultValue;
  return typeof schemaDefault === 'number' ? schemaDefault : null;
}

function fieldDef(parent: NamedType | null, name: string): FieldRef | null {
  return parent?.getFields?.()[name] ?? null;
}

/**
 * Walks a selection set with every fragment expanded where it is used, so a fragment reused deeper counts at its
 * real depth and a fragment's name (even `__schema`) exempts nothing. `onPath` guards against fragment cycles.
 */
function walk(
  w: Walk,
  set: SelectionSetNode,
  parent: NamedType | null,
  depth: number,
  multiplier: number,
  onPath: Set<string>,
  pending: number | null = null,
): void {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FRAGMENT_SPREAD) {
      const name = sel.name.value;
      const frag = w.fragments.get(name);
      if (!frag || onPath.has(name)) continue;
      onPath.add(name);
      const on = (w.schema?.getType(frag.typeCondition.name.value) as NamedType | undefined) ?? parent;
      walk(w, frag.selectionSet, on, depth, multiplier, onPath, pending);
      onPath.delete(name);
      continue;
    }
    if (sel.kind === Kind.INLINE_FRAGMENT) {
      const on = sel.typeCondition ? ((w.schema?.getType(sel.typeCondition.name.value) as NamedType | undefined) ?? parent) : parent;
      walk(w, sel.selectionSet, on, depth, multiplier, onPath, pending);
      continue;
    }
    const fieldDepth = depth + 1;
    if (fieldDepth > w.maxDepthSeen) w.maxDepthSeen = fieldDepth;
    if (w.maxDepthSeen > w.limits.maxDepth) {
      throw new LimitError('MAX_DEPTH', `the operation is nested ${w.maxDepthSeen} fields deep; at most ${w.limits.maxDepth} are allowed`);
    }
    const def = fieldDef(parent, sel.name.value);
    const size = requestedSize(sel, def, w.variables);
    if (w.enforceVolume && size !== null && size > w.limits.maxListSize) {
      throw new LimitError(
        'MAX_LIST_SIZE',
        `${sel.name.value} asks for ${size} items; at most ${w.limits.maxListSize} are allowed per request`,
      );
    }
    const list = def ? isList(def.type) : size !== null;
    w.cost += multiplier * (sel.selectionSet ? OBJECT_COST : SCALAR_COST);
    if (w.enforceVolume && w.cost > w.limits.maxCost) {
      throw new LimitError(
        'MAX_COST',
        `the operation's estimated cost exceeds ${w.limits.maxCost} (each field 1, each object 2, times the sizes of the lists it sits in)`,
      );
    }
    if (sel.selectionSet) {
      // A connection's `first` sizes the list inside it (`nodes`); a list without a size of its own or from its
      // connection counts as ASSUMED_LIST_SIZE elements.
      let child = multiplier;
      let passOn: number | null = null;
      if (list) child = multiplier * Math.max(1, size ?? pending ?? ASSUMED_LIST_SIZE);
      else if (size !== null) passOn = size;
      walk(w, sel.selectionSet, def ? named(def.type) : null, fieldDepth, child, onPath, passOn);
    }
  }
}

function count(document: DocumentNode): { aliases: number; directives: number } {
  let aliases = 0;
  let directives = 0;
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as { kind?: string; alias?: unknown; directives?: unknown[] };
    if (n.kind === Kind.FIELD && n.alias) aliases++;
    if (n.kind === Kind.DIRECTIVE) directives++;
    for (const [key, value] of Object.entries(n)) if (key !== 'loc') visit(value);
  };
  visit(document);
  return { aliases, directives };
}

/**
 * Checks one request's operation against the limits. Syntax errors are left to the server, which reports them
 * the usual way; only the token limit is enforced while parsing (the parser stops at the limit).
 */
export function checkOperation(
  source: string,
  variables: Record<string, unknown> | undefined,
  limits: OperationLimits,
  schema: GraphQLSchema | null,
  opts: { enforceVolume?: boolean } = {},
): { writes: boolean } {
  let document: DocumentNode;
  try {
    document = parse(source, { maxTokens: limits.maxTokens, noLocation: true });
  } catch (err) {
    if (err instanceof GraphQLError && /tokens/.test(err.message)) {
      throw new LimitError('MAX_TOKENS', `the operation has more than ${limits.maxTokens} tokens`);
    }
    // Apollo refuses the syntax error itself.
    return { writes: false };
  }
  const { aliases, directives } = count(document);
  if (aliases > limits.maxAliases)
    throw new LimitError('MAX_ALIASES', `the operation uses ${aliases} aliases; at most ${limits.maxAliases} are allowed`);
  if (directives > limits.maxDirectives)
    throw new LimitError('MAX_DIRECTIVES', `the operation uses ${directives} directives; at most ${limits.maxDirectives} are allowed`);
  const fragments = new Map(document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    // A variable the request leaves out takes its declared default.
    const given = variables ?? {};
    const withDefaults: Record<string, unknown> = { ...given };
    for (const v of def.variableDefinitions ?? []) {
      if (withDefaults[v.variable.name.value] === undefined && v.defaultValue)
        withDefaults[v.variable.name.value] = valueOf(v.defaultValue, {});
    }
    const w: Walk = {
      fragments,
      variables: withDefaults,
      schema,
      limits,
      enforceVolume: opts.enforceVolume ?? true,
      maxDepthSeen: 0,
      cost: 0,
    };
    const root = schema
      ? def.operation === 'mutation'
        ? schema.getMutationType()
        : def.operation === 'subscription'
          ? schema.getSubscriptionType()
          : schema.getQueryType()
      : null;
    walk(w, def.selectionSet, (root as NamedType | null | undefined) ?? null, 0, 1, new Set());
  }
  return { writes: document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation !== 'query') };
}

/**
 * Applies the limits to each request's operation before Apollo (or any subgraph) sees it: OPERATION_LIMIT (400) with
 * the limit's `rule`. A caller exempt from the volume limits must send text the gateway can check, and may not write.
 */
export function enforceLimits(limits: OperationLimits, apiSchema: () => GraphQLSchema | null): RequestHandler {
  return (req, res, next) => {
    const policy = callerPolicy(edgeLocals(res).caller);
    const op = operationOf(req);
    if (policy.sendsText && typeof op.query !== 'string')
      return refuse(res, 400, 'BAD_REQUEST', 'a service token sends the operation text');
    if (typeof op.query !== 'string') return next();
    try {
      const { writes } = checkOperation(op.query, op.variables, limits, apiSchema(), { enforceVolume: policy.volumeLimits });
      if (writes && !policy.mayWrite) return refuse(res, 403, 'FORBIDDEN', 'a service token may only run queries');
    } catch (err) {
      if (err instanceof LimitError) return refuse(res, 400, 'OPERATION_LIMIT', err.message, { rule: err.rule });
      throw err;
    }
    return next();
  };
}
