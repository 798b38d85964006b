import { Kind, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/** What {@link selectsAnyOf} reads of a resolver's info: graphql-js and graphql-jit both give these. */
export interface SelectionInfo {
  fieldNodes: readonly { selectionSet?: SelectionSetNode }[];
  fragments: Record<string, FragmentDefinitionNode>;
}

/**
 * Whether the field being resolved selects one of these fields on its value (on each item, for a list), through
 * inline fragments and named ones whatever their type condition. `@skip` and `@include` are not evaluated: a field
 * they leave out counts as selected, so at worst a resolver reads ahead what nobody asked for (one statement, never
 * one per row). Used where a list's resolver reads its items' next level in one batch, so that each item's field
 * answers without a promise of its own.
 */
export function selectsAnyOf(info: SelectionInfo, names: readonly string[]): boolean {
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode | undefined): boolean => {
    if (!set) return false;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (names.includes(selection.name.value)) return true;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (visit(selection.selectionSet)) return true;
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        if (visit(info.fragments[selection.name.value]?.selectionSet)) return true;
      }
    }
    return false;
  };
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}
