import { loadConfigOrExit } from '../lib/config';
import { onShutdown } from '../scripts/shutdown';
import { ensureSeeded } from '../scripts/ensureSeeded';
import { startGraph } from './graph';

// `npm start`: seeds the embedded default on first run, then serves the whole graph.
const config = loadConfigOrExit();
await ensureSeeded(config);
const graph = await startGraph(config);
for (const [name, url] of Object.entries(graph.subgraphUrls)) {
  console.log(`  subgraph ${name.padEnd(16)} ${url}${graph.hosted[name as keyof typeof graph.hosted] ? ' (hosted here)' : ''}`);
}
console.log(`gateway ready at ${graph.gateway.url}`);
onShutdown(() => graph.close());
