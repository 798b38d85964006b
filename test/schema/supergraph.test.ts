import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CompositionFailed, composeSupergraph, productSubgraphs } from '../../gateway/compose';
import { DEFAULT_SUPERGRAPH_PATH as SUPERGRAPH_PATH } from '../../lib/config';

describe('schema/supergraph.graphql', () => {
  it('composes without any error and equals the checked-in file (run `npm run compose` when this fails)', () => {
    expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(composeSupergraph());
  });

  it('fails with every composition error at once, so a broken subgraph cannot slip through', () => {
    const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';
    const broken = [
      ...productSubgraphs(),
      // Conflicts with the registry's Court.name (String!) and Case.year (Int!).
      {
        name: 'rogue',
        url: 'http://rogue',
        typeDefs: parse(
          `${link} type Court @key(fields: "code") { code: String! name: Int } type Case @key(fields: "number") { number: String! year: String }`,
        ),
      },
    ];
    let failure: unknown;
    try {
      composeSupergraph(broken);
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(CompositionFailed);
    const message = (failure as CompositionFailed).message;
    expect(message).toContain('"Court.name"');
    expect(message).toContain('"Case.year"');
    expect((failure as CompositionFailed).errors.length).toBeGreaterThanOrEqual(2);
  });
});
