import { runSubgraphProcess } from '../lib/runSubgraph';
import { SUBGRAPHS, cataloguedSubgraph } from '../subgraphs/catalogue';
import { runnableSubgraph } from '../subgraphs';

// `npm run start:subgraph -- <name>`: one subgraph as its own process (production layout).
const requested = process.argv[2] ?? '';
const subgraph = cataloguedSubgraph(requested);
if (!subgraph) {
  console.error(`unknown subgraph "${requested}": one of ${SUBGRAPHS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
await runSubgraphProcess(runnableSubgraph(subgraph.name));
