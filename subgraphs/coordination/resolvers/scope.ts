import { forbidden, inScope, isHigherCourt } from '../../../domain/scope';
import type { CoordinationContext } from '../context';

/**
 * Court scope in coordination. It holds no court's records: the facts it judges arrive from the owning subgraphs
 * already limited to the viewer's scope (ctx.scope, built in context.ts). What it guards is its own output:
 * assessments and the candidate list are the tools of the courts that decide transfers, and a report on a court
 * is for a viewer whose scope holds that court.
 */
export function checkDecidesTransfers(ctx: CoordinationContext, what: string): void {
  if (!isHigherCourt(ctx.viewer)) throw forbidden(`${what} (a higher court decides transfers)`, ctx.viewer);
}

export function checkCourtInScope(ctx: CoordinationContext, code: string, what: string): void {
  if (!inScope(ctx.scope, code)) throw forbidden(what, ctx.viewer);
}

/** The prefecture a candidate list is read for: the one asked for, except that an intermediate court sees only its own. */
export function candidatePrefecture(ctx: CoordinationContext, requested: string | null): string | null {
  if (ctx.viewer.role !== 'intermediate') return requested;
  if (requested !== null && requested !== ctx.viewer.court) throw forbidden('another prefecture', ctx.viewer);
  return ctx.viewer.court;
}
