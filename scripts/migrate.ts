import { DATABASE_URL_SETTINGS, databaseSettingsOf, loadConfigOrExit } from '../lib/config';
import { postgresSettingsFor } from '../lib/database';
import { SUBGRAPHS } from '../subgraphs/catalogue';
import { migrateSubgraphStore } from '../subgraphs';

/**
 * `npm run migrate`: brings every system's store up to the latest schema step (lib/migrations.ts), each where its
 * settings put it: the PostgreSQL database of `<SYSTEM>_DATABASE_URL`, else its SQLite file in DATA_DIR. The stores
 * also migrate themselves at start; this runs it ahead of a deployment, as a role allowed to change the schema.
 */
const config = loadConfigOrExit();
const databases = databaseSettingsOf(config);
let failed = false;
for (const { name } of SUBGRAPHS) {
  const setting = (DATABASE_URL_SETTINGS as Partial<Record<string, string>>)[name];
  const where = postgresSettingsFor(databases, name) ? `PostgreSQL (${setting})` : `${config.dataDir}/${name}.db`;
  try {
    const applied = await migrateSubgraphStore(name, config.dataDir, { databases });
    console.log(`${name}: ${where}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
  } catch (err) {
    failed = true;
    console.error(`${name}: ${where}: ${(err as Error).message}`);
  }
}
process.exit(failed ? 1 : 0);
