import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { BaseContext } from '@apollo/server';
import { openPostgres, postgresSettingsFor } from '../lib/database';
import { log } from '../lib/log';
import { migratePostgresDatabase, migrateSqliteDatabase, WRITE_RECORDS_MIGRATIONS, type Migration } from '../lib/migrations';
import type { SubgraphModule, SubgraphOptions } from '../lib/subgraphServer';
import { CASE_REGISTRY_MIGRATIONS, TRANSFER_WORKFLOW_MIGRATIONS } from './case-registry/sources/migrations';
import { COORDINATION_MIGRATIONS } from './coordination/sources/migrations';
import { PERSONNEL_MIGRATIONS } from './personnel/sources/migrations';
import { PROPERTY_CONTROL_MIGRATIONS } from './property-control/sources/migrations';
import { SUBGRAPHS, type SubgraphName } from './catalogue';
import type { RunnableSubgraph } from '../lib/runSubgraph';
import { caseRegistryFromFile } from './case-registry/server';
import { coordinationFromFile } from './coordination/server';
import { personnelFromFile } from './personnel/server';
import { propertyControlFromFile } from './property-control/server';
// new-subgraph: imports above this line (scripts/newSubgraph.ts adds one per subgraph)

type Opener = (file: string, opts: SubgraphOptions) => SubgraphModule<BaseContext>;

/**
 * How each catalogued subgraph opens on its SQLite file, `<DATA_DIR>/<name>.db` (coordination's holds only its
 * assessment index). The type makes a catalogued subgraph without an opener a compile error.
 */
const OPENERS: { [N in SubgraphName]: Opener } = {
  'case-registry': caseRegistryFromFile,
  'property-control': propertyControlFromFile,
  personnel: personnelFromFile,
  coordination: coordinationFromFile,
  // new-subgraph: openers above this line
};

/**
 * Each system's schema steps (lib/migrations.ts) as its store holds them: in the embedded default the registry's
 * database also holds the transfer workflow's tables, and both writing systems' hold the write bookkeeping.
 */
export const STORE_MIGRATIONS: Partial<{ [N in SubgraphName]: readonly Migration[] }> = {
  'case-registry': [...CASE_REGISTRY_MIGRATIONS, ...TRANSFER_WORKFLOW_MIGRATIONS, ...WRITE_RECORDS_MIGRATIONS],
  'property-control': [...PROPERTY_CONTROL_MIGRATIONS, ...WRITE_RECORDS_MIGRATIONS],
  personnel: PERSONNEL_MIGRATIONS,
  coordination: COORDINATION_MIGRATIONS,
};

/**
 * Opens a subgraph on its store: the PostgreSQL database its `<SYSTEM>_DATABASE_URL` names (opts.databases), else
 * its SQLite file in the data directory. A PostgreSQL store must have been migrated first (migrateSubgraphStore).
 */
export function openSubgraph(name: SubgraphName, dataDir: string, opts: SubgraphOptions = {}): SubgraphModule<BaseContext> {
  return OPENERS[name](path.join(dataDir, `${name}.db`), { ...opts, postgres: postgresSettingsFor(opts.databases, name) });
}

/**
 * Brings a subgraph's store up to the latest schema step; the steps applied. Run at start before the subgraph opens
 * (automatic migration) and by `npm run migrate`. A SQLite file is migrated as it opens, so this is needed only for
 * PostgreSQL at start, but `npm run migrate` runs it for both.
 */
export async function migrateSubgraphStore(
  name: SubgraphName,
  dataDir: string,
  opts: Pick<SubgraphOptions, 'databases'> = {},
): Promise<string[]> {
  const migrations = STORE_MIGRATIONS[name] ?? [];
  const postgres = postgresSettingsFor(opts.databases, name);
  if (postgres) {
    const { db } = openPostgres(postgres);
    try {
      return await migratePostgresDatabase(db, name, migrations);
    } finally {
      await db.destroy();
    }
  }
  const file = path.join(dataDir, `${name}.db`);
  if (!existsSync(file) && name !== 'coordination') return [];
  const raw = new Database(file);
  try {
    return migrateSqliteDatabase(raw, migrations);
  } finally {
    raw.close();
  }
}

/**
 * Automatic migration at start: a subgraph on PostgreSQL brings its database up to the latest step before it opens
 * (its SQLite file, if on one, is migrated as it opens). Logs the steps it applied.
 */
export async function prepareSubgraphStore(
  name: SubgraphName,
  dataDir: string,
  opts: Pick<SubgraphOptions, 'databases'> = {},
): Promise<void> {
  if (!postgresSettingsFor(opts.databases, name)) return;
  const applied = await migrateSubgraphStore(name, dataDir, opts);
  if (applied.length) log.info({ subgraph: name, applied }, 'PostgreSQL store migrated');
}

/** A catalogued subgraph as `runSubgraphProcess` serves it on its own. */
export function runnableSubgraph(name: SubgraphName): RunnableSubgraph {
  const { defaultPort } = SUBGRAPHS.find((s) => s.name === name)!;
  return {
    name,
    defaultPort,
    open: (dataDir, opts) => openSubgraph(name, dataDir, opts),
    prepare: (dataDir, opts) => prepareSubgraphStore(name, dataDir, opts),
  };
}
