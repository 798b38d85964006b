import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type Database from 'better-sqlite3';
import { ValidationError } from '../domain/errors';
import type { PropertyKind } from '../domain/measures';
import { COURTS } from '../domain/sichuan';
import { databaseFile, SYSTEMS, type SystemName } from '../lib/dataFiles';
import { WRITE_TABLES } from '../lib/recordedWrite';
import { openSqlite } from '../lib/sqlite';
import { CASE_REGISTRY_INDEXES, CASE_REGISTRY_TABLES } from '../subgraphs/case-registry/sources/ddl';
import { migrateCaseRegistry } from '../subgraphs/case-registry/sources/sqlite';
import { PERSONNEL_INDEXES, PERSONNEL_TABLES } from '../subgraphs/personnel/sources/ddl';
import { PROPERTY_CONTROL_INDEXES, PROPERTY_CONTROL_TABLES } from '../subgraphs/property-control/sources/ddl';
import { caseRow, disposalStepRow, measureRow, officerRow, propertyRow, type CaseImport, type DisposalStepImport, type MeasureImport, type OfficerImport, type PropertyImport } from './rows';

/**
 * `npm run import`: loads one system's JSON Lines file (docs/import.md) into DATA_DIR. Two passes: every row is
 * validated first, and only a file without a bad row is written, in ONE transaction — so a refused file writes
 * nothing, and a killed import leaves the database as it was (SQLite rolls the open transaction back). Rows are
 * upserts keyed by the system's own keys, so importing the same file again changes nothing.
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
  | { type: 'property'; row: number; value: PropertyImport }
  | { type: 'measure'; row: number; value: MeasureImport }
  | { type: 'disposalStep'; row: number; value: DisposalStepImport }
  | { type: 'officer'; row: number; value: OfficerImport };

const TYPES: Record<SystemName, string[]> = {
  'case-registry': ['case'],
  'property-control': ['property', 'measure', 'disposalStep'],
  personnel: ['officer'],
};

/** Creates the three systems' databases, empty but for the courts, when DATA_DIR has none yet. */
function ensureDatabases(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  if (SYSTEMS.every((s) => existsSync(databaseFile(dataDir, s)))) return;
  const ddl: Record<SystemName, string> = {
    'case-registry': CASE_REGISTRY_TABLES + CASE_REGISTRY_INDEXES,
    'property-control': PROPERTY_CONTROL_TABLES + PROPERTY_CONTROL_INDEXES,
    personnel: PERSONNEL_TABLES + PERSONNEL_INDEXES,
  };
  for (const s of SYSTEMS) {
    if (existsSync(databaseFile(dataDir, s))) continue;
    const { raw } = openSqlite(databaseFile(dataDir, s), { ddl: ddl[s] });
    if (s === 'case-registry') {
      const insert = raw.prepare('insert or ignore into courts values (?, ?, ?, ?, ?, ?, ?)');
      raw.transaction(() => COURTS.forEach((c) => insert.run(c.code, c.name, c.level, c.prefecture, c.parent, c.divisionCode, c.special ? 1 : 0)))();
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
  const { raw } = openSqlite(databaseFile(dataDir, system), { migrate: system === 'case-registry' ? migrateCaseRegistry : (r) => r.exec(WRITE_TABLES) });
  try {
    const total = await countLines(file);
    const records: Record_[] = [];
    const errors: RowError[] = [];
    const maxErrors = opts.maxErrors ?? 100;
    const seen = new Map<string, number>();
    const fileProperties = new Map<string, PropertyKind>();
    const fileCases = new Map<string, string>(); // number → lineage root
    const dbPropertyKind = system === 'property-control' ? raw.prepare('select kind from properties where id = ?') : null;
    const dbLineage = system === 'case-registry' ? raw.prepare('select lineage_root from cases where number = ?') : null;
    const propertyKind = (id: string) => fileProperties.get(id) ?? ((dbPropertyKind!.get(id) as { kind: PropertyKind } | undefined)?.kind ?? null);

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
        if (typeof type !== 'string' || !TYPES[system].includes(type)) throw new ValidationError('type', 'UNKNOWN_TYPE', `a ${system} file holds ${TYPES[system].join(', ')} records`);
        const unique = (key: string) => {
          const first = seen.get(key);
          if (first !== undefined) throw new ValidationError('(row)', 'DUPLICATE_KEY', `repeats the record of row ${first}`);
          seen.set(key, row);
        };
        switch (type) {
          case 'case': {
            const value = caseRow(o, opts.today);
            unique(`case|${value.number}`);
            if (value.transferredFrom !== null) {
              const root = fileCases.get(value.transferredFrom) ?? (dbLineage!.get(value.transferredFrom) as { lineage_root: string } | undefined)?.lineage_root;
              if (!root) throw new ValidationError('transferredFrom', 'CASE_UNKNOWN', `${value.transferredFrom} is neither earlier in this file nor in the registry`);
              fileCases.set(value.number, root);
            } else fileCases.set(value.number, value.number);
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
            const value = disposalStepRow(o, opts.today, (id) => propertyKind(id) !== null);
            unique(`step|${value.propertyId}|${value.seq}`);
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

function write(raw: Database.Database, system: SystemName, records: Record_[], lineage: Map<string, string>, onProgress?: ImportOptions['onProgress']): void {
  const statements = {
    person: system !== 'case-registry' ? null : raw.prepare(
      `insert into persons (id, kind, name, name_key, division_code, out_of_province) values (?, ?, ?, ?, ?, ?)
       on conflict (id) do update set kind = excluded.kind, name = excluded.name, name_key = excluded.name_key, division_code = excluded.division_code, out_of_province = excluded.out_of_province`,
    ),
    case: system === 'case-registry'
      ? raw.prepare(
          `insert into cases (number, year, court_code, type_code, sequence, executing_court, status, filed_at, closed_at, closure, obligation, category, conduct_ordered,
             amount_due, amount_recovered, handler_id, lineage_root, transferred_from, last_action_at, settled_at)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           on conflict (number) do update set executing_court = excluded.executing_court, status = excluded.status, filed_at = excluded.filed_at,
             closed_at = excluded.closed_at, closure = excluded.closure, obligation = excluded.obligation, category = excluded.category,
             conduct_ordered = excluded.conduct_ordered, amount_due = excluded.amount_due, amount_recovered = excluded.amount_recovered,
             handler_id = excluded.handler_id, lineage_root = excluded.lineage_root, transferred_from = excluded.transferred_from,
             last_action_at = excluded.last_action_at, settled_at = excluded.settled_at`,
        )
      : null,
    dropParties: system === 'case-registry' ? raw.prepare('delete from case_parties where case_number = ?') : null,
    party: system === 'case-registry' ? raw.prepare('insert into case_parties values (?, ?, ?, ?, ?, ?, ?, ?)') : null,
    property: system === 'property-control'
      ? raw.prepare(
          `insert into properties values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           on conflict (id) do update set kind = excluded.kind, description = excluded.description, owner_id = excluded.owner_id, owner_name = excluded.owner_name,
             division_code = excluded.division_code, prefecture = excluded.prefecture, out_of_province = excluded.out_of_province, estimated_value = excluded.estimated_value,
             disposal_stage = excluded.disposal_stage, undisposed_since = excluded.undisposed_since, disposal_hold_reason = excluded.disposal_hold_reason`,
        )
      : null,
    measure: system === 'property-control'
      ? raw.prepare(
          `insert into measures values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           on conflict (id) do update set property_id = excluded.property_id, kind = excluded.kind, court_code = excluded.court_code, case_number = excluded.case_number,
             imposed_at = excluded.imposed_at, period_starts_at = excluded.period_starts_at, expires_at = excluded.expires_at, waiting = excluded.waiting,
             queue_position = excluded.queue_position, renewals = excluded.renewals, released_at = excluded.released_at`,
        )
      : null,
    step: system === 'property-control'
      ? raw.prepare(
          `insert into disposal_steps values (?, ?, ?, ?, ?, ?, ?)
           on conflict (property_id, seq) do update set step = excluded.step, method = excluded.method, price = excluded.price, occurred_at = excluded.occurred_at, outcome = excluded.outcome`,
        )
      : null,
    officer: system === 'personnel'
      ? raw.prepare(
          `insert into officers values (?, ?, ?, ?, ?, ?)
           on conflict (id) do update set name = excluded.name, court_code = excluded.court_code, post = excluded.post, enforcement = excluded.enforcement, active = excluded.active`,
        )
      : null,
  };
  const bool = (b: boolean) => (b ? 1 : 0);
  raw
    .transaction(() => {
      records.forEach((r, i) => {
        if (i % 1000 === 0) onProgress?.(i, records.length, 'write');
        switch (r.type) {
          case 'case': {
            const c = r.value;
            for (const p of [...c.debtors, ...c.applicants]) {
              if (p.personId) statements.person!.run(p.personId, p.kind, p.name, p.nameKey, p.divisionCode, p.divisionCode !== null && !p.divisionCode.startsWith('51') ? 1 : 0);
            }
            statements.case!.run(
              c.number, c.year, c.courtCode, c.typeCode, c.sequence, c.executingCourt, c.status, c.filedAt, c.closedAt, c.closure, c.obligation, c.category,
              c.conductOrdered, c.amountDue, c.amountRecovered, c.handlerId, lineage.get(c.number)!, c.transferredFrom, c.lastActionAt, c.settledAt,
            );
            statements.dropParties!.run(c.number);
            c.debtors.forEach((p, k) => statements.party!.run(c.number, 'DEBTOR', k, p.personId, p.name, p.nameKey, p.kind, p.divisionCode));
            c.applicants.forEach((p, k) => statements.party!.run(c.number, 'APPLICANT', k, p.personId, p.name, p.nameKey, p.kind, p.divisionCode));
            break;
          }
          case 'property': {
            const p = r.value;
            statements.property!.run(p.id, p.kind, p.description, p.ownerId, p.ownerName, p.divisionCode, p.prefecture, bool(p.outOfProvince), p.estimatedValue, p.disposalStage, p.undisposedSince, p.disposalHoldReason);
            break;
          }
          case 'measure': {
            const m = r.value;
            statements.measure!.run(m.id, m.propertyId, m.kind, m.courtCode, m.caseNumber, m.imposedAt, m.periodStartsAt, m.expiresAt, bool(m.waiting), m.queuePosition, m.renewals, m.releasedAt);
            break;
          }
          case 'disposalStep': {
            const s = r.value;
            statements.step!.run(s.propertyId, s.seq, s.stage, s.method, s.price, s.occurredAt, s.succeeded ? 'DONE' : 'FAILED');
            break;
          }
          case 'officer': {
            const o = r.value;
            statements.officer!.run(o.id, o.name, o.courtCode, o.post, bool(o.enforcement), bool(o.active));
            break;
          }
        }
      });
      onProgress?.(records.length, records.length, 'write');
    })
    .immediate();
}
