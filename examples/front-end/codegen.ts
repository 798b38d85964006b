import type { CodegenConfig } from '@graphql-codegen/cli';
import { printApiSchema } from '../../gateway/schemaChanges';
import { readSupergraph } from '../../gateway/supergraph';
import { DEFAULT_SUPERGRAPH_PATH } from '../../lib/config';

/**
 * Typed documents for front-end teams (`npm run codegen:front-end`): GraphQL Code Generator's client preset against
 * the API schema clients see (the composed supergraph without federation's internals), for the operations in
 * `operations/` and the README's debtor walk (the explorer's copy, so the two never drift). Money (a yuan decimal)
 * and Date (YYYY-MM-DD) travel as strings.
 */
const config: CodegenConfig = {
  overwrite: true,
  schema: printApiSchema(readSupergraph(DEFAULT_SUPERGRAPH_PATH)),
  documents: ['examples/front-end/operations/*.graphql', 'examples/explorer/debtor-walk.graphql'],
  generates: {
    'examples/front-end/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: {
          Money: 'string',
          Date: 'string',
        },
      },
    },
  },
};

export default config;
