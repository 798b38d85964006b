import { runSubgraphProcess } from '../../scripts/runSubgraph';

// Runs this subgraph alone (production: one process per subgraph). Settings: PORT, HOST.
await runSubgraphProcess('coordination');
