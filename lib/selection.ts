import { Kind, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/** What {@link selectedFields} reads of a resolver's info: graphql-js and graphql-jit both give these. */
export interface SelectionInfo {
  fieldNodes: readonly { selectionSet?: SelectionSetNode }[];
  fragments: Record<string, FragmentDefinitionNode>;
}

/**
 * The names of the fields the field being resolved selects on its value (on each item, for a list), through inline
 * fragments and named ones whatever their type condition. `@skip` and `@include` are not evaluated: a field they
 * leave out counts as selected, so at worst a resolver reads what nobody asked for (a column, or one statement read
 * ahead; never one per row).
 */
export function selectedFields(info: SelectionInfo): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode | undefined): void => {
    if (!set) return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        visit(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return names;
}

/**
 * Whether the field being resolved selects one of these fields on its value ({@link selectedFields}). Used where a
 * list's resolver reads its items' next level in one batch, so that each item's field answers without a promise of
 * its own.
 */
export function selectsAnyOf(info: SelectionInfo, names: readonly string[]): boolean {
  const selected = selectedFields(info);
  return names.some((name) => selected.has(name));
}
