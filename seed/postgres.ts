import Database from 'better-sqlite3';
import pg from 'pg';
import type { PostgresSettings } from '../lib/database';
import { COORDINATION_DB, databaseFile, SYSTEMS, type SystemName } from '../lib/dataFiles';
import { MIGRATIONS_TABLE } from '../lib/migrations';
import { assertEmptyDatabase, bulkLoadFromSqlite } from '../lib/postgresBulk';
import { STORE_MIGRATIONS } from '../subgraphs';

/**
 * `npm run seed` on PostgreSQL (issue 16 item 3): the generator writes the province into the data directory's SQLite
 * files as always (seed/province.ts: one generator, so the province is the same on both engines), then every system
 * given a `<SYSTEM>_DATABASE_URL` is loaded from its file with COPY (lib/postgresBulk.ts): its schema from the same
 * migrations, indexes after the load, ANALYZE. The coordination index describes the old province: its PostgreSQL
 * tables are emptied, as the SQLite seeder removes coordination.db, and the next `npm run assess` rebuilds them.
 */
export async function loadProvinceIntoPostgres(
  dataDir: string,
  targets: Partial<Record<SystemName | typeof COORDINATION_DB, PostgresSettings>>,
  opts: { force?: boolean; onProgress?: (done: number, total: number, phase: string) => void } = {},
): Promise<Partial<Record<SystemName, Record<string, number>>>> {
  const report: Partial<Record<SystemName, Record<string, number>>> = {};
  // The systems at once, one connection each: the server's backends parse and index while this process reads the
  // next system's rows (each system's load is still its own transaction).
  const loads = await Promise.allSettled(
    SYSTEMS.filter((system) => targets[system]).map(async (system) => {
      const raw = new Database(databaseFile(dataDir, system), { readonly: true, fileMustExist: true });
      try {
        report[system] = await bulkLoadFromSqlite(raw, targets[system]!, {
          system,
          migrations: STORE_MIGRATIONS[system] ?? [],
          force: opts.force,
          onProgress: (table, rows, total) => opts.onProgress?.(rows, total, `${system} ${table} (COPY)`),
        });
      } finally {
        raw.close();
      }
    }),
  );
  // Every load ends (commits or rolls back) before a failure is reported.
  for (const load of loads) if (load.status === 'rejected') throw load.reason;
  const coordination = targets[COORDINATION_DB];
  if (coordination) await emptyTables(coordination);
  return report;
}

/** Refuses (BulkLoadRefused) before anything is generated when a target system's database holds rows. */
export async function assertPostgresTargetsEmpty(
  targets: Partial<Record<SystemName | typeof COORDINATION_DB, PostgresSettings>>,
): Promise<void> {
  for (const system of SYSTEMS) if (targets[system]) await assertEmptyDatabase(targets[system]!, system);
}

/** Empties every table of a database but its migration record (the coordination index, rebuilt by the next pass). */
export async function emptyTables(settings: PostgresSettings): Promise<void> {
  const client = new pg.Client({ connectionString: settings.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name != $1`,
      [MIGRATIONS_TABLE],
    );
    if (rows.length) await client.query(`truncate ${rows.map((r) => `"${r.table_name.replace(/"/g, '""')}"`).join(', ')}`);
  } finally {
    await client.end();
  }
}
