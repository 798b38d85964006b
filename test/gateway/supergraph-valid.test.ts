import { Supergraph } from '@apollo/federation-internals';
import { describe, expect, it } from 'vitest';
import { readSupergraph } from '../../gateway/supergraph';
import { DEFAULT_SUPERGRAPH_PATH } from '../../lib/config';

/*
 * The gateway does not validate the supergraph at start (gateway/apollo.ts, ADR 28: ~0.3 s before the first answer;
 * Apollo Gateway skips it under NODE_ENV=production anyway). The committed supergraph is validated here instead, in
 * full, as Apollo Gateway would: `npm run compose` writes it, scripts/check-generated.sh checks it is current.
 */
describe('the committed supergraph', () => {
  it('passes Apollo Federation’s full supergraph validation', () => {
    const supergraph = Supergraph.build(readSupergraph(DEFAULT_SUPERGRAPH_PATH), { validateSupergraph: true });
    expect(Object.keys(supergraph.subgraphsMetadata())).toHaveLength(4);
  });

  it('an invalid supergraph is refused by that validation', () => {
    const sdl = readSupergraph(DEFAULT_SUPERGRAPH_PATH).replace(/(\n\s+)(\w+): (\w+)/, '$1$2: UndefinedTypeOfTheTest');
    expect(() => Supergraph.build(sdl, { validateSupergraph: true })).toThrow();
  });
});
