import type { DisposalStepInput } from '../../../domain/disposal';
import type { RecordedWriteStore } from '../../../lib/recordedWrite';
import type { PropertyControlSource, WriteAct } from './source';

import type { WriteContext } from '../../../lib/recordedWrite';

export type { WriteContext };

/**
 * The product's bookkeeping around property-control's writes: each runs in one IMMEDIATE transaction under an
 * idempotency key, audited (lib/recordedWrite). The writes themselves are the system's (PropertyControlSource).
 */
export class PropertyControlWorkflow {
  constructor(
    private readonly source: PropertyControlSource,
    private readonly records: RecordedWriteStore,
  ) {}

  /** Writes the refusals' audit records still waiting for the lock (the source closes the connection after). */
  close(): void {
    this.records.close();
  }

  private recorded<T>(operation: string, input: unknown, ctx: WriteContext, write: () => T): T & { replayed: boolean } {
    const { result, replayed } = this.records.recorded(
      { operation, idempotencyKey: ctx.idempotencyKey, input, actor: ctx.actor, principal: ctx.viewer.court, at: ctx.now },
      write,
    );
    return { ...result, replayed };
  }

  // The carrier grant is authority, like the viewer, not part of the input an idempotency key stands for: a retry with a
  // freshly read grant replays the first result (the acting court is in the key's hash).
  async renewMeasure(input: { measureId: string; expiresAt: string }, ctx: WriteContext & Pick<WriteAct, 'carrier'>) {
    return this.recorded('renewMeasure', input, ctx, () => this.source.renewMeasure(input, ctx));
  }

  async releaseMeasure(input: { measureId: string }, ctx: WriteContext & Pick<WriteAct, 'carrier'>) {
    return this.recorded('releaseMeasure', input, ctx, () => this.source.releaseMeasure(input, ctx));
  }

  async recordDisposalStep(input: DisposalStepInput & { propertyId: string }, ctx: WriteContext) {
    return this.recorded('recordDisposalStep', input, ctx, () => this.source.recordDisposalStep(input, ctx));
  }
}
