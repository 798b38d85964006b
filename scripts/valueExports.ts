import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/**
 * @apollo/federation-internals' index re-exports its modules as TypeScript's CommonJS output does: every name a getter
 * (`get: function() { return m[k]; }`), so each `federation_internals_1.isListType(…)` in Apollo Gateway's result
 * shaping is a getter call, several for every value of an answer (issue 18: 278 ms of the gateway's self time in that
 * getter over 20 single 20-debtor walks at 1,000,000 cases, 14 ms a walk). The package's modules assign each export once,
 * at their top level (no export is reassigned later: checked by test/deploy/value-exports.test.ts), so a
 * name already defined when the index copies it is copied as a plain value; one not yet defined (a module caught
 * midway in a require cycle) keeps its getter.
 */
const FEDERATION_INDEX = /[\\/]@apollo[\\/]federation-internals[\\/]dist[\\/]index\.js$/;
export const LIVE_BINDING = 'desc = { enumerable: true, get: function() { return m[k]; } };';
export const valueExports: Plugin = {
  name: 'federation-internals-value-exports',
  setup(b) {
    b.onLoad({ filter: FEDERATION_INDEX }, async ({ path: file }) => {
      const contents = await readFile(file, 'utf8');
      if (!contents.includes(LIVE_BINDING)) throw new Error(`${file}: its re-export helper changed; see scripts/valueExports.ts`);
      return {
        loader: 'js',
        contents: contents.replace(
          LIVE_BINDING,
          'desc = m[k] !== undefined ? { enumerable: true, writable: false, value: m[k] } : { enumerable: true, get: function() { return m[k]; } };',
        ),
      };
    });
  },
};
