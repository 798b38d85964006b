import { parseArgs } from 'node:util';
import { toIsoDate } from '../domain/dates';
import { databaseSettingsOf, loadConfigOrExit } from '../lib/config';
import { startGraph } from './graph';
import { loadSecurity } from '../gateway/security';
import { assessProvince } from '../jobs/assess';

/**
 * `npm run assess [-- --gateway URL]`: rebuilds the coordination subgraph's assessment index in DATA_DIR. With
 * --gateway it reads through a running gateway; without, it starts the graph on DATA_DIR itself for the pass. The
 * pass itself is the job in jobs/assess.
 */
const config = loadConfigOrExit();
const { values } = parseArgs({ options: { gateway: { type: 'string' } }, strict: true });
const today = config.AS_OF_DATE ?? toIsoDate(new Date());
// The index and the roster copy go where the coordination and registry subgraphs read them (<SYSTEM>_DATABASE_URL).
const databases = databaseSettingsOf(config);
if (values.gateway) {
  // Against a running gateway: a service token signed with that gateway's key (same DATA_DIR or GATEWAY_KEY_FILE).
  const security = await loadSecurity(config);
  await assessProvince(values.gateway, await security.serviceToken(), config.dataDir, today, { databases });
} else {
  const graph = await startGraph({ ...config, PORT: 0, HOST: '127.0.0.1' });
  try {
    await assessProvince(graph.gateway.url, await graph.security.serviceToken(), config.dataDir, today, { databases });
  } finally {
    await graph.close();
  }
}
