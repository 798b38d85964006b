import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Kysely, PostgresDialect, sql, type Insertable } from 'kysely';
import pg from 'pg';
import type { PropertyKind } from '../domain/measures';
import { COURTS } from '../domain/sichuan';
import { keyIn, openPostgres, type PostgresSettings } from '../lib/database';
import type { SystemName } from '../lib/dataFiles';
import { migratePostgresDatabase } from '../lib/migrations';
import { copyRows, tableColumnsOf, upsertRows } from '../lib/postgresBulk';
import { STORE_MIGRATIONS } from '../subgraphs';
import type { CaseRegistryDatabase, PersonRow } from '../subgraphs/case-registry/sources/ddl';
import { CASE_REGISTRY_KEYS, courtRow } from '../subgraphs/case-registry/sources/tables';
import { PERSONNEL_KEYS } from '../subgraphs/personnel/sources/tables';
import type { PropertyControlDatabase } from '../subgraphs/property-control/sources/ddl';
import { PROPERTY_CONTROL_KEYS } from '../subgraphs/property-control/sources/tables';
import { addReferencedKeys, type ReferencedKeys } from './rows';
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
import {
  NOT_JSON,
  parseLine,
  RECORD_TYPES,
  validateRows,
  type ImportRecord,
  type ImportReport,
  type StoredCase,
  type StoredFacts,
  type ValidateOptions,
} from './validate';

/*
 * `npm run import` into a system's PostgreSQL database (issue 16 item 3): the importer's one place of PostgreSQL-specific
 * SQL. The same two passes as on SQLite (importFile.ts), in ONE transaction on one connection:
 *
 * 1. The file is read once; the keys its rows name (case numbers, property ids, debtor ids: rows.ts addReferencedKeys)
 *    are collected, and the stored facts they need fetched with one statement per kind of key (`= any($1)`, never one
 *    per row). Every row is then checked in memory, synchronously, with the same checks as on SQLite (validate.ts).
 *    A file with a bad row is refused: the transaction is rolled back, nothing written.
 * 2. Otherwise each table is written with the bulk path (lib/postgresBulk.ts upsertRows): COPY into a temporary
 *    staging table, then one INSERT … ON CONFLICT (the system's keys) DO UPDATE per table, rewriting only rows that
 *    differ; a case's parties are replaced (one DELETE for the file's cases, one COPY). Then COMMIT.
 *
 * A refused file, a failed statement, a lost connection or a killed process leave the database as it was: nothing is
 * committed before the last statement. The subgraphs serving from the same database read on (PostgreSQL's readers
 * never wait for a writer) and see the import whole once it commits.
 *
 * Before the checks, the transaction locks the tables the system's import writes (IMPORTED_TABLES) in SHARE ROW
 * EXCLUSIVE mode: readers go on, every other writer of those tables waits for the commit (or, past its lock wait, is
 * refused SOURCE_BUSY), as SQLite's write lock makes them wait there. Without it a transfer decision committed between
 * the checks and the write took the receiving court's next case number, which a registry file also carries, and the
 * upsert overwrote the decision's case (test/import/concurrent-decision.test.ts). The importer allocates no case
 * number; it moves the registry's counters (case_number_counters, registry migration 0002) past the sequences it
 * writes, so the decision that waited takes the next number after the file's.
 */

/** The import's connection, as it shows in pg_stat_activity. */
export const IMPORT_APPLICATION_NAME = 'court-enforcement-graph import';

/** The upsert keys of the tables the importer writes: each system's own (tables.ts), shared with its SQLite writers. */
const KEYS = { ...CASE_REGISTRY_KEYS, ...PROPERTY_CONTROL_KEYS, ...PERSONNEL_KEYS };

type Table = keyof typeof KEYS;

/**
 * The tables each system's import writes: its keyed tables, and the registry's case parties (replaced per case) and
 * case-number counters (advanceCounters). All locked before the first check, so the import never waits for a lock
 * after it.
 */
const IMPORTED_TABLES: Record<SystemName, string[]> = {
  'case-registry': [...Object.keys(CASE_REGISTRY_KEYS), 'case_parties', 'case_number_counters'],
  'property-control': Object.keys(PROPERTY_CONTROL_KEYS),
  personnel: Object.keys(PERSONNEL_KEYS),
};

async function readLines(file: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (line.trim()) lines.push(line);
  return lines;
}

/** Kysely over one connected client (the import's transaction runs on it, and so do the COPYs beside the statements). */
function kyselyOn<DB>(client: pg.Client): Kysely<DB> {
  const handle = Object.assign(client, { release: () => {} });
  return new Kysely<DB>({
    dialect: new PostgresDialect({ pool: { connect: async () => handle, end: async () => {} } as unknown as pg.Pool }),
  });
}

export async function importIntoPostgres(
  system: SystemName,
  file: string,
  settings: PostgresSettings,
  opts: ValidateOptions,
): Promise<ImportReport> {
  // The schema first, as a subgraph starting on the database would (its own transaction: DDL, not data).
  const migrator = openPostgres(settings);
  try {
    await migratePostgresDatabase(migrator.db, system, STORE_MIGRATIONS[system] ?? []);
  } finally {
    await migrator.db.destroy();
  }
  const parsed = (await readLines(file)).map(parseLine);
  const keys: ReferencedKeys = { cases: new Set(), properties: new Set(), persons: new Set() };
  // Only rows of the system's own types name stored records (any other is refused as UNKNOWN_TYPE, and the tables a
  // key would be looked up in are another system's).
  const types = RECORD_TYPES[system];
  for (const o of parsed)
    if (o !== NOT_JSON && o && typeof o === 'object' && !Array.isArray(o) && types.includes(String((o as { type?: unknown }).type)))
      addReferencedKeys(o as Record<string, unknown>, opts.today, keys);

  const client = new pg.Client({ connectionString: settings.url, application_name: IMPORT_APPLICATION_NAME });
  // A connection lost while no statement runs is reported by the next statement; without a listener it would end the process.
  let lost: Error | null = null;
  client.on('error', (err) => (lost = err));
  await client.connect();
  try {
    await client.query('begin');
    // The bulk statements of a large file run past a subgraph's statement time-out by design; a lock held by a serving
    // subgraph's write is waited for, but not for ever.
    await client.query('set local statement_timeout = 0');
    await client.query(`set local lock_timeout = '60s'`);
    // No other writer between the checks and the commit (see the top of this file).
    await client.query(`lock table ${IMPORTED_TABLES[system].map((t) => `"${t}"`).join(', ')} in share row exclusive mode`);
    const db = kyselyOn<CaseRegistryDatabase & PropertyControlDatabase>(client);
    const stored = await fetchFacts(db, keys);
    const { rows, records, errors, lineage } = await validateRows(system, parsed, parsed.length, stored, opts);
    if (errors.length > 0) {
      await client.query('rollback');
      return { rows, written: 0, errors };
    }
    await write(client, db, system, records, lineage, opts.onProgress);
    await client.query('commit');
    return { rows, written: records.length, errors: [] };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw lost ?? err;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The stored facts the rows' checks need, for every key the file names: one statement per kind of key. */
async function fetchFacts(db: Kysely<CaseRegistryDatabase & PropertyControlDatabase>, keys: ReferencedKeys): Promise<StoredFacts> {
  const cases = new Map<string, StoredCase>();
  const periods = new Map<string, { startsAt: string; endsAt: string | null }[]>();
  const debtors = new Set<string>();
  const kinds = new Map<string, PropertyKind>();
  const ranks = new Map<string, string>();
  const caseNumbers = [...keys.cases];
  if (caseNumbers.length > 0) {
    for (const r of await db
      .selectFrom('cases')
      .select(['number', 'filed_at', 'executing_court', 'conduct_ordered', 'lineage_root', 'closure'])
      .where((eb) => keyIn('postgres', eb, 'number', caseNumbers))
      .execute())
      cases.set(r.number, {
        filedAt: r.filed_at,
        executingCourt: r.executing_court,
        ordersConduct: r.conduct_ordered !== null,
        lineageRoot: r.lineage_root,
        closure: r.closure,
      });
    for (const p of await db
      .selectFrom('case_excluded_periods')
      .select(['case_number', 'starts_at', 'ends_at'])
      .where((eb) => keyIn('postgres', eb, 'case_number', caseNumbers))
      .orderBy('case_number')
      .orderBy('starts_at')
      .execute()) {
      const list = periods.get(p.case_number) ?? [];
      list.push({ startsAt: p.starts_at, endsAt: p.ends_at });
      periods.set(p.case_number, list);
    }
  }
  const persons = [...keys.persons];
  if (persons.length > 0)
    for (const d of await db
      .selectFrom('case_parties')
      .select('person_id')
      .distinct()
      .where('role', '=', 'DEBTOR')
      .where((eb) => keyIn('postgres', eb, 'person_id', persons))
      .execute())
      if (d.person_id !== null) debtors.add(d.person_id);
  const properties = [...keys.properties];
  if (properties.length > 0) {
    for (const p of await db
      .selectFrom('properties')
      .select(['id', 'kind'])
      .where((eb) => keyIn('postgres', eb, 'id', properties))
      .execute())
      kinds.set(p.id, p.kind as PropertyKind);
    for (const e of await db
      .selectFrom('encumbrances')
      .select(['property_id', 'rank', 'id'])
      .where((eb) => keyIn('postgres', eb, 'property_id', properties))
      .execute())
      ranks.set(`${e.property_id}|${Number(e.rank)}`, e.id);
  }
  // Asked of a key the file did not name is a bug in addReferencedKeys: said loudly, never answered "not recorded".
  const fetched = (set: Set<string>, key: string, what: string) => {
    if (!set.has(key)) throw new Error(`import: the ${what} ${key} was not fetched with the file's keys`);
  };
  return {
    case: (number) => (fetched(keys.cases, number, 'case'), cases.get(number) ?? null),
    periods: (number) => (fetched(keys.cases, number, 'case'), periods.get(number) ?? []),
    isDebtor: (id) => (fetched(keys.persons, id, 'person'), debtors.has(id)),
    propertyKind: (id) => (fetched(keys.properties, id, 'property'), kinds.get(id) ?? null),
    rankHolder: (propertyId, rank) => (fetched(keys.properties, propertyId, 'property'), ranks.get(`${propertyId}|${rank}`)),
  };
}

/** Every validated record written, table by table, in the open transaction. */
async function write(
  client: pg.Client,
  db: Kysely<CaseRegistryDatabase & PropertyControlDatabase>,
  system: SystemName,
  records: ImportRecord[],
  lineage: Map<string, string>,
  onProgress?: ValidateOptions['onProgress'],
): Promise<void> {
  const tables = new Map<Table, Record<string, unknown>[]>();
  const add = (table: Table, row: object) => {
    const list = tables.get(table) ?? [];
    list.push(row as Record<string, unknown>);
    tables.set(table, list);
  };
  const cases = records.flatMap((r) => (r.type === 'case' ? [r.value] : []));
  if (system === 'case-registry') {
    // The province's courts, for a registry written first by an import (an existing court stays as recorded).
    tables.set(
      'courts',
      COURTS.map((c) => courtRow(c) as unknown as Record<string, unknown>),
    );
    // Persons in file order, each as its last row leaves it: a row without divisionCode keeps the seat recorded, or
    // the one an earlier row of the file gave (as the SQLite path's upserts one after the other do).
    const unseated = [
      ...new Set(
        cases.flatMap((c) => [...c.debtors, ...c.applicants]).flatMap((p) => (p.personId && p.divisionCode === null ? [p.personId] : [])),
      ),
    ];
    const recorded = new Map<string, Pick<PersonRow, 'division_code' | 'out_of_province'>>();
    if (unseated.length > 0)
      for (const p of await db
        .selectFrom('persons')
        .select(['id', 'division_code', 'out_of_province'])
        .where((eb) => keyIn('postgres', eb, 'id', unseated))
        .execute())
        recorded.set(p.id, { division_code: p.division_code, out_of_province: Number(p.out_of_province) });
    const persons = new Map<string, Insertable<PersonRow>>();
    for (const c of cases)
      for (const p of [...c.debtors, ...c.applicants])
        if (p.personId) {
          const earlier = persons.get(p.personId);
          const known = earlier
            ? { division_code: earlier.division_code ?? null, out_of_province: earlier.out_of_province ?? 0 }
            : recorded.get(p.personId);
          persons.set(p.personId, personTableRow({ ...p, personId: p.personId }, known));
        }
    tables.set('persons', [...persons.values()] as Record<string, unknown>[]);
  }
  for (const r of records) {
    switch (r.type) {
      case 'case':
        if (system === 'case-registry') add('cases', caseTableRow(r.value, lineage.get(r.value.number)!));
        break;
      case 'conductEvent':
        add('conduct_events', conductEventTableRow(r.value));
        break;
      case 'complaint':
        add('complaints', complaintTableRow(r.value));
        break;
      case 'externalCase':
        add('external_cases', externalCaseTableRow(r.value));
        break;
      case 'excludedPeriod':
        add('case_excluded_periods', excludedPeriodTableRow(r.value));
        break;
      case 'supervisionOrder':
        add('case_supervision_orders', supervisionOrderTableRow(r.value));
        break;
      case 'property':
        add('properties', propertyTableRow(r.value));
        break;
      case 'measure':
        add('measures', measureTableRow(r.value));
        break;
      case 'disposalStep':
        add('disposal_steps', disposalStepTableRow(r.value));
        break;
      case 'encumbrance':
        add('encumbrances', encumbranceTableRow(r.value));
        break;
      case 'officer':
        add('officers', officerTableRow(r.value));
        break;
    }
  }
  const total = records.length;
  let done = 0;
  onProgress?.(0, total, 'write');
  for (const [table, rows] of tables) {
    await upsertRows(client, table, KEYS[table], rows, { ignore: table === 'courts' });
    if (table !== 'courts' && table !== 'persons') done += rows.length;
    onProgress?.(done, total, 'write');
    if (table === 'cases') {
      // A case's parties are the file's: the recorded ones of the file's cases go, the file's are copied in.
      const numbers = cases.map((c) => c.number);
      await db
        .deleteFrom('case_parties')
        .where((eb) => keyIn('postgres', eb, 'case_number', numbers))
        .execute();
      const columns = await tableColumnsOf(client, 'case_parties');
      await copyRows(
        client,
        'case_parties',
        columns,
        (function* () {
          for (const c of cases) for (const p of casePartyRows(c)) yield columns.map((k) => (p as Record<string, unknown>)[k] ?? null);
        })(),
      );
    }
  }
  if (system === 'case-registry' && cases.length > 0)
    await advanceCounters(
      db,
      cases.map((c) => c.number),
    );
  onProgress?.(total, total, 'write');
}

/**
 * Moves each court's, year's and type's case-number counter to at least the greatest sequence the file wrote (a
 * counter row created where none is yet), so the numbers a decision allocates (case-registry sources/sqlite.ts
 * allocateSequence) never fall on an imported case's.
 */
async function advanceCounters(db: Kysely<CaseRegistryDatabase & PropertyControlDatabase>, numbers: string[]): Promise<void> {
  await db
    .insertInto('case_number_counters')
    .columns(['court_code', 'year', 'type_code', 'last_sequence'])
    .expression((eb) =>
      eb
        .selectFrom('cases')
        .select(['court_code', 'year', 'type_code', sql<number>`max(sequence)`.as('last_sequence')])
        .where((w) => keyIn('postgres', w, 'number', numbers))
        .groupBy(['court_code', 'year', 'type_code']),
    )
    .onConflict((oc) =>
      oc
        .columns(['court_code', 'year', 'type_code'])
        .doUpdateSet((eb) => ({ last_sequence: eb.ref('excluded.last_sequence') }))
        .where((eb) => eb('case_number_counters.last_sequence', '<', eb.ref('excluded.last_sequence'))),
    )
    .execute();
}
