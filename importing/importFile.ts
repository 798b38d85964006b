import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type Database from 'better-sqlite3';
import { ValidationError } from '../domain/errors';
import type { PropertyKind } from '../domain/measures';
import { COURTS } from '../domain/sichuan';
import { databaseFile, SYSTEMS, type SystemName } from '../lib/dataFiles';
import { openSqlite, SqliteStatements, WRITE_TABLES } from '../lib/sqlite';
import type { CasePartyRow, CaseRegistryDatabase } from '../subgraphs/case-registry/sources/ddl';
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
import {
  caseRow,
  complaintRow,
  conductEventRow,
  disposalStepRow,
  externalCaseRow,
  encumbranceRow,
  excludedPeriodRow,
  measureRow,
  officerRow,
  periodsOverlap,
  propertyRow,
  supervisionOrderRow,
  type CaseImport,
  type ComplaintImport,
  type ConductEventImport,
  type DisposalStepImport,
  type ExternalCaseImport,
  type EncumbranceImport,
  type ExcludedPeriodImport,
  type MeasureImport,
  type OfficerImport,
  type PartyRow,
  type PropertyImport,
  type SupervisionOrderImport,
} from './rows';

/**
 * `npm run import`: loads one system's JSON Lines file (docs/import.md) into DATA_DIR. Two passes: every row is
 * validated first, and only a file without a bad row is written, in ONE transaction — so a refused file writes
 * nothing, and a killed import leaves the database as it was (SQLite rolls the open transaction back). Rows are
 * upserts keyed by the system's own keys, so importing the same file again changes nothing.
 *
 * The write is SQLite's bulk path (SqliteStatements: prepared statements in one synchronous IMMEDIATE transaction), as
 * the seeder's is, not the async write transaction every other write uses (lib/writeTransaction.ts, ADR 23): through
 * async Kysely a 20,000-case file took 55 s to write instead of 4 s. A bulk path per dialect is issue 16 item 3.
 */

export interface RowError {
  row: number;
  field: string;
  rule: string;
  message: string;
}

export interface ImportReport {
  rows: number;
  written: number;
  errors: RowError[];
}

export interface ImportOptions {
  /** The day dates are judged against (nothing may lie after it). */
  today: string;
  onProgress?: (done: number, total: number, phase: string) => void;
  /** Stop collecting after this many bad rows (the file is refused either way). */
  maxErrors?: number;
}

type Record_ =
  | { type: 'case'; row: number; value: CaseImport }
  | { type: 'externalCase'; row: number; value: ExternalCaseImport }
  | { type: 'complaint'; row: number; value: ComplaintImport }
  | { type: 'conductEvent'; row: number; value: ConductEventImport }
  | { type: 'excludedPeriod'; row: number; value: ExcludedPeriodImport }
  | { type: 'supervisionOrder'; row: number; value: SupervisionOrderImport }
  | { type: 'property'; row: number; value: PropertyImport }
  | { type: 'measure'; row: number; value: MeasureImport }
  | { type: 'disposalStep'; row: number; value: DisposalStepImport }
  | { type: 'encumbrance'; row: number; value: EncumbranceImport }
  | { type: 'officer'; row: number; value: OfficerImport };

/** A case as the rows that hang on it check it (filing day, executing court, whether it orders conduct). */
interface KnownCase {
  filedAt: string;
  executingCourt: string;
  ordersConduct: boolean;
}

const TYPES: Record<SystemName, string[]> = {
  'case-registry': ['case', 'externalCase', 'complaint', 'conductEvent', 'excludedPeriod', 'supervisionOrder'],
  'property-control': ['property', 'measure', 'disposalStep', 'encumbrance'],
  personnel: ['officer'],
};

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

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (line.trim()) n++;
  return n;
}

export async function importFile(system: SystemName, file: string, dataDir: string, opts: ImportOptions): Promise<ImportReport> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new Error(`no such file: ${file}`);
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
    const records: Record_[] = [];
    const errors: RowError[] = [];
    const maxErrors = opts.maxErrors ?? 100;
    const seen = new Map<string, number>();
    const fileProperties = new Map<string, PropertyKind>();
    const fileCases = new Map<string, string>(); // number → lineage root
    const properties = new SqliteStatements<PropertyControlDatabase>(raw);
    const cases = new SqliteStatements<CaseRegistryDatabase>(raw);
    const dbPropertyKind = (id: string) =>
      properties.first(properties.db.selectFrom('properties').select('kind').where('id', '=', id))?.kind ?? null;
    const dbLineageRoot = (number: string) =>
      cases.first(cases.db.selectFrom('cases').select('lineage_root').where('number', '=', number))?.lineage_root;
    const fileClosures = new Map<string, string | null>(); // number → closure, for a 执恢 resuming a 终本 case
    const closureOf = (number: string) =>
      fileClosures.has(number)
        ? fileClosures.get(number)!
        : (cases.first(cases.db.selectFrom('cases').select('closure').where('number', '=', number))?.closure ?? null);
    const propertyKind = (id: string) => fileProperties.get(id) ?? dbPropertyKind(id);
    // What the rows that hang on a case (periods, 督办, conduct events, complaints) check of it: the file's cases so far,
    // else the registry's. One look-up for all of them.
    const fileCaseFacts = new Map<string, KnownCase>();
    const knownCase = (number: string): KnownCase | null => {
      const inFile = fileCaseFacts.get(number);
      if (inFile) return inFile;
      const r = cases.first(
        cases.db.selectFrom('cases').select(['filed_at', 'executing_court', 'conduct_ordered']).where('number', '=', number),
      );
      return r ? { filedAt: r.filed_at, executingCourt: r.executing_court, ordersConduct: r.conduct_ordered !== null } : null;
    };
    const filedAtOf = (number: string) => knownCase(number)?.filedAt ?? null;
    /** The case a row names (`caseNumber`), or CASE_UNKNOWN. */
    const requiredCase = (number: string): KnownCase => {
      const known = knownCase(number);
      if (!known) throw new ValidationError('caseNumber', 'CASE_UNKNOWN', `${number} is neither earlier in this file nor in the registry`);
      return known;
    };
    // A case's periods: the file's so far, and the registry's (a file row with the same start replaces one of those).
    const filePeriods = new Map<string, ExcludedPeriodImport[]>();
    const dbPeriods = (number: string) =>
      cases.all(cases.db.selectFrom('case_excluded_periods').select(['starts_at', 'ends_at']).where('case_number', '=', number));
    const fileDebtors = new Set<string>();
    const dbDebtor = (id: string) =>
      cases.first(cases.db.selectFrom('case_parties').select('person_id').where('person_id', '=', id).where('role', '=', 'DEBTOR')) !==
      undefined;
    // Encumbrance ranks per property: the file's (rank → row, by encumbrance id) over the database's.
    const fileRanks = new Map<string, { id: string; row: number }>();
    const dbRankHolder = (propertyId: string, rank: number) =>
      properties.first(properties.db.selectFrom('encumbrances').select('id').where('property_id', '=', propertyId).where('rank', '=', rank))
        ?.id;

    let row = 0;
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      if (!line.trim()) continue;
      row++;
      if (row % 1000 === 0) opts.onProgress?.(row, total, 'validate');
      try {
        let o: Record<string, unknown>;
        try {
          o = JSON.parse(line) as Record<string, unknown>;
        } catch {
          throw new ValidationError('(line)', 'JSON', 'is not a JSON object');
        }
        if (!o || typeof o !== 'object' || Array.isArray(o)) throw new ValidationError('(line)', 'JSON', 'is not a JSON object');
        const type = o.type;
        if (typeof type !== 'string' || !TYPES[system].includes(type))
          throw new ValidationError('type', 'UNKNOWN_TYPE', `a ${system} file holds ${TYPES[system].join(', ')} records`);
        const unique = (key: string) => {
          const first = seen.get(key);
          if (first !== undefined) throw new ValidationError('(row)', 'DUPLICATE_KEY', `repeats the record of row ${first}`);
          seen.set(key, row);
        };
        switch (type) {
          case 'case': {
            const value = caseRow(o, opts.today);
            unique(`case|${value.number}`);
            const from = value.transferredFrom ?? value.continues;
            if (from !== null) {
              const field = value.transferredFrom !== null ? 'transferredFrom' : 'continues';
              const root = fileCases.get(from) ?? dbLineageRoot(from);
              if (!root) throw new ValidationError(field, 'CASE_UNKNOWN', `${from} is neither earlier in this file nor in the registry`);
              if (value.continues !== null && value.typeCode === '执恢' && closureOf(from) !== 'TERMINATED_THIS_ROUND')
                throw new ValidationError(
                  'continues',
                  'CONTINUES_TERMINATED_THIS_ROUND',
                  `a resumed case (执恢) continues a case closed as 终本 (TERMINATED_THIS_ROUND); ${from} was not closed so`,
                );
              fileCases.set(value.number, root);
            } else fileCases.set(value.number, value.number);
            fileClosures.set(value.number, value.closure);
            value.debtors.forEach((p) => p.personId && fileDebtors.add(p.personId));
            fileCaseFacts.set(value.number, {
              filedAt: value.filedAt,
              executingCourt: value.executingCourt,
              ordersConduct: value.conductOrdered !== null,
            });
            records.push({ type, row, value });
            break;
          }
          case 'conductEvent': {
            const value = conductEventRow(o, opts.today);
            unique(`conductEvent|${value.caseNumber}|${value.seq}`);
            const known = requiredCase(value.caseNumber);
            if (!known.ordersConduct)
              throw new ValidationError('caseNumber', 'CONDUCT_NOT_ORDERED', `${value.caseNumber} orders no conduct (no conductOrdered)`);
            if (value.occurredAt < known.filedAt)
              throw new ValidationError('occurredAt', 'DATE_RANGE', `${value.occurredAt} is before the case was filed on ${known.filedAt}`);
            records.push({ type, row, value });
            break;
          }
          case 'complaint': {
            const value = complaintRow(o, opts.today);
            unique(`complaint|${value.caseNumber}|${value.seq}`);
            const { filedAt } = requiredCase(value.caseNumber);
            if (value.receivedAt < filedAt)
              throw new ValidationError(
                'receivedAt',
                'COMPLAINT_BEFORE_FILING',
                `${value.receivedAt} is before the case was filed on ${filedAt}`,
              );
            records.push({ type, row, value });
            break;
          }
          case 'externalCase': {
            const value = externalCaseRow(o, opts.today);
            unique(`externalCase|${value.number}`);
            // Linked on the validated identifier only: an external case names a debtor the registry already knows.
            if (!fileDebtors.has(value.debtorId) && !dbDebtor(value.debtorId))
              throw new ValidationError(
                'debtorId',
                'EXTERNAL_DEBTOR_UNKNOWN',
                `${value.debtorId} is a debtor of no case earlier in this file or in the registry`,
              );
            records.push({ type, row, value });
            break;
          }
          case 'excludedPeriod': {
            const value = excludedPeriodRow(o, opts.today, filedAtOf);
            unique(`excludedPeriod|${value.caseNumber}|${value.startsAt}`);
            const inFile = filePeriods.get(value.caseNumber) ?? [];
            const clash =
              inFile.find((p) => periodsOverlap(p, value)) ??
              dbPeriods(value.caseNumber)
                .filter((p) => p.starts_at !== value.startsAt && !inFile.some((f) => f.startsAt === p.starts_at))
                .map((p) => ({ startsAt: p.starts_at, endsAt: p.ends_at }))
                .find((p) => periodsOverlap(p, value));
            if (clash)
              throw new ValidationError(
                'startsAt',
                'EXCLUDED_PERIOD_OVERLAP',
                `overlaps the period of ${value.caseNumber} from ${clash.startsAt} to ${clash.endsAt ?? 'today (still running)'}`,
              );
            filePeriods.set(value.caseNumber, [...inFile, value]);
            records.push({ type, row, value });
            break;
          }
          case 'supervisionOrder': {
            const value = supervisionOrderRow(o, opts.today, knownCase);
            unique(`supervisionOrder|${value.caseNumber}|${value.supervisedAt}|${value.supervisingCourt}`);
            records.push({ type, row, value });
            break;
          }
          case 'property': {
            const value = propertyRow(o, opts.today);
            unique(`property|${value.id}`);
            fileProperties.set(value.id, value.kind);
            records.push({ type, row, value });
            break;
          }
          case 'measure': {
            const value = measureRow(o, opts.today, propertyKind);
            unique(`measure|${value.id}`);
            records.push({ type, row, value });
            break;
          }
          case 'disposalStep': {
            const value = disposalStepRow(o, opts.today, propertyKind);
            unique(`step|${value.propertyId}|${value.seq}`);
            records.push({ type, row, value });
            break;
          }
          case 'encumbrance': {
            const value = encumbranceRow(o, opts.today, propertyKind);
            unique(`encumbrance|${value.id}`);
            const rankKey = `${value.propertyId}|${value.rank}`;
            const inFile = fileRanks.get(rankKey);
            const inDb = inFile ? undefined : dbRankHolder(value.propertyId, value.rank);
            if (inFile || (inDb !== undefined && inDb !== value.id))
              throw new ValidationError(
                'rank',
                'ENCUMBRANCE_RANK_DUPLICATE',
                `property ${value.propertyId} already has an encumbrance of rank ${value.rank} (${inFile ? `row ${inFile.row}` : `${inDb}, recorded`})`,
              );
            fileRanks.set(rankKey, { id: value.id, row });
            records.push({ type, row, value });
            break;
          }
          case 'officer': {
            const value = officerRow(o);
            unique(`officer|${value.id}`);
            records.push({ type, row, value });
            break;
          }
        }
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        if (errors.length < maxErrors) errors.push({ row, field: err.field, rule: err.rule, message: err.message.replace(/^[^:]*: /, '') });
      }
    }
    opts.onProgress?.(row, total, 'validate');
    if (errors.length > 0) return { rows: row, written: 0, errors };
    write(raw, system, records, fileCases, opts.onProgress);
    return { rows: row, written: records.length, errors: [] };
  } finally {
    raw.close();
  }
}

function write(
  raw: Database.Database,
  system: SystemName,
  records: Record_[],
  lineage: Map<string, string>,
  onProgress?: ImportOptions['onProgress'],
): void {
  const registry = caseRegistryWriters(new SqliteStatements<CaseRegistryDatabase>(raw));
  const registrySql = new SqliteStatements<CaseRegistryDatabase>(raw);
  const property = propertyControlWriters(new SqliteStatements<PropertyControlDatabase>(raw));
  const personnel = personnelWriters(new SqliteStatements<PersonnelDatabase>(raw));
  const bool = (b: boolean) => (b ? 1 : 0);
  const party = (c: CaseImport, role: CasePartyRow['role']) => (p: PartyRow, position: number) =>
    registry.party({
      case_number: c.number,
      role,
      position,
      person_id: p.personId,
      name: p.name,
      name_key: p.nameKey,
      kind: p.kind,
      division_code: p.divisionCode,
    });
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
                // A row that leaves divisionCode out says nothing about the seat: a known person keeps the one recorded.
                const known =
                  p.divisionCode === null
                    ? registrySql.first(
                        registrySql.db.selectFrom('persons').select(['division_code', 'out_of_province']).where('id', '=', p.personId),
                      )
                    : undefined;
                registry.upsertPerson({
                  id: p.personId,
                  kind: p.kind,
                  name: p.name,
                  name_key: p.nameKey,
                  division_code: p.divisionCode ?? known?.division_code ?? null,
                  out_of_province: known ? known.out_of_province : bool(p.divisionCode !== null && !p.divisionCode.startsWith('51')),
                });
              }
            }
            registry.upsertCase({
              number: c.number,
              year: c.year,
              court_code: c.courtCode,
              type_code: c.typeCode,
              sequence: c.sequence,
              executing_court: c.executingCourt,
              status: c.status,
              filed_at: c.filedAt,
              closed_at: c.closedAt,
              closure: c.closure,
              obligation: c.obligation,
              category: c.category,
              conduct_ordered: c.conductOrdered,
              amount_due: c.amountDue,
              amount_recovered: c.amountRecovered,
              handler_id: c.handlerId,
              lineage_root: lineage.get(c.number)!,
              transferred_from: c.transferredFrom,
              continues: c.continues,
              last_action_at: c.lastActionAt,
              settled_at: c.settledAt,
            });
            registrySql.run(registrySql.db.deleteFrom('case_parties').where('case_number', '=', c.number));
            c.debtors.forEach(party(c, 'DEBTOR'));
            c.applicants.forEach(party(c, 'APPLICANT'));
            break;
          }
          case 'conductEvent': {
            const e = r.value;
            registry.upsertConductEvent({
              case_number: e.caseNumber,
              seq: e.seq,
              occurred_at: e.occurredAt,
              kind: e.kind,
              description: e.description,
            });
            break;
          }
          case 'complaint': {
            const c = r.value;
            registry.upsertComplaint({
              case_number: c.caseNumber,
              seq: c.seq,
              received_at: c.receivedAt,
              kind: c.kind,
              outcome: c.outcome,
            });
            break;
          }
          case 'externalCase': {
            const e = r.value;
            registry.upsertExternalCase({
              number: e.number,
              province: e.province,
              court_code: e.courtCode,
              court_name: e.courtName,
              type_code: e.typeCode,
              debtor_id: e.debtorId,
              status: e.status,
              filed_at: e.filedAt,
              closed_at: e.closedAt,
              amount_due: e.amountDue,
            });
            break;
          }
          case 'excludedPeriod': {
            const p = r.value;
            registry.upsertExcludedPeriod({
              case_number: p.caseNumber,
              kind: p.kind,
              starts_at: p.startsAt,
              ends_at: p.endsAt,
              basis: p.basis,
            });
            break;
          }
          case 'supervisionOrder': {
            const o = r.value;
            registry.upsertSupervisionOrder({
              case_number: o.caseNumber,
              supervised_at: o.supervisedAt,
              supervising_court: o.supervisingCourt,
              outcome: o.outcome,
              note: o.note,
            });
            break;
          }
          case 'property': {
            const p = r.value;
            property.upsertProperty({
              id: p.id,
              kind: p.kind,
              description: p.description,
              owner_id: p.ownerId,
              owner_name: p.ownerName,
              division_code: p.divisionCode,
              prefecture: p.prefecture,
              out_of_province: bool(p.outOfProvince),
              estimated_value: p.estimatedValue,
              disposal_stage: p.disposalStage,
              undisposed_since: p.undisposedSince,
              disposal_hold_reason: p.disposalHoldReason,
            });
            break;
          }
          case 'measure': {
            const m = r.value;
            property.upsertMeasure({
              id: m.id,
              property_id: m.propertyId,
              kind: m.kind,
              court_code: m.courtCode,
              case_number: m.caseNumber,
              imposed_at: m.imposedAt,
              period_starts_at: m.periodStartsAt,
              expires_at: m.expiresAt,
              waiting: bool(m.waiting),
              queue_position: m.queuePosition,
              renewals: m.renewals,
              released_at: m.releasedAt,
            });
            break;
          }
          case 'disposalStep': {
            const s = r.value;
            property.upsertDisposalStep({
              property_id: s.propertyId,
              seq: s.seq,
              step: s.stage,
              method: s.method,
              price: s.price,
              occurred_at: s.occurredAt,
              outcome: s.succeeded ? 'DONE' : 'FAILED',
            });
            break;
          }
          case 'encumbrance': {
            const e = r.value;
            property.upsertEncumbrance({
              id: e.id,
              property_id: e.propertyId,
              kind: e.kind,
              holder_name: e.holderName,
              holder_kind: e.holderKind,
              secured_amount: e.securedAmount,
              rank: e.rank,
              registered_at: e.registeredAt,
              enforced_in_case: e.enforcedInCase,
            });
            break;
          }
          case 'officer': {
            const o = r.value;
            personnel.upsertOfficer({
              id: o.id,
              name: o.name,
              court_code: o.courtCode,
              post: o.post,
              enforcement: bool(o.enforcement),
              active: bool(o.active),
            });
            break;
          }
        }
      });
      onProgress?.(records.length, records.length, 'write');
    })
    .immediate();
}
