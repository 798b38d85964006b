import type { DisposalStepInput } from '../../../domain/disposal';
import type { Kysely } from 'kysely';
import type { RecordedWriteStore, WriteRecordsDatabase } from '../../../lib/recordedWrite';
import type { PropertyControlDatabase } from './ddl';
import type { PropertyControlSource, WriteAct } from './source';

import type { WriteContext } from '../../../lib/recordedWrite';

export type { WriteContext };

/** The system's tables and the bookkeeping's, in its one database. */
export type PropertyControlWriteDatabase = PropertyControlDatabase & WriteRecordsDatabase;

/**
 * The product's bookkeeping around property-control's writes: each runs in one transaction under an idempotency key,
 * audited (lib/recordedWrite, lib/writeTransaction). The writes themselves are the system's (PropertyControlSource),
 * on the same transaction.
 */
export class PropertyControlWorkflow {
  constructor(
    private readonly source: PropertyControlSource,
    private readonly records: RecordedWriteStore<PropertyControlWriteDatabase>,
  ) {}

  /** Writes the refusals' audit records still waiting for the lock (the source closes the connection after). */
  async close(): Promise<void> {
    await this.records.close();
  }

  private async recorded<T>(
    operation: string,
    input: unknown,
    ctx: WriteContext,
    write: (tx: Kysely<PropertyControlDatabase>) => Promise<T>,
  ): Promise<T & { replayed: boolean }> {
    const { result, replayed } = await this.records.recorded(
      { operation, idempotencyKey: ctx.idempotencyKey, input, actor: ctx.actor, principal: ctx.viewer.court, at: ctx.now },
      (tx) => write(tx as unknown as Kysely<PropertyControlDatabase>),
    );
    return { ...result, replayed };
  }

  // The carrier grant is authority, like the viewer, not part of the input an idempotency key stands for: a retry with a
  // freshly read grant replays the first result (the acting court is in the key's hash).
  async renewMeasure(input: { measureId: string; expiresAt: string }, ctx: WriteContext & Pick<WriteAct, 'carrier'>) {
    return this.recorded('renewMeasure', input, ctx, (tx) => this.source.renewMeasure(tx, input, ctx));
  }

  async releaseMeasure(input: { measureId: string }, ctx: WriteContext & Pick<WriteAct, 'carrier'>) {
    return this.recorded('releaseMeasure', input, ctx, (tx) => this.source.releaseMeasure(tx, input, ctx));
  }

  async recordDisposalStep(input: DisposalStepInput & { propertyId: string }, ctx: WriteContext) {
    return this.recorded('recordDisposalStep', input, ctx, (tx) => this.source.recordDisposalStep(tx, input, ctx));
  }
}
