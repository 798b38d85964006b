import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { compareApiSchemas, printApiSchema } from '../gateway/schemaChanges';
import { readSupergraph } from '../gateway/supergraph';
import { DEFAULT_SUPERGRAPH_PATH } from '../lib/config';

/**
 * `npm run schema:check`: compares the API schema of schema/supergraph.graphql with the last released one
 * (schema/released/api.graphql) and fails on a breaking change the policy refuses (docs/schema-changes.md).
 * `npm run schema:check -- --release` records the current API schema as the released one (when cutting a release).
 */
export const RELEASED_API_SCHEMA = 'schema/released/api.graphql';

const { values } = parseArgs({ options: { release: { type: 'boolean', default: false } } });
const current = printApiSchema(readSupergraph(DEFAULT_SUPERGRAPH_PATH));
if (values.release) {
  writeFileSync(RELEASED_API_SCHEMA, current);
  console.log(`wrote ${RELEASED_API_SCHEMA}`);
} else {
  const report = compareApiSchemas(readFileSync(RELEASED_API_SCHEMA, 'utf8'), current);
  for (const c of report.removedAfterDeprecation) console.log(`removed after deprecation (allowed): ${c.description}`);
  for (const c of report.dangerous) console.log(`dangerous (check the clients): ${c.type}: ${c.description}`);
  for (const c of report.refused) console.error(`BREAKING (refused): ${c.type}: ${c.description}`);
  if (report.refused.length > 0) {
    console.error(
      `${report.refused.length} breaking change(s) against ${RELEASED_API_SCHEMA}: deprecate first (@deprecated(reason:)), remove in a later release (docs/schema-changes.md)`,
    );
    process.exit(1);
  }
  console.log(`API schema compatible with ${RELEASED_API_SCHEMA}`);
}
