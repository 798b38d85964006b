import type { WriteRecordsDatabase } from '../../../lib/recordedWrite';
import type { DisposalStage } from '../../../domain/disposal';
import { judgeQueue, type JudgedMeasure, type MeasurePeriod, type PropertyKind, type QueuedMeasure } from '../../../domain/measures';

/**
 * The property-control system's rows (网络执行查控), the Kysely database interface, written through tables.ts; the
 * SQLite DDL is the adapter's (sqlite.ts).
 */
export interface PropertyRow {
  id: string;
  kind: PropertyKind;
  description: string;
  owner_id: string | null;
  owner_name: string;
  division_code: string | null;
  prefecture: string | null;
  out_of_province: number;
  estimated_value: number | null;
  disposal_stage: DisposalStage | 'NONE';
  undisposed_since: string | null;
  /** The recorded justification for not disposing yet (e.g. an objection under review); null when none. */
  disposal_hold_reason: string | null;
}

export interface MeasureRow {
  id: string;
  property_id: string;
  kind: 'SEAL' | 'SEIZE' | 'FREEZE';
  court_code: string;
  case_number: string;
  imposed_at: string;
  period_starts_at: string | null;
  expires_at: string | null;
  waiting: number;
  queue_position: number;
  renewals: number;
  released_at: string | null;
}

/** The period facts of a measure row, for the status and renewal rules (domain/measures). */
export function periodOf(m: MeasureRow): MeasurePeriod {
  return { releasedAt: m.released_at, waiting: m.waiting === 1, expiresAt: m.expires_at };
}

/** A measure row as one place in its property's queue (domain/measures.ts judgeQueue). */
export function queuedOf(m: MeasureRow): QueuedMeasure {
  // Written out rather than spread from periodOf: copying a spread object was most of judging a queue (issue 18 profile).
  return {
    releasedAt: m.released_at,
    waiting: m.waiting === 1,
    expiresAt: m.expires_at,
    id: m.id,
    queuePosition: m.queue_position,
    imposedAt: m.imposed_at,
    periodStartsAt: m.period_starts_at,
  };
}

/** Every measure on one property judged on a day, by the one queue rule every read and write uses. */
export function judgeRows(rows: readonly MeasureRow[], kind: PropertyKind, today: string): Map<string, JudgedMeasure> {
  return judgeQueue(rows.map(queuedOf), kind, today);
}

export interface DisposalStepRow {
  property_id: string;
  seq: number;
  step: DisposalStage;
  method: string | null;
  price: number | null;
  occurred_at: string;
  outcome: 'DONE' | 'FAILED';
}

/** Kinds of security interest (担保物权) on a property: a mortgage (抵押) or a pledge (质押). */
export const ENCUMBRANCE_KINDS = ['MORTGAGE', 'PLEDGE'] as const;
export type EncumbranceKind = (typeof ENCUMBRANCE_KINDS)[number];
/** Who holds a security interest: a bank or other financial institution, another legal person, or a natural person. */
export const HOLDER_KINDS = ['FINANCIAL_INSTITUTION', 'LEGAL_PERSON', 'NATURAL_PERSON'] as const;
export type HolderKind = (typeof HOLDER_KINDS)[number];

/**
 * A mortgage or pledge registered on a property (issue 15 item 4, ADR 18): its holder is paid from the property before
 * unsecured creditors, in `rank` order (1 = first), up to `secured_amount`.
 */
export interface EncumbranceRow {
  id: string;
  property_id: string;
  kind: EncumbranceKind;
  holder_name: string;
  holder_kind: HolderKind;
  /** Fen. */
  secured_amount: number;
  rank: number;
  registered_at: string;
  /** The enforcement case in which the holder itself enforces its priority claim, when it does; null otherwise. */
  enforced_in_case: string | null;
}

export type PropertyControlDatabase = {
  properties: PropertyRow;
  measures: MeasureRow;
  disposal_steps: DisposalStepRow;
  encumbrances: EncumbranceRow;
};

/** What property-control's file holds in the embedded default: its own tables and the product's write bookkeeping. */
export type EmbeddedPropertyControlDatabase = PropertyControlDatabase & WriteRecordsDatabase;
