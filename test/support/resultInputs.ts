import {
  isCompositeType,
  isEnumType,
  isListType,
  isNonNullType,
  isSubtype,
  possibleRuntimeTypes,
  typenameFieldName,
  type CompositeType,
  type ObjectType,
  type Operation,
  type SelectionSet,
  type Type,
} from '@apollo/federation-internals';

/*
 * Merged subgraph answers for an operation, as Apollo Gateway hands them to its result shaping: every field the
 * operation selects (under its response name), `__typename` on every object of an abstract type, any fragment's fields
 * where its type condition holds. With `faults`, some places are wrong the ways a subgraph answer can be: a null, a
 * missing field, a leaf of the wrong kind, an unknown or unfitting `__typename`, rarely a non-list for a list.
 */

export interface InputOptions {
  /** Numbers in [0, 1). */
  random: () => number;
  /** How many elements a list gets, by the field's response name. */
  listLength: (responseName: string) => number;
  /** The chance of a fault at each place (0: none). */
  faults?: number;
}

/** A seeded generator (mulberry32): the same seed, the same inputs. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The operation's merged input, from the root type down. */
export function resultInput(operation: Operation, options: InputOptions): Record<string, unknown> {
  const root = operation.schema().schemaDefinition.rootType(operation.rootKind)!;
  const out: Record<string, unknown> = {};
  fill(out, operation.selectionSet, root, options);
  return out;
}

function fault(options: InputOptions): boolean {
  return !!options.faults && options.random() < options.faults;
}

function pick<T>(items: readonly T[], options: InputOptions): T {
  return items[Math.floor(options.random() * items.length)]!;
}

function fill(out: Record<string, unknown>, set: SelectionSet, runtime: ObjectType, options: InputOptions): void {
  for (const selection of set.selections()) {
    if (selection.kind === 'FragmentSelection') {
      const condition = selection.element.typeCondition;
      if (!condition || isSubtype(condition, runtime)) fill(out, selection.selectionSet, runtime, options);
      continue;
    }
    const field = selection.element;
    const name = field.responseName();
    if (field.name === typenameFieldName || field.definition.isSchemaIntrospectionField()) continue;
    if (fault(options)) {
      if (options.random() < 0.5) Object.defineProperty(out, name, { value: null, enumerable: true, writable: true, configurable: true });
      continue;
    }
    // A field repeated in the operation (or reached through two fragments) keeps its first value, as one subgraph
    // answer would hold it once, and has the later selection's sub-fields merged in.
    const value = valueOf(field.definition.type!, name, selection.selectionSet, options, Object.hasOwn(out, name) ? out[name] : undefined);
    // An own property, as JSON.parse makes it, whatever the name (`__proto__` too).
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
}

function valueOf(type: Type, name: string, set: SelectionSet | undefined, options: InputOptions, existing: unknown): unknown {
  if (isNonNullType(type)) return valueOf(type.ofType, name, set, options, existing);
  if (isListType(type)) {
    if (Array.isArray(existing)) return existing.map((e: unknown) => valueOf(type.ofType, name, set, options, e));
    if (fault(options) && options.random() < 0.1) return 'not a list';
    const length = options.listLength(name);
    return Array.from({ length }, () => (fault(options) ? null : valueOf(type.ofType, name, set, options, undefined)));
  }
  if (isCompositeType(type)) {
    const object = (existing && typeof existing === 'object' ? existing : {}) as Record<string, unknown>;
    const runtime = runtimeOf(type, object, options);
    if (object[typenameFieldName] === undefined) {
      if (fault(options)) object[typenameFieldName] = pick(['Nope', 'Query', 'Status', ''], options);
      else object[typenameFieldName] = runtime.name;
    }
    if (set) fill(object, set, runtime, options);
    return object;
  }
  if (existing !== undefined) return existing;
  if (fault(options)) return pick([1.5, 'text', true, 7, 'NOT_A_VALUE', {}], options);
  if (isEnumType(type)) return pick(type.values, options).name;
  switch (type.name) {
    case 'Int':
      return Math.floor(options.random() * 1000);
    case 'Float':
      return options.random() * 1000;
    case 'Boolean':
      return options.random() < 0.5;
    case 'ID':
      return options.random() < 0.8 ? `id-${Math.floor(options.random() * 100)}` : Math.floor(options.random() * 100);
    case 'String':
      return pick(['成都市中级人民法院', 'a', '', 'x'.repeat(3)], options);
    default:
      return pick(['2026-12-01', 12.5, { any: 'json' }, ['a']], options);
  }
}

function runtimeOf(type: CompositeType, existing: Record<string, unknown>, options: InputOptions): ObjectType {
  const types = possibleRuntimeTypes(type);
  const named = existing[typenameFieldName];
  return types.find((t) => t.name === named) ?? pick(types, options);
}
