import { errors, type CodedError } from './errorCatalogue';
import { COURTS } from './sichuan';

/**
 * Court scope: which courts' records a viewer may see. The high court sees the whole province; an intermediate
 * court its own and its basic courts'; a basic court its own. Every subgraph enforces it on its own records.
 */
export interface Scope {
  all: boolean;
  /** Court codes in scope (empty when `all`). */
  courts: string[];
}

export function scopeOf(viewer: { court: string; role: string }): Scope {
  if (viewer.role === 'high') return { all: true, courts: [] };
  if (viewer.role === 'intermediate')
    return { all: false, courts: [viewer.court, ...COURTS.filter((c) => c.parent === viewer.court).map((c) => c.code)] };
  return { all: false, courts: [viewer.court] };
}

export function inScope(scope: Scope, court: string): boolean {
  return scope.all || scope.courts.includes(court);
}

/** The error a field answers with when its record lies outside the viewer's scope (the field itself is null). */
export function forbidden(what: string, viewer: { court: string }): CodedError {
  return errors.outOfScope(what, viewer.court);
}

/** Roles that decide and supervise transfers (the high and intermediate courts). */
export function isHigherCourt(viewer: { role: string }): boolean {
  return viewer.role === 'high' || viewer.role === 'intermediate';
}

/**
 * Load rebalancing is proposed to a higher court, for a court in its scope: checked by the registry (which lists the
 * court's open cases) and by coordination (which computes the proposal), each on its own.
 */
export function checkRebalanceAuthority(viewer: { court: string; role: string }, fromCourt?: string): void {
  if (!isHigherCourt(viewer)) throw forbidden('load rebalancing (a higher court decides it)', viewer);
  if (fromCourt !== undefined && !inScope(scopeOf(viewer), fromCourt)) throw forbidden(`the load of court ${fromCourt}`, viewer);
}

/**
 * Masks an identity number for a viewer with no case involving its holder: region and last four kept
 * (`510104********123X`), so a clerk can still tell records apart without learning the number.
 */
export function maskIdentifier(id: string): string {
  return id.length <= 10 ? '*'.repeat(id.length) : `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}
