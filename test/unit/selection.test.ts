import { describe, expect, it } from 'vitest';
import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { selectedFields, selectsAnyOf } from '../../lib/selection';

/** The info a resolver of the operation's first root field gets: its field node and the document's fragments. */
function infoOf(document: string) {
  const doc = parse(document);
  const operation = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
}

describe('selectsAnyOf (what a list resolver reads ahead for its items)', () => {
  it('finds a field selected directly, under an alias, or through inline and named fragments', () => {
    expect(selectsAnyOf(infoOf('{ cases { number court { name } } }'), ['court'])).toBe(true);
    expect(selectsAnyOf(infoOf('{ cases { where: court { name } } }'), ['court'])).toBe(true);
    expect(selectsAnyOf(infoOf('{ cases { ... on Case { court { code } } } }'), ['court'])).toBe(true);
    expect(
      selectsAnyOf(infoOf('{ cases { ...C } } fragment C on Case { ...D } fragment D on Case { executingCourt { code } }'), [
        'court',
        'executingCourt',
      ]),
    ).toBe(true);
  });

  it('does not count a field deeper down, another field, or a field only an alias is named after', () => {
    expect(selectsAnyOf(infoOf('{ cases { number transferredFrom { court { code } } } }'), ['court'])).toBe(false);
    expect(selectsAnyOf(infoOf('{ cases { number executingCourt { code } } }'), ['court'])).toBe(false);
    expect(selectsAnyOf(infoOf('{ cases { court: number } }'), ['court'])).toBe(false);
    expect(selectsAnyOf(infoOf('{ cases }'), ['court'])).toBe(false);
  });

  it('counts a field that @skip or @include may leave out (reading ahead at worst, never missing one)', () => {
    expect(selectsAnyOf(infoOf('query ($s: Boolean!) { cases { court @skip(if: $s) { code } } }'), ['court'])).toBe(true);
  });

  it('stops on a fragment it has already visited', () => {
    const info = infoOf('{ cases { ...A } } fragment A on Case { number ...A }');
    expect(selectsAnyOf(info, ['court'])).toBe(false);
  });
});

describe("selectedFields (the fields a list resolver reads its items' columns for)", () => {
  it('names each field of the next level once, through aliases and fragments, and nothing deeper', () => {
    const info = infoOf(
      '{ cases { n: number number ... on Case { status } ...C court { name } } } fragment C on Case { handler { id } ...C }',
    );
    expect([...selectedFields(info)].sort()).toEqual(['court', 'handler', 'number', 'status']);
  });

  it('counts __typename and fields under @skip or @include as selected', () => {
    const info = infoOf('query ($s: Boolean!) { cases { __typename amountDue @include(if: $s) } }');
    expect([...selectedFields(info)].sort()).toEqual(['__typename', 'amountDue']);
  });

  it('is empty for a field without a selection', () => {
    expect(selectedFields(infoOf('{ cases }')).size).toBe(0);
  });
});
