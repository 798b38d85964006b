import type Database from 'better-sqlite3';
import { addMonths } from '../../../domain/dates';
import { checkDisposalStep, checkRenewal, disposes, type DisposalStage, type DisposalStepInput } from '../../../domain/disposal';
import { ErrorCode, ValidationError } from '../../../domain/errors';
import { MAX_PERIOD_MONTHS, measureStatus, type PropertyKind } from '../../../domain/measures';
import { recordedWrite } from '../../../lib/recordedWrite';
import { periodOf, type DisposalStepRow, type MeasureRow } from './ddl';
import { inScope, scopeOf } from '../../../domain/scope';
import type { Viewer } from '../../../lib/auth';

export interface WriteContext {
  idempotencyKey: string;
  viewer: Viewer;
  /** `sub@court`, for the audit log. */
  actor: string;
  today: string;
  now: string;
}

type MeasureWithKind = MeasureRow & { property_kind: PropertyKind };

/**
 * Property-control's writes, each one IMMEDIATE transaction under an idempotency key (lib/recordedWrite). Measures
 * are never moved between cases: a transfer changes nothing here, the lineage carries them.
 */
export class PropertyControlWrites {
  constructor(private readonly raw: Database.Database) {}

  /** The measure, if the viewer's court (or a court below it) imposed it: only that court renews or releases it. */
  private measure(id: string, field: string, viewer: Viewer): MeasureWithKind {
    const m = this.raw.prepare('select m.*, p.kind as property_kind from measures m join properties p on p.id = m.property_id where m.id = ?').get(id) as MeasureWithKind | undefined;
    if (!m) throw new ValidationError(field, 'MEASURE_NOT_FOUND', `no control measure ${id}`, ErrorCode.NOT_FOUND);
    if (!inScope(scopeOf(viewer), m.court_code)) {
      throw new ValidationError(field, 'MEASURE_NOT_IN_SCOPE', `${id} was imposed by a court outside the scope of ${viewer.court}, which may not change it`, ErrorCode.FORBIDDEN);
    }
    return m;
  }

  renewMeasure(input: { measureId: string; expiresAt: string }, ctx: WriteContext): { measureId: string; replayed: boolean } {
    const { result, replayed } = recordedWrite(this.raw, { operation: 'renewMeasure', idempotencyKey: ctx.idempotencyKey, input, actor: ctx.actor, principal: ctx.viewer.court, at: ctx.now }, () => {
      const m = this.measure(input.measureId, 'input.measureId', ctx.viewer);
      checkRenewal({ propertyKind: m.property_kind, ...periodOf(m) }, input.expiresAt, ctx.today, 'input');
      this.raw.prepare('update measures set period_starts_at = expires_at, expires_at = ?, renewals = renewals + 1 where id = ?').run(input.expiresAt, m.id);
      return { measureId: m.id };
    });
    return { ...result, replayed };
  }

  /**
   * Releases a measure (解除). When the measure in effect is released, the earliest waiting seizure on the same
   * property takes effect that day, for the legal period of the property's kind.
   */
  releaseMeasure(input: { measureId: string }, ctx: WriteContext): { measureId: string; tookEffect: string | null; replayed: boolean } {
    const { result, replayed } = recordedWrite(this.raw, { operation: 'releaseMeasure', idempotencyKey: ctx.idempotencyKey, input, actor: ctx.actor, principal: ctx.viewer.court, at: ctx.now }, () => {
      const m = this.measure(input.measureId, 'input.measureId', ctx.viewer);
      const status = measureStatus(periodOf(m), ctx.today);
      if (status === 'RELEASED') throw new ValidationError('input.measureId', 'MEASURE_RELEASED', `the measure was released on ${m.released_at}`, ErrorCode.CONFLICT);
      this.raw.prepare('update measures set released_at = ? where id = ?').run(ctx.today, m.id);
      const tookEffect = status === 'WAITING' ? null : this.promoteWaiting(m.property_id, m.property_kind, ctx.today);
      return { measureId: m.id, tookEffect };
    });
    return { ...result, replayed };
  }

  private promoteWaiting(propertyId: string, kind: PropertyKind, today: string): string | null {
    const next = this.raw
      .prepare('select id from measures where property_id = ? and waiting = 1 and released_at is null order by queue_position limit 1')
      .get(propertyId) as { id: string } | undefined;
    if (!next) return null;
    this.raw.prepare('update measures set waiting = 0, period_starts_at = ?, expires_at = ? where id = ?').run(today, addMonths(today, MAX_PERIOD_MONTHS[kind]), next.id);
    return next.id;
  }

  recordDisposalStep(input: DisposalStepInput & { propertyId: string }, ctx: WriteContext): { propertyId: string; replayed: boolean } {
    const { result, replayed } = recordedWrite(this.raw, { operation: 'recordDisposalStep', idempotencyKey: ctx.idempotencyKey, input, actor: ctx.actor, principal: ctx.viewer.court, at: ctx.now }, () => {
      const property = this.raw.prepare('select id from properties where id = ?').get(input.propertyId);
      if (!property) throw new ValidationError('input.propertyId', 'PROPERTY_NOT_FOUND', `no property ${input.propertyId}`, ErrorCode.NOT_FOUND);
      // Scope first: a court learns nothing of another court's property (its disposal history) from a refusal.
      const measures = this.raw.prepare('select * from measures where property_id = ?').all(input.propertyId) as MeasureRow[];
      const scope = scopeOf(ctx.viewer);
      if (!measures.some((m) => inScope(scope, m.court_code))) {
        throw new ValidationError('input.propertyId', 'PROPERTY_NOT_IN_SCOPE', `no court in the scope of ${ctx.viewer.court} holds a measure on ${input.propertyId}`, ErrorCode.FORBIDDEN);
      }
      const steps = this.raw.prepare('select * from disposal_steps where property_id = ? order by seq').all(input.propertyId) as DisposalStepRow[];
      const history = steps.map((s) => ({ stage: s.step as DisposalStage, price: s.price, occurredAt: s.occurred_at, succeeded: s.outcome === 'DONE' }));
      checkDisposalStep(history, input, ctx.today, 'input');
      const controlled = measures.some((m) => measureStatus(periodOf(m), input.occurredAt) === 'IN_EFFECT');
      if (!controlled) {
        throw new ValidationError('input.propertyId', 'PROPERTY_NOT_UNDER_CONTROL', `no seal, seizure or freeze was in effect on ${input.propertyId} on ${input.occurredAt}`, ErrorCode.CONFLICT);
      }
      this.raw
        .prepare('insert into disposal_steps values (?, ?, ?, ?, ?, ?, ?)')
        .run(input.propertyId, steps.length + 1, input.stage, input.method, input.price, input.occurredAt, input.succeeded ? 'DONE' : 'FAILED');
      if (disposes(input)) {
        // Disposed of: no longer idle, and every measure on it ends with the disposal.
        this.raw.prepare('update properties set disposal_stage = ?, undisposed_since = null where id = ?').run(input.stage, input.propertyId);
        this.raw.prepare('update measures set released_at = ? where property_id = ? and released_at is null').run(input.occurredAt, input.propertyId);
      } else {
        this.raw.prepare('update properties set disposal_stage = ? where id = ?').run(input.stage, input.propertyId);
      }
      return { propertyId: input.propertyId };
    });
    return { ...result, replayed };
  }
}
