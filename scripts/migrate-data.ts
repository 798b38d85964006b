import { databaseSettingsOf, loadConfigOrExit } from '../lib/config';
import { postgresSettingsFor, type PostgresSettings } from '../lib/database';
import { SUBGRAPHS, type SubgraphName } from '../subgraphs/catalogue';
import { migrateDataDir, MigrateDataRefused } from './migrateData';

/**
 * `npm run migrate-data`: copies the SQLite data directory DATA_DIR into PostgreSQL, for every system whose
 * `<SYSTEM>_DATABASE_URL` is set (into empty databases; one transaction per system). Stop the graph first.
 */
const config = loadConfigOrExit();
const databases = databaseSettingsOf(config);
const targets: Partial<Record<SubgraphName, PostgresSettings>> = {};
for (const { name } of SUBGRAPHS) {
  const settings = postgresSettingsFor(databases, name);
  if (settings) targets[name] = settings;
}
if (Object.keys(targets).length === 0) {
  console.error(
    'migrate-data: no <SYSTEM>_DATABASE_URL is set (CASE_REGISTRY_DATABASE_URL, PROPERTY_CONTROL_DATABASE_URL, …): nothing to copy into',
  );
  process.exit(2);
}
try {
  const report = await migrateDataDir(config.dataDir, targets, (system, table, rows) =>
    process.stderr.write(`\r${system}: ${table}: ${rows} rows   `),
  );
  process.stderr.write('\n');
  for (const [system, tables] of Object.entries(report))
    console.log(
      `${system}: ${Object.entries(tables)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')}`,
    );
} catch (err) {
  process.stderr.write('\n');
  console.error(
    `migrate-data: ${(err as Error).message}${err instanceof MigrateDataRefused ? '' : ' (nothing of that system was written)'}`,
  );
  process.exit(1);
}
