import { writeFileSync } from 'node:fs';
import { composeSupergraph } from '../gateway/compose';
import { SUPERGRAPH_PATH } from '../gateway/subgraphs';

try {
  writeFileSync(SUPERGRAPH_PATH, composeSupergraph());
  console.log(`wrote ${SUPERGRAPH_PATH}`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
