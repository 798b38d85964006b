import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type Database from 'better-sqlite3';
import type { PropertyKind } from '../domain/measures';
import { COURTS } from '../domain/sichuan';
import { postgresSettingsFor, type DatabaseSettings } from '../lib/database';
import { databaseFile, SYSTEMS, type SystemName } from '../lib/dataFiles';
import { openSqlite, SqliteStatements, WRITE_TABLES } from '../lib/sqlite';
import type { CaseRegistryDatabase } from '../subgraphs/case-registry/sources/ddl';
import { CASE_REGISTRY_INDEXES, CASE_REGISTRY_TABLES, migrateCaseRegistry } from '../subgraphs/case-registry/sources/sqlite';
import { caseRegistryWriters, courtRow } from '../subgraphs/case-registry/sources/tables';
import {
  migrateTransferWorkflow,
  TRANSFER_WORKFLOW_INDEXES,
  TRANSFER_WORKFLOW_TABLES,
} from '../subgraphs/case-registry/sources/workflowSqlite';
import type { PersonnelDatabase } from '../subgraphs/personnel/sources/ddl';
import { PERSONNEL_INDEXES, PERSONNEL_TABLES } from '../subgraphs/personnel/sources/sqlite';
import { personnelWriters } from '../subgraphs/personnel/sources/tables';
import type { PropertyControlDatabase } from '../subgraphs/property-control/sources/ddl';
import { migratePropertyControl, PROPERTY_CONTROL_INDEXES, PROPERTY_CONTROL_TABLES } from '../subgraphs/property-control/sources/sqlite';
import { propertyControlWriters } from '../subgraphs/property-control/sources/tables';
import { importIntoPostgres } from './postgres';
import {
  caseTableRow,
  casePartyRows,
  complaintTableRow,
  conductEventTableRow,
  disposalStepTableRow,
  encumbranceTableRow,
  excludedPeriodTableRow,
  externalCaseTableRow,
  measureTableRow,
  officerTableRow,
  personTableRow,
  propertyTableRow,
  supervisionOrderTableRow,
} from './tableRows';
import { parseLine, validateRows, type ImportRecord, type ImportReport, type StoredFacts } from './validate';

export type { ImportReport, RowError } from './validate';

/**
 * `npm run import`: loads one system's JSON Lines file (docs/import.md) into DATA_DIR. Two passes: every row is
 * validated first, and only a file without a bad row is written, in ONE transaction — so a refused file writes
 * nothing, and a killed import leaves the database as it was (SQLite rolls the open transaction back). The checks
 * run inside that transaction, holding the system's write lock, so what they checked is what is written over. Rows
 * are upserts keyed by the system's own keys, so importing the same file again changes nothing.
 *
 * The write is each dialect's bulk path. SQLite: prepared statements in one synchronous IMMEDIATE transaction
 * (SqliteStatements), as the seeder's is, not the async write transaction every other write uses
 * (lib/writeTransaction.ts, ADR 23): through async Kysely a 20,000-case file took 55 s to write instead of 4 s.
 * PostgreSQL (a system given a `<SYSTEM>_DATABASE_URL`, opts.databases): importing/postgres.ts, the same two passes
 * over facts fetched for the whole file, and COPY into staging tables merged by one upsert per table.
 */

export interface ImportOptions {
  /** The day dates are judged against (nothing may lie after it). */
  today: string;
  onProgress?: (done: number, total: number, phase: string) => void;
  /** Stop collecting after this many bad rows (the file is refused either way). */
  maxErrors?: number;
  /**
   * Where the systems' stores are (lib/config.ts databaseSettingsOf): a system given a PostgreSQL URL is imported
   * into that database; unset, or a system without a URL, into its SQLite file in the data directory.
   */
  databases?: DatabaseSettings;
}

/** Creates the three systems' databases, empty but for the courts, when DATA_DIR has none yet. */
function ensureDatabases(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  if (SYSTEMS.every((s) => existsSync(databaseFile(dataDir, s)))) return;
  const ddl: Record<SystemName, string> = {
    'case-registry': CASE_REGISTRY_TABLES + CASE_REGISTRY_INDEXES + TRANSFER_WORKFLOW_TABLES + TRANSFER_WORKFLOW_INDEXES,
    'property-control': PROPERTY_CONTROL_TABLES + PROPERTY_CONTROL_INDEXES,
    personnel: PERSONNEL_TABLES + PERSONNEL_INDEXES,
  };
  for (const s of SYSTEMS) {
    if (existsSync(databaseFile(dataDir, s))) continue;
    const { raw } = openSqlite(databaseFile(dataDir, s), { ddl: ddl[s] });
    if (s === 'case-registry') {
      const { courtIfMissing } = caseRegistryWriters(new SqliteStatements<CaseRegistryDatabase>(raw));
      raw.transaction(() => COURTS.forEach((c) => courtIfMissing(courtRow(c))))();
    }
    raw.close();
  }
}

/** The lines of a file that hold something (a blank line is no row), as a stream. */
function nonEmptyLines(file: string): AsyncIterable<string> {
  return (async function* () {
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (line.trim()) yield line;
  })();
}

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const _ of nonEmptyLines(file)) n++;
  return n;
}

export async function importFile(system: SystemName, file: string, dataDir: string, opts: ImportOptions): Promise<ImportReport> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new Error(`no such file: ${file}`);
  const postgres = postgresSettingsFor(opts.databases, system);
  if (postgres) return importIntoPostgres(system, file, postgres, opts);
  ensureDatabases(dataDir);
  const migrate = (r: Database.Database) =>
    system === 'case-registry'
      ? (migrateCaseRegistry(r), migrateTransferWorkflow(r))
      : system === 'property-control'
        ? (migratePropertyControl(r), r.exec(WRITE_TABLES))
        : undefined;
  const { raw } = openSqlite(databaseFile(dataDir, system), { migrate });
  try {
    const total = await countLines(file);
    const lines = (async function* () {
      for await (const line of nonEmptyLines(file)) yield parseLine(line);
    })();
    // The checks and the write under one write lock, so no other writer (a transfer decision opening the receiving
    // court's next case number, which the file may carry too) commits between them; the write's own transaction
    // nests in it as a savepoint. Readers go on (WAL); writers wait for the commit, or past their lock wait are
    // refused SOURCE_BUSY (test/import/concurrent-decision.test.ts).
    raw.exec('BEGIN IMMEDIATE');
    const { rows, records, errors, lineage } = await validateRows(system, lines, total, sqliteFacts(raw), opts);
    if (errors.length > 0) return { rows, written: 0, errors };
    write(raw, system, records, lineage, opts.onProgress);
    raw.exec('COMMIT');
    return { rows, written: records.length, errors: [] };
  } finally {
    if (raw.inTransaction) raw.exec('ROLLBACK');
    raw.close();
  }
}

/** The stored facts the rows' checks ask, each one prepared statement per key on the system's SQLite file. */
function sqliteFacts(raw: Database.Database): StoredFacts {
  const properties = new SqliteStatements<PropertyControlDatabase>(raw);
  const cases = new SqliteStatements<CaseRegistryDatabase>(raw);
  return {
    case(number) {
      const r = cases.first(
        cases.db
          .selectFrom('cases')
          .select(['filed_at', 'executing_court', 'conduct_ordered', 'lineage_root', 'closure'])
          .where('number', '=', number),
      );
      return r
        ? {
            filedAt: r.filed_at,
            executingCourt: r.executing_court,
            ordersConduct: r.conduct_ordered !== null,
            lineageRoot: r.lineage_root,
            closure: r.closure,
          }
        : null;
    },
    periods: (number) =>
      cases
        .all(cases.db.selectFrom('case_excluded_periods').select(['starts_at', 'ends_at']).where('case_number', '=', number))
        .map((p) => ({ startsAt: p.starts_at, endsAt: p.ends_at })),
    isDebtor: (id) =>
      cases.first(cases.db.selectFrom('case_parties').select('person_id').where('person_id', '=', id).where('role', '=', 'DEBTOR')) !==
      undefined,
    propertyKind: (id) =>
      (properties.first(properties.db.selectFrom('properties').select('kind').where('id', '=', id))?.kind as PropertyKind | undefined) ??
      null,
    rankHolder: (propertyId, rank) =>
      properties.first(properties.db.selectFrom('encumbrances').select('id').where('property_id', '=', propertyId).where('rank', '=', rank))
        ?.id,
  };
}

function write(
  raw: Database.Database,
  system: SystemName,
  records: ImportRecord[],
  lineage: Map<string, string>,
  onProgress?: ImportOptions['onProgress'],
): void {
  const registry = caseRegistryWriters(new SqliteStatements<CaseRegistryDatabase>(raw));
  const registrySql = new SqliteStatements<CaseRegistryDatabase>(raw);
  const property = propertyControlWriters(new SqliteStatements<PropertyControlDatabase>(raw));
  const personnel = personnelWriters(new SqliteStatements<PersonnelDatabase>(raw));
  raw
    .transaction(() => {
      records.forEach((r, i) => {
        if (i % 1000 === 0) onProgress?.(i, records.length, 'write');
        switch (r.type) {
          case 'case': {
            if (system !== 'case-registry') break;
            const c = r.value;
            for (const p of [...c.debtors, ...c.applicants]) {
              if (p.personId) {
                const known =
                  p.divisionCode === null
                    ? registrySql.first(
                        registrySql.db.selectFrom('persons').select(['division_code', 'out_of_province']).where('id', '=', p.personId),
                      )
                    : undefined;
                registry.upsertPerson(personTableRow({ ...p, personId: p.personId }, known));
              }
            }
            registry.upsertCase(caseTableRow(c, lineage.get(c.number)!));
            registrySql.run(registrySql.db.deleteFrom('case_parties').where('case_number', '=', c.number));
            casePartyRows(c).forEach(registry.party);
            break;
          }
          case 'conductEvent':
            registry.upsertConductEvent(conductEventTableRow(r.value));
            break;
          case 'complaint':
            registry.upsertComplaint(complaintTableRow(r.value));
            break;
          case 'externalCase':
            registry.upsertExternalCase(externalCaseTableRow(r.value));
            break;
          case 'excludedPeriod':
            registry.upsertExcludedPeriod(excludedPeriodTableRow(r.value));
            break;
          case 'supervisionOrder':
            registry.upsertSupervisionOrder(supervisionOrderTableRow(r.value));
            break;
          case 'property':
            property.upsertProperty(propertyTableRow(r.value));
            break;
          case 'measure':
            property.upsertMeasure(measureTableRow(r.value));
            break;
          case 'disposalStep':
            property.upsertDisposalStep(disposalStepTableRow(r.value));
            break;
          case 'encumbrance':
            property.upsertEncumbrance(encumbranceTableRow(r.value));
            break;
          case 'officer':
            personnel.upsertOfficer(officerTableRow(r.value));
            break;
        }
      });
      onProgress?.(records.length, records.length, 'write');
    })
    .immediate();
}
