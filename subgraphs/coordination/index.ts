import { runSubgraphProcess } from '../../lib/runSubgraph';
import { runnableSubgraph } from '../index';

// Runs this subgraph alone (production: one process per subgraph). Settings: PORT, HOST.
await runSubgraphProcess(runnableSubgraph('coordination'));
