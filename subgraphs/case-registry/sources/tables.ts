import type { CourtInfo } from '../../../domain/sichuan';
import type { SqliteStatements } from '../../../lib/sqlite';
import type { CaseRegistryDatabase, CourtRow } from './ddl';
import type { EmbeddedWorkflowDatabase } from './workflowDdl';

/** Each registry table's own key: the upserts of the SQLite writers below and of the PostgreSQL import (importing/postgres.ts). */
export const CASE_REGISTRY_KEYS = {
  courts: ['code'],
  persons: ['id'],
  cases: ['number'],
  conduct_events: ['case_number', 'seq'],
  complaints: ['case_number', 'seq'],
  external_cases: ['number'],
  case_excluded_periods: ['case_number', 'starts_at'],
  case_supervision_orders: ['case_number', 'supervised_at', 'supervising_court'],
} as const;

/**
 * The one owner of the row shapes written to the case registry's file: the registry's tables (ddl.ts) and, in the
 * embedded default, the transfer workflow's beside them (workflowDdl.ts). The seeder, the importer and the workflow
 * all write through these typed writers (Kysely-built INSERTs, prepared once), never through column lists of their own.
 */
export function caseRegistryWriters(sql: SqliteStatements<CaseRegistryDatabase>) {
  return {
    court: sql.writer('courts'),
    /** The importer's and the empty registry's courts: an existing court stays as the registry has it. */
    courtIfMissing: sql.writer('courts', { keys: CASE_REGISTRY_KEYS.courts, ignore: true }),
    person: sql.writer('persons'),
    upsertPerson: sql.writer('persons', { keys: CASE_REGISTRY_KEYS.persons }),
    case: sql.writer('cases'),
    upsertCase: sql.writer('cases', { keys: CASE_REGISTRY_KEYS.cases }),
    party: sql.writer('case_parties'),
    upsertConductEvent: sql.writer('conduct_events', { keys: CASE_REGISTRY_KEYS.conduct_events }),
    upsertComplaint: sql.writer('complaints', { keys: CASE_REGISTRY_KEYS.complaints }),
    upsertExternalCase: sql.writer('external_cases', { keys: CASE_REGISTRY_KEYS.external_cases }),
    upsertExcludedPeriod: sql.writer('case_excluded_periods', { keys: CASE_REGISTRY_KEYS.case_excluded_periods }),
    upsertSupervisionOrder: sql.writer('case_supervision_orders', { keys: CASE_REGISTRY_KEYS.case_supervision_orders }),
  };
}

export function transferWorkflowWriters(sql: SqliteStatements<EmbeddedWorkflowDatabase>) {
  return {
    transfer: sql.writer('transfers'),
    transferCase: sql.writer('transfer_cases'),
    supervisionEvent: sql.writer('supervision_events'),
    rosterOfficer: sql.writer('roster_copy'),
  };
}

/** A court of the province (domain/sichuan) as the registry's row. */
export function courtRow(c: CourtInfo): CourtRow {
  return {
    code: c.code,
    name: c.name,
    level: c.level,
    prefecture: c.prefecture,
    parent: c.parent,
    division_code: c.divisionCode,
    special: c.special ? 1 : 0,
  };
}
