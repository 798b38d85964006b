import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fanOutEntities, mergeRepresentations } from '../../gateway/entityDedup';

/* Issue 18: duplicate entity representations within one fetch are sent once and answered at every place. */
describe('merging duplicate representations of one fetch (gateway/entityDedup.ts)', () => {
  const reps = [
    { __typename: 'Officer', id: 'o1' },
    { __typename: 'Officer', id: 'o2' },
    { __typename: 'Officer', id: 'o1' },
    { __typename: 'Court', code: '川01' },
    { __typename: 'Officer', id: 'o2' },
    { __typename: 'Officer', id: 'o1' },
  ];

  it('sends each distinct representation once, in first-seen order', () => {
    const merged = mergeRepresentations(reps)!;
    expect(merged.unique).toEqual([reps[0], reps[1], reps[3]]);
    expect(merged.indexOf).toEqual([0, 1, 0, 2, 1, 0]);
  });

  it('leaves a fetch of distinct representations alone, and keeps apart representations that differ in any field', () => {
    expect(mergeRepresentations(reps.slice(0, 2))).toBeNull();
    expect(
      mergeRepresentations([
        { __typename: 'Case', id: 'c1', court: 'a' },
        { __typename: 'Case', id: 'c1', court: 'b' },
      ]),
    ).toBeNull();
  });

  it('fans the answers back out in the original order, each place its own copy, identical to answering every one', () => {
    const merged = mergeRepresentations(reps)!;
    const answer = (r: (typeof reps)[number]) => ({
      __typename: r.__typename,
      name: `name of ${'id' in r ? r.id : r.code}`,
      nested: { n: 1 },
    });
    const out = fanOutEntities({ data: { _entities: merged.unique.map((r) => answer(r as (typeof reps)[number])) } }, merged);
    const direct = reps.map(answer);
    expect(out.data!._entities).toEqual(direct);
    const entities = out.data!._entities as { nested: object }[];
    expect(entities[0]).not.toBe(entities[2]);
    expect(entities[0]!.nested).not.toBe(entities[2]!.nested);
  });

  it("repeats an entity's error at every place it stands for, keeping other errors as they are", () => {
    const merged = mergeRepresentations(reps)!;
    const errors = [
      new GraphQLError('officer o2 is not in scope', { path: ['_entities', 1, 'name'], extensions: { code: 'FORBIDDEN' } }),
      new GraphQLError('no path'),
    ];
    const out = fanOutEntities({ data: { _entities: [{ name: 'a' }, null, { name: 'c' }] }, errors }, merged);
    expect(out.data!._entities).toEqual([{ name: 'a' }, null, { name: 'a' }, { name: 'c' }, null, { name: 'a' }]);
    expect(out.errors!.map((e) => e.path)).toEqual([['_entities', 1, 'name'], ['_entities', 4, 'name'], undefined]);
    expect(out.errors![0]).toBeInstanceOf(GraphQLError);
    expect(out.errors!.map((e) => (e as GraphQLError).extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', undefined]);
    expect(out.errors![0]!.message).toBe('officer o2 is not in scope');
  });
});
