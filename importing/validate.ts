import { ValidationError } from '../domain/errors';
import type { PropertyKind } from '../domain/measures';
import type { SystemName } from '../lib/dataFiles';
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
  type PropertyImport,
  type SupervisionOrderImport,
} from './rows';

/*
 * The importer's first pass, the same on both dialects: every row of a file checked with the graph's rules (rows.ts)
 * and against what the file says before it and what the system already holds (StoredFacts). Synchronous per row: the
 * stored facts are answered by SQLite's prepared statements (importFile.ts) or, on PostgreSQL, from the facts fetched
 * for the whole file up front, one statement per kind of key (postgres.ts).
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

export type ImportRecord =
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

export const RECORD_TYPES: Record<SystemName, readonly string[]> = {
  'case-registry': ['case', 'externalCase', 'complaint', 'conductEvent', 'excludedPeriod', 'supervisionOrder'],
  'property-control': ['property', 'measure', 'disposalStep', 'encumbrance'],
  personnel: ['officer'],
};

/** A recorded case as the rows that name it check it. */
export interface StoredCase {
  filedAt: string;
  executingCourt: string;
  ordersConduct: boolean;
  lineageRoot: string;
  closure: string | null;
}

/** What the system already holds, as the rows' checks ask it: one key at a time, synchronously. */
export interface StoredFacts {
  case(number: string): StoredCase | null;
  /** The case's recorded excluded periods. */
  periods(number: string): { startsAt: string; endsAt: string | null }[];
  /** Whether some recorded case names this person as a debtor. */
  isDebtor(personId: string): boolean;
  propertyKind(id: string): PropertyKind | null;
  /** The id of the recorded encumbrance holding `rank` on the property, if any. */
  rankHolder(propertyId: string, rank: number): string | undefined;
}

/** A line that is not JSON (parseLine): refused as such by validateRows. */
export const NOT_JSON = Symbol('not JSON');

export function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return NOT_JSON;
  }
}

export interface ValidateOptions {
  today: string;
  onProgress?: (done: number, total: number, phase: string) => void;
  maxErrors?: number;
}

export interface Validated {
  rows: number;
  records: ImportRecord[];
  errors: RowError[];
  /** Each case number of the file → its lineage root. */
  lineage: Map<string, string>;
}

/** A case as the rows after it in the file check it. */
interface KnownCase {
  filedAt: string;
  executingCourt: string;
  ordersConduct: boolean;
}

/**
 * Checks every row (each a parsed line, or NOT_JSON) of a `system` file, in order: the records to write, and the bad
 * rows (at most `maxErrors`, 100 by default; the file is refused with any).
 */
export async function validateRows(
  system: SystemName,
  lines: AsyncIterable<unknown> | Iterable<unknown>,
  total: number,
  stored: StoredFacts,
  opts: ValidateOptions,
): Promise<Validated> {
  const records: ImportRecord[] = [];
  const errors: RowError[] = [];
  const maxErrors = opts.maxErrors ?? 100;
  const seen = new Map<string, number>();
  const fileProperties = new Map<string, PropertyKind>();
  const fileCases = new Map<string, string>(); // number → lineage root
  const fileClosures = new Map<string, string | null>(); // number → closure, for a 执恢 resuming a 终本 case
  const closureOf = (number: string) => (fileClosures.has(number) ? fileClosures.get(number)! : (stored.case(number)?.closure ?? null));
  const propertyKind = (id: string) => fileProperties.get(id) ?? stored.propertyKind(id);
  // What the rows that hang on a case (periods, 督办, conduct events, complaints) check of it: the file's cases so far,
  // else the registry's.
  const fileCaseFacts = new Map<string, KnownCase>();
  const knownCase = (number: string): KnownCase | null => fileCaseFacts.get(number) ?? stored.case(number);
  const filedAtOf = (number: string) => knownCase(number)?.filedAt ?? null;
  /** The case a row names (`caseNumber`), or CASE_UNKNOWN. */
  const requiredCase = (number: string): KnownCase => {
    const known = knownCase(number);
    if (!known) throw new ValidationError('caseNumber', 'CASE_UNKNOWN', `${number} is neither earlier in this file nor in the registry`);
    return known;
  };
  // A case's periods: the file's so far, and the registry's (a file row with the same start replaces one of those).
  const filePeriods = new Map<string, ExcludedPeriodImport[]>();
  const fileDebtors = new Set<string>();
  // Encumbrance ranks per property: the file's (rank → row, by encumbrance id) over the database's.
  const fileRanks = new Map<string, { id: string; row: number }>();

  let row = 0;
  for await (const o of lines) {
    row++;
    if (row % 1000 === 0) opts.onProgress?.(row, total, 'validate');
    try {
      if (o === NOT_JSON || !o || typeof o !== 'object' || Array.isArray(o))
        throw new ValidationError('(line)', 'JSON', 'is not a JSON object');
      const r = o as Record<string, unknown>;
      const type = r.type;
      if (typeof type !== 'string' || !RECORD_TYPES[system].includes(type))
        throw new ValidationError('type', 'UNKNOWN_TYPE', `a ${system} file holds ${RECORD_TYPES[system].join(', ')} records`);
      const unique = (key: string) => {
        const first = seen.get(key);
        if (first !== undefined) throw new ValidationError('(row)', 'DUPLICATE_KEY', `repeats the record of row ${first}`);
        seen.set(key, row);
      };
      switch (type) {
        case 'case': {
          const value = caseRow(r, opts.today);
          unique(`case|${value.number}`);
          const from = value.transferredFrom ?? value.continues;
          if (from !== null) {
            const field = value.transferredFrom !== null ? 'transferredFrom' : 'continues';
            const root = fileCases.get(from) ?? stored.case(from)?.lineageRoot;
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
          const value = conductEventRow(r, opts.today);
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
          const value = complaintRow(r, opts.today);
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
          const value = externalCaseRow(r, opts.today);
          unique(`externalCase|${value.number}`);
          // Linked on the validated identifier only: an external case names a debtor the registry already knows.
          if (!fileDebtors.has(value.debtorId) && !stored.isDebtor(value.debtorId))
            throw new ValidationError(
              'debtorId',
              'EXTERNAL_DEBTOR_UNKNOWN',
              `${value.debtorId} is a debtor of no case earlier in this file or in the registry`,
            );
          records.push({ type, row, value });
          break;
        }
        case 'excludedPeriod': {
          const value = excludedPeriodRow(r, opts.today, filedAtOf);
          unique(`excludedPeriod|${value.caseNumber}|${value.startsAt}`);
          const inFile = filePeriods.get(value.caseNumber) ?? [];
          const clash =
            inFile.find((p) => periodsOverlap(p, value)) ??
            stored
              .periods(value.caseNumber)
              .filter((p) => p.startsAt !== value.startsAt && !inFile.some((f) => f.startsAt === p.startsAt))
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
          const value = supervisionOrderRow(r, opts.today, knownCase);
          unique(`supervisionOrder|${value.caseNumber}|${value.supervisedAt}|${value.supervisingCourt}`);
          records.push({ type, row, value });
          break;
        }
        case 'property': {
          const value = propertyRow(r, opts.today);
          unique(`property|${value.id}`);
          fileProperties.set(value.id, value.kind);
          records.push({ type, row, value });
          break;
        }
        case 'measure': {
          const value = measureRow(r, opts.today, propertyKind);
          unique(`measure|${value.id}`);
          records.push({ type, row, value });
          break;
        }
        case 'disposalStep': {
          const value = disposalStepRow(r, opts.today, propertyKind);
          unique(`step|${value.propertyId}|${value.seq}`);
          records.push({ type, row, value });
          break;
        }
        case 'encumbrance': {
          const value = encumbranceRow(r, opts.today, propertyKind);
          unique(`encumbrance|${value.id}`);
          const rankKey = `${value.propertyId}|${value.rank}`;
          const inFile = fileRanks.get(rankKey);
          const inDb = inFile ? undefined : stored.rankHolder(value.propertyId, value.rank);
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
          const value = officerRow(r);
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
  return { rows: row, records, errors, lineage: fileCases };
}
