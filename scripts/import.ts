import { parseArgs } from 'node:util';
import path from 'node:path';
import { toIsoDate } from '../domain/dates';
import { DATABASE_URL_SETTINGS, databaseSettingsOf, loadConfigOrExit } from '../lib/config';
import { postgresSettingsFor } from '../lib/database';
import { SYSTEMS, type SystemName } from '../lib/dataFiles';
import { importFile } from '../importing/importFile';
import { createProgressBar } from '../seed/progressBar';

/**
 * `npm run import -- --system case-registry --file cases.jsonl [--data-dir DIR]`: validates every row of one
 * system's file (docs/import.md) and, only if none is bad, writes them all in one transaction: into the system's
 * PostgreSQL database when its `<SYSTEM>_DATABASE_URL` is set, else into its SQLite file in the data directory. Exit status 1 lists
 * the bad rows (row number, field, rule); nothing is written then.
 */
const config = loadConfigOrExit();
const { values } = parseArgs({
  options: { system: { type: 'string' }, file: { type: 'string' }, 'data-dir': { type: 'string' } },
  strict: true,
});
if (!values.system || !(SYSTEMS as readonly string[]).includes(values.system) || !values.file) {
  console.error(`usage: npm run import -- --system <${SYSTEMS.join('|')}> --file F.jsonl [--data-dir DIR]`);
  process.exit(2);
}
const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : config.dataDir;
const system = values.system as SystemName;
const databases = databaseSettingsOf(config);
// A system given a `<SYSTEM>_DATABASE_URL` is imported into that PostgreSQL database (importing/postgres.ts).
const target = postgresSettingsFor(databases, system) ? `PostgreSQL (${DATABASE_URL_SETTINGS[system]})` : dataDir;
const bar = createProgressBar();
try {
  const report = await importFile(system, values.file, dataDir, {
    today: config.AS_OF_DATE ?? toIsoDate(new Date()),
    onProgress: bar.update,
    databases,
  });
  bar.done();
  if (report.errors.length > 0) {
    console.error(
      `${values.file}: refused, nothing written — ${report.errors.length}${report.errors.length >= 100 ? '+' : ''} bad row(s):`,
    );
    for (const e of report.errors) console.error(`  row ${e.row}: ${e.field}: ${e.rule}: ${e.message}`);
    process.exit(1);
  }
  console.log(
    `${values.file}: ${report.written} records imported into ${system} (${target}); run \`npm run assess\` to refresh the assessment index`,
  );
} catch (err) {
  bar.done();
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
