import type { RequestHandler, Response } from 'express';
import {
  GraphQLError,
  Kind,
  parse,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type StringValueNode,
  type ValueNode,
} from 'graphql';
import { CodedError, RULES } from '../domain/errorCatalogue';
import { callerPolicy } from './callerPolicy';
import { edgeLocals, operationOf, refuse } from './edge';
import { supergraphDocument } from './supergraph';
import type { ViewerBudgetSettings } from './viewerBudget';

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
 * Operation limits the gateway applies before any subgraph is called. Depth, aliases, directives and tokens default to
 * GraphQL Armor's (6, 15, 50, 1000); the cost defaults to 400,000 because its lists are sized by measured sizes, not
 * by Armor's flat guess (ADR 12). Every one is a setting (README).
 */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  /** Largest `first` (or `ids` list) a paginated field may ask for. */
  maxListSize: number;
  /** What one viewer may spend (gateway/viewerBudget.ts); unset, its defaults hold. */
  viewerBudget?: ViewerBudgetSettings;
}

/** The catalogue's rules of the operation limits. */
type LimitRule = 'MAX_DEPTH' | 'MAX_LIST_SIZE' | 'MAX_COST' | 'MAX_TOKENS' | 'MAX_ALIASES' | 'MAX_DIRECTIVES';

/**
 * A refusal: which limit, with the measured value; shown to the client with code OPERATION_LIMIT, the `rule`, and the
 * `field`: the list argument that asked for too much (`first`, `ids`), else `query`, the operation text as a whole.
 */
export class LimitError extends CodedError {
  declare readonly rule: LimitRule;
  declare readonly field: string;

  constructor(rule: LimitRule, message: string, field = 'query') {
    super(RULES[rule].code, message, { field, rule });
    this.name = 'LimitError';
  }
}

const SCALAR_COST = 1;
const OBJECT_COST = 2;

/**
 * What the supergraph's demand-control directives (Federation's cost spec, `@listSize` and `@cost`, composed from the
 * subgraphs' SDL) say about one field.
 */
export interface FieldCost {
  /** How many elements the list is assumed to hold when no argument sizes it (measured, ADR 12). */
  assumedSize?: number;
  /** Arguments whose value is the list's size (`first`); the largest given counts. */
  slicingArguments?: readonly string[];
  /** For a field that returns a page (a connection): the list fields inside it that the slicing argument sizes. */
  sizedFields?: readonly string[];
  /** Replaces the default weight of the field (1 for a scalar, 2 for an object). */
  weight?: number;
}

/** The cost annotations of a supergraph by `Type.field`. */
export type CostModel = ReadonlyMap<string, FieldCost>;

const COST_SPEC = /^https:\/\/specs\.apollo\.dev\/cost\/v/;

/**
 * Reads `@listSize` and `@cost` from a composed supergraph's SDL, under the names its `@link` to the cost spec gives
 * them (imported as `@listSize`, or prefixed `cost__listSize`). The gateway's API schema drops these directives, so
 * the limits read them here, from the same SDL the gateway serves.
 */
export function costModelOf(supergraphSdl: string): CostModel {
  const doc = supergraphDocument(supergraphSdl);
  let listSize = 'cost__listSize';
  let cost = 'cost__cost';
  for (const def of doc.definitions) {
    if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of def.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const arg = (name: string) => link.arguments?.find((a) => a.name.value === name)?.value;
      const url = arg('url');
      if (url?.kind !== Kind.STRING || !COST_SPEC.test(url.value)) continue;
      const as = arg('as');
      const prefix = as?.kind === Kind.STRING ? as.value : 'cost';
      listSize = `${prefix}__listSize`;
      cost = `${prefix}__cost`;
      const imports = arg('import');
      for (const entry of imports?.kind === Kind.LIST ? imports.values : []) {
        if (entry.kind === Kind.STRING) {
          if (entry.value === '@listSize') listSize = 'listSize';
          if (entry.value === '@cost') cost = 'cost';
        } else if (entry.kind === Kind.OBJECT) {
          const field = (n: string) => (entry.fields.find((f) => f.name.value === n)?.value as StringValueNode | undefined)?.value;
          const name = field('name');
          const renamed = field('as')?.replace(/^@/, '');
          if (name === '@listSize' && renamed) listSize = renamed;
          if (name === '@cost' && renamed) cost = renamed;
        }
      }
    }
  }
  const model = new Map<string, FieldCost>();
  for (const def of doc.definitions) {
    if (
      def.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      def.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      def.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      def.kind !== Kind.INTERFACE_TYPE_EXTENSION
    )
      continue;
    for (const field of def.fields ?? []) {
      const entry: FieldCost = {};
      for (const d of field.directives ?? []) {
        const arg = (name: string) => d.arguments?.find((a) => a.name.value === name)?.value;
        const strings = (v: ValueNode | undefined) =>
          v?.kind === Kind.LIST ? v.values.flatMap((x) => (x.kind === Kind.STRING ? [x.value] : [])) : undefined;
        if (d.name.value === listSize) {
          const assumed = arg('assumedSize');
          if (assumed?.kind === Kind.INT) entry.assumedSize = Number(assumed.value);
          const slicing = strings(arg('slicingArguments'));
          if (slicing) entry.slicingArguments = slicing;
          const sized = strings(arg('sizedFields'));
          if (sized) entry.sizedFields = sized;
        }
        if (d.name.value === cost) {
          const weight = arg('weight');
          if (weight?.kind === Kind.INT) entry.weight = Number(weight.value);
        }
      }
      if (Object.keys(entry).length > 0) model.set(`${def.name.value}.${field.name.value}`, entry);
    }
  }
  return model;
}

/**
 * Connection wrappers (`nodes`, `edges`, `pageInfo` of a `…Connection`, `node` of an `…Edge`) add no nesting of their
 * own: a page of debtors is as deep as the list of debtors it holds.
 */
function isConnectionWrapper(parent: NamedType | null, field: string): boolean {
  const typeName = parent ? String(parent) : null;
  if (field === 'nodes' || field === 'edges' || field === 'pageInfo') return typeName === null || /Connection$/.test(typeName);
  if (field === 'node') return typeName !== null && /Edge$/.test(typeName);
  return false;
}

/** A page's size, passed from the field that sliced it to the list fields inside it that it sizes. */
interface PendingSize {
  size: number;
  /** The sized fields (`@listSize(sizedFields:)`); null: any list directly inside. */
  fields: readonly string[] | null;
}

interface Walk {
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  schema: GraphQLSchema | null;
  limits: OperationLimits;
  costs: CostModel;
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
 * The list size a field asks for: the largest of its slicing arguments (`@listSize(slicingArguments:)`, else `first`)
 * as written, from a variable or the variable's default, else the schema's default for the argument; or the length of
 * its `ids`; null when it names none.
 */
function requestedSize(
  field: FieldNode,
  def: FieldRef | null,
  cost: FieldCost | undefined,
  variables: Record<string, unknown>,
): { size: number; argument: string } | null {
  const slicing = cost?.slicingArguments ?? ['first'];
  let given: { size: number; argument: string } | null = null;
  const larger = (size: number, argument: string) => {
    if (given === null || size > given.size) given = { size, argument };
  };
  const seen = new Set<string>();
  for (const arg of field.arguments ?? []) {
    const v = valueOf(arg.value, variables);
    if (arg.name.value === 'ids' && Array.isArray(v)) return { size: v.length, argument: 'ids' };
    if (!slicing.includes(arg.name.value)) continue;
    seen.add(arg.name.value);
    if (typeof v === 'number') larger(v, arg.name.value);
    // Left unset or null through a variable: the resolver pages by the argument's schema default, so the estimate does too.
    else seen.delete(arg.name.value);
  }
  for (const name of slicing) {
    if (seen.has(name)) continue;
    const schemaDefault = def?.args?.find((a) => a.name === name)?.defaultValue;
    if (typeof schemaDefault === 'number') larger(schemaDefault, name);
  }
  return given;
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
  pending: PendingSize | null = null,
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
    const fieldDepth = isConnectionWrapper(parent, sel.name.value) ? depth : depth + 1;
    if (fieldDepth > w.maxDepthSeen) w.maxDepthSeen = fieldDepth;
    if (w.maxDepthSeen > w.limits.maxDepth) {
      throw new LimitError(
        'MAX_DEPTH',
        `the operation is nested ${w.maxDepthSeen} fields deep (connection wrappers such as nodes and pageInfo not counted); at most ${w.limits.maxDepth} are allowed`,
      );
    }
    const def = fieldDef(parent, sel.name.value);
    const cost = parent ? w.costs.get(`${String(parent)}.${sel.name.value}`) : undefined;
    const requested = requestedSize(sel, def, cost, w.variables);
    const size = requested?.size ?? null;
    if (w.enforceVolume && requested !== null && requested.size > w.limits.maxListSize) {
      throw new LimitError(
        'MAX_LIST_SIZE',
        `${sel.name.value} asks for ${requested.size} items (${requested.argument}); at most ${w.limits.maxListSize} are allowed per request`,
        requested.argument,
      );
    }
    const list = def ? isList(def.type) : size !== null;
    w.cost += multiplier * (cost?.weight ?? (sel.selectionSet ? OBJECT_COST : SCALAR_COST));
    if (w.enforceVolume && w.cost > w.limits.maxCost) {
      throw new LimitError(
        'MAX_COST',
        `the operation's estimated cost exceeds ${w.limits.maxCost} (each field 1, each object 2, times the sizes of the lists it sits in)`,
      );
    }
    if (sel.selectionSet) {
      // A list is sized by its own slicing argument, else by the page that holds it (a connection's `first` sizes its
      // `nodes`), else by its measured `@listSize(assumedSize:)`; a list the supergraph does not size counts as the
      // largest page a request may ask for.
      let child = multiplier;
      let passOn: PendingSize | null = null;
      const fromPage = pending && (pending.fields === null || pending.fields.includes(sel.name.value)) ? pending.size : null;
      if (list) child = multiplier * Math.max(1, size ?? fromPage ?? cost?.assumedSize ?? w.limits.maxListSize);
      else if (size !== null) passOn = { size, fields: cost?.sizedFields ?? null };
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
  opts: { enforceVolume?: boolean; costs?: CostModel } = {},
): { writes: boolean; cost: number } {
  let document: DocumentNode;
  try {
    document = parse(source, { maxTokens: limits.maxTokens, noLocation: true });
  } catch (err) {
    if (err instanceof GraphQLError && /tokens/.test(err.message)) {
      throw new LimitError('MAX_TOKENS', `the operation has more than ${limits.maxTokens} tokens`);
    }
    // Apollo refuses the syntax error itself.
    return { writes: false, cost: 0 };
  }
  const { aliases, directives } = count(document);
  if (aliases > limits.maxAliases)
    throw new LimitError('MAX_ALIASES', `the operation uses ${aliases} aliases; at most ${limits.maxAliases} are allowed`);
  if (directives > limits.maxDirectives)
    throw new LimitError('MAX_DIRECTIVES', `the operation uses ${directives} directives; at most ${limits.maxDirectives} are allowed`);
  let cost = 0;
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
      costs: opts.costs ?? new Map(),
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
    cost = Math.max(cost, w.cost);
  }
  return { writes: document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation !== 'query'), cost };
}

/**
 * Applies the limits to each request's operation before Apollo (or any subgraph) sees it: OPERATION_LIMIT (400) with
 * the limit's `rule`. A caller exempt from the volume limits must send text the gateway can check, and may not write.
 */
export function enforceLimits(
  limits: OperationLimits,
  apiSchema: () => GraphQLSchema | null,
  costs: CostModel = new Map(),
): RequestHandler {
  return (req, res, next) => {
    const policy = callerPolicy(edgeLocals(res).caller);
    const op = operationOf(req);
    if (policy.sendsText && typeof op.query !== 'string')
      return refuse(res, 400, 'BAD_REQUEST', 'a service token sends the operation text');
    if (typeof op.query !== 'string') return next();
    try {
      const { writes, cost } = checkOperation(op.query, op.variables, limits, apiSchema(), { enforceVolume: policy.volumeLimits, costs });
      if (writes && !policy.mayWrite) return refuse(res, 403, 'FORBIDDEN', 'a service token may only run queries');
      (res.locals as CostLocals).estimatedCost = cost;
    } catch (err) {
      if (err instanceof LimitError) return refuse(res, 400, 'OPERATION_LIMIT', err.message, { field: err.field, rule: err.rule });
      throw err;
    }
    return next();
  };
}

interface CostLocals {
  estimatedCost?: number;
}

/** The estimated cost the limits computed for a request's operation; undefined when they saw no operation text. */
export function estimatedCostOf(res: Response): number | undefined {
  return (res.locals as CostLocals).estimatedCost;
}
