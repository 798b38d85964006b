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

  it('merges exactly the representations with the same JSON text, whatever their form', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const forms = [
      () => ({ __typename: pick(['Officer', 'Court']), id: pick(['o1', 'o2', '1']) }),
      () => ({ __typename: pick(['Officer', 'Court']), code: pick(['o1', '川01']) }),
      () => ({ id: pick(['o1', 'o2']), __typename: 'Officer' }),
      () => ({ __typename: 'Officer', id: pick([1, 2]) }),
      () => ({ __typename: 'Officer', id: pick(['o1', 'o2']), court: pick(['a', 'b']) }),
      () => ({ __typename: 'Case', key: { number: pick(['n1', 'n2']) } }),
      () => ({ __typename: 'Officer' }),
      () => pick([null, 'o1', ['Officer', 'o1']]),
    ];
    for (let round = 0; round < 50; round++) {
      const representations = Array.from({ length: 40 }, () => pick(forms)());
      const merged = mergeRepresentations(representations);
      const indexOf = merged?.indexOf ?? representations.map((_, i) => i);
      const unique = merged?.unique ?? representations;
      for (let i = 0; i < representations.length; i++) {
        expect(unique[indexOf[i]!], `round ${round}, ${i}`).toEqual(representations[i]);
        for (let k = 0; k < i; k++) {
          const sameText = JSON.stringify(representations[i]) === JSON.stringify(representations[k]);
          expect(indexOf[i] === indexOf[k], `round ${round}: ${i} and ${k}`).toBe(sameText);
        }
      }
    }
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
