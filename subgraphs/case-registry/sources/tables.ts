import type { CourtInfo } from '../../../domain/sichuan';
import type { SqliteStatements } from '../../../lib/sqlite';
import type { CaseRegistryDatabase, CourtRow } from './ddl';
import type { EmbeddedWorkflowDatabase } from './workflowDdl';

/**
 * The one owner of the row shapes written to the case registry's file: the registry's tables (ddl.ts) and, in the
 * embedded default, the transfer workflow's beside them (workflowDdl.ts). The seeder, the importer and the workflow
 * all write through these typed writers (Kysely-built INSERTs, prepared once), never through column lists of their own.
 */
export function caseRegistryWriters(sql: SqliteStatements<CaseRegistryDatabase>) {
  return {
    court: sql.writer('courts'),
    /** The importer's and the empty registry's courts: an existing court stays as the registry has it. */
    courtIfMissing: sql.writer('courts', { keys: ['code'], ignore: true }),
    person: sql.writer('persons'),
    upsertPerson: sql.writer('persons', { keys: ['id'] }),
    case: sql.writer('cases'),
    upsertCase: sql.writer('cases', { keys: ['number'] }),
    party: sql.writer('case_parties'),
    upsertConductEvent: sql.writer('conduct_events', { keys: ['case_number', 'seq'] }),
    upsertComplaint: sql.writer('complaints', { keys: ['case_number', 'seq'] }),
    upsertExternalCase: sql.writer('external_cases', { keys: ['number'] }),
    upsertExcludedPeriod: sql.writer('case_excluded_periods', { keys: ['case_number', 'starts_at'] }),
    upsertSupervisionOrder: sql.writer('case_supervision_orders', { keys: ['case_number', 'supervised_at', 'supervising_court'] }),
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
