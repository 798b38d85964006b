import { writeFileSync } from 'node:fs';
import { composeSupergraph } from '../gateway/compose';
import { DEFAULT_SUPERGRAPH_PATH as SUPERGRAPH_PATH } from '../lib/config';

try {
  writeFileSync(SUPERGRAPH_PATH, composeSupergraph());
  console.log(`wrote ${SUPERGRAPH_PATH}`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
