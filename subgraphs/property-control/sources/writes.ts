import { sql, type Kysely } from 'kysely';
import { addMonths } from '../../../domain/dates';
import { checkDisposalStep, checkRenewal, disposes, type DisposalStepInput } from '../../../domain/disposal';
import { ErrorCode, ValidationError } from '../../../domain/errors';
import { MAX_PERIOD_MONTHS, type PropertyKind } from '../../../domain/measures';
import { judgeRows, type PropertyControlDatabase } from './ddl';
import { inScope, scopeOf } from '../../../domain/scope';
import type { Viewer } from '../../../lib/auth';
import type { WriteAct } from './source';

export type { WriteAct } from './source';

type Tx = Kysely<PropertyControlDatabase>;

/**
 * The writes the property-control system itself makes (renew, release, a disposal step), as typed Kysely statements
 * on the transaction the product's bookkeeping holds (workflow.ts, lib/writeTransaction), every one on it. Measures
 * are never moved between cases: a transfer changes nothing here, the lineage carries them.
 */
export class PropertyControlWrites {
  /**
   * The measure, if the viewer's court (or a court below it) imposed it, or if the viewer's court carries its lineage
   * today by the registry's grant (ADR 14): only those renew or release it.
   */
  private async measure(tx: Tx, id: string, field: string, viewer: Viewer, carrier: WriteAct['carrier']) {
    const m = await tx
      .selectFrom('measures as m')
      .innerJoin('properties as p', 'p.id', 'm.property_id')
      .selectAll('m')
      .select('p.kind as property_kind')
      .where('m.id', '=', id)
      .executeTakeFirst();
    if (!m) throw new ValidationError(field, 'MEASURE_NOT_FOUND', `no control measure ${id}`, ErrorCode.NOT_FOUND);
    if (!inScope(scopeOf(viewer), m.court_code)) {
      if (!carrier) {
        throw new ValidationError(
          field,
          'MEASURE_NOT_IN_SCOPE',
          `${id} was imposed by a court outside the scope of ${viewer.court}, which may not change it (the court carrying its lineage may, with the registry's carrierGrant)`,
          ErrorCode.FORBIDDEN,
        );
      }
      const refused =
        'refused' in carrier
          ? carrier.refused
          : carrier.measureId !== m.id
            ? `the grant is for measure ${carrier.measureId}, not ${id}`
            : carrier.court !== viewer.court
              ? `the grant is for ${carrier.court}, not ${viewer.court}`
              : null;
      if (refused !== null) throw new ValidationError('input.carrierGrant', 'CARRIER_GRANT_INVALID', refused, ErrorCode.FORBIDDEN);
    }
    return m;
  }

  /** The measure as its property's queue stands on `day` (judgeQueue): the one rule reads use too. */
  private async judged(tx: Tx, m: { id: string; property_id: string; property_kind: PropertyKind }, day: string) {
    const queue = await tx.selectFrom('measures').selectAll().where('property_id', '=', m.property_id).execute();
    return judgeRows(queue, m.property_kind, day).get(m.id)!;
  }

  async renewMeasure(tx: Tx, input: { measureId: string; expiresAt: string }, ctx: WriteAct): Promise<{ measureId: string }> {
    const m = await this.measure(tx, input.measureId, 'input.measureId', ctx.viewer, ctx.carrier);
    const now = await this.judged(tx, m, ctx.today);
    checkRenewal(
      { propertyKind: m.property_kind, releasedAt: m.released_at, waiting: now.waiting, expiresAt: now.expiresAt },
      input.expiresAt,
      ctx.today,
      'input',
    );
    // A waiting seizure whose turn came is renewed from the period the queue gave it, which the row now records.
    await tx
      .updateTable('measures')
      .set({ waiting: 0, period_starts_at: now.expiresAt, expires_at: input.expiresAt, renewals: sql<number>`renewals + 1` })
      .where('id', '=', m.id)
      .execute();
    return { measureId: m.id };
  }

  /**
   * Releases a measure (解除). When the measure in effect is released, the earliest waiting seizure on the same
   * property takes effect that day, for the legal period of the property's kind.
   */
  async releaseMeasure(tx: Tx, input: { measureId: string }, ctx: WriteAct): Promise<{ measureId: string; tookEffect: string | null }> {
    const m = await this.measure(tx, input.measureId, 'input.measureId', ctx.viewer, ctx.carrier);
    const { status } = await this.judged(tx, m, ctx.today);
    if (status === 'RELEASED')
      throw new ValidationError('input.measureId', 'MEASURE_RELEASED', `the measure was released on ${m.released_at}`, ErrorCode.CONFLICT);
    await tx.updateTable('measures').set({ released_at: ctx.today }).where('id', '=', m.id).execute();
    // Only releasing the measure in effect moves the queue on today; a lapsed one already passed its turn on (judgeQueue).
    const tookEffect = status === 'IN_EFFECT' ? await this.promoteWaiting(tx, m.property_id, m.property_kind, ctx.today) : null;
    return { measureId: m.id, tookEffect };
  }

  /** Records the period of the measure the release let take effect today, as judgeQueue gives it. */
  private async promoteWaiting(tx: Tx, propertyId: string, kind: PropertyKind, today: string): Promise<string | null> {
    const queue = await tx.selectFrom('measures').selectAll().where('property_id', '=', propertyId).execute();
    const judged = judgeRows(queue, kind, today);
    const next = queue
      .filter((q) => q.waiting === 1 && judged.get(q.id)!.periodStartsAt === today && judged.get(q.id)!.status === 'IN_EFFECT')
      .sort((a, b) => a.queue_position - b.queue_position)[0];
    if (!next) return null;
    await tx
      .updateTable('measures')
      .set({ waiting: 0, period_starts_at: today, expires_at: addMonths(today, MAX_PERIOD_MONTHS[kind]) })
      .where('id', '=', next.id)
      .execute();
    return next.id;
  }

  async recordDisposalStep(tx: Tx, input: DisposalStepInput & { propertyId: string }, ctx: WriteAct): Promise<{ propertyId: string }> {
    const property = await tx.selectFrom('properties').select(['id', 'kind']).where('id', '=', input.propertyId).executeTakeFirst();
    if (!property)
      throw new ValidationError('input.propertyId', 'PROPERTY_NOT_FOUND', `no property ${input.propertyId}`, ErrorCode.NOT_FOUND);
    // Scope first: a court learns nothing of another court's property (its disposal history) from a refusal.
    const measures = await tx.selectFrom('measures').selectAll().where('property_id', '=', input.propertyId).execute();
    const scope = scopeOf(ctx.viewer);
    if (!measures.some((m) => inScope(scope, m.court_code))) {
      throw new ValidationError(
        'input.propertyId',
        'PROPERTY_NOT_IN_SCOPE',
        `no court in the scope of ${ctx.viewer.court} holds a measure on ${input.propertyId}`,
        ErrorCode.FORBIDDEN,
      );
    }
    const steps = await tx.selectFrom('disposal_steps').selectAll().where('property_id', '=', input.propertyId).orderBy('seq').execute();
    const history = steps.map((s) => ({ stage: s.step, price: s.price, occurredAt: s.occurred_at, succeeded: s.outcome === 'DONE' }));
    checkDisposalStep(history, input, ctx.today, 'input', property.kind);
    const stage = input.stage;
    const kind = property.kind;
    // checkDisposalStep has refused NONE (not a step); this tells the compiler so.
    if (stage === 'NONE') throw new ValidationError('input.stage', 'DISPOSAL_ORDER', 'NONE is not a disposal step');
    const onThatDay = judgeRows(measures, kind, input.occurredAt);
    const controlled = [...onThatDay.values()].some((j) => j.status === 'IN_EFFECT');
    if (!controlled) {
      throw new ValidationError(
        'input.propertyId',
        'PROPERTY_NOT_UNDER_CONTROL',
        `no seal, seizure or freeze was in effect on ${input.propertyId} on ${input.occurredAt}`,
        ErrorCode.CONFLICT,
      );
    }
    // The primary key (property_id, seq) refuses a concurrent writer's same step number.
    await tx
      .insertInto('disposal_steps')
      .values({
        property_id: input.propertyId,
        seq: steps.length + 1,
        step: stage,
        method: input.method,
        price: input.price,
        occurred_at: input.occurredAt,
        outcome: input.succeeded ? 'DONE' : 'FAILED',
      })
      .execute();
    if (disposes(input)) {
      // Disposed of: no longer idle, and every measure on it ends with the disposal.
      await tx
        .updateTable('properties')
        .set({ disposal_stage: input.stage, undisposed_since: null })
        .where('id', '=', input.propertyId)
        .execute();
      await tx
        .updateTable('measures')
        .set({ released_at: input.occurredAt })
        .where('property_id', '=', input.propertyId)
        .where('released_at', 'is', null)
        .execute();
    } else {
      await tx.updateTable('properties').set({ disposal_stage: input.stage }).where('id', '=', input.propertyId).execute();
    }
    return { propertyId: input.propertyId };
  }
}
