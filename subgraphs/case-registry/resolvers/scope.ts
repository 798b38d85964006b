import { refuse } from '../../../domain/errorCatalogue';
import { forbidden, inScope } from '../../../domain/scope';
import type { CaseRegistryContext } from '../context';
import type { CaseRecord, PersonRecord, TransferredCaseRecord } from '../sources/records';
import type { TransferRow } from '../sources/ddl';

/**
 * Court scope in the registry. A case belongs to the court executing it; a debtor is visible to a court that
 * executes a case against it. Asked for directly (by key, by `_entities`), a record outside the scope answers
 * null with a FORBIDDEN error; in lists it is left out.
 */
export function caseInScope(ctx: CaseRegistryContext, c: CaseRecord): boolean {
  return inScope(ctx.scope, c.executing_court);
}

/** The case, or null with a FORBIDDEN error when it lies outside the viewer's scope. */
export function caseOrThrow(ctx: CaseRegistryContext, c: CaseRecord | null): CaseRecord | null {
  if (c === null || caseInScope(ctx, c)) return c;
  throw forbidden('the case', ctx.viewer);
}

export function caseIfInScope(ctx: CaseRegistryContext, c: CaseRecord | null): CaseRecord | null {
  return c !== null && caseInScope(ctx, c) ? c : null;
}

export function casesInScope(ctx: CaseRegistryContext, list: readonly CaseRecord[]): CaseRecord[] {
  return ctx.scope.all ? [...list] : list.filter((c) => caseInScope(ctx, c));
}

/** The debtor, or null with a FORBIDDEN error when no court in the viewer's scope has a case against it. */
export async function debtorOrThrow(ctx: CaseRegistryContext, p: PersonRecord | null): Promise<PersonRecord | null> {
  if (p === null || (await ctx.loaders.debtorInScope.load(p.id))) return p;
  throw forbidden('the debtor', ctx.viewer);
}

/**
 * Debtors asked for by identifiers the client chose (`debtor(id:)`, `debtors(ids:)`): each is null, without an
 * error, both when no debtor has the identifier and when no court in the viewer's scope has a case against it, so a
 * masked identity number cannot be recovered by trying its candidates. The look-ups count against the viewer's
 * per-minute limit of distinct identifiers (the high court, which sees every debtor, has nothing to recover).
 */
export function lookUpDebtors(ctx: CaseRegistryContext, ids: readonly string[], field: string): Promise<PersonRecord | null>[] {
  countIdentifierLookups(ctx, ids, field);
  return ids.map((id) => ctx.loaders.visiblePerson.load(id));
}

/** Refuses the request (RATE_LIMITED, rule IDENTIFIER_LOOKUP_RATE) when these identifiers take the viewer over its limit. */
export function countIdentifierLookups(ctx: CaseRegistryContext, ids: readonly string[], field: string): void {
  if (ctx.scope.all || ids.length === 0) return;
  if (!ctx.identifierLookups.admit(`${ctx.viewer.sub}@${ctx.viewer.court}`, ids)) {
    throw refuse.IDENTIFIER_LOOKUP_RATE(
      field,
      `more distinct debtor identifiers looked up within a minute than this court's viewer may (${ids.length} more asked); wait and ask again`,
    );
  }
}

export async function debtorIfInScope(ctx: CaseRegistryContext, p: PersonRecord | null): Promise<PersonRecord | null> {
  return p !== null && (await ctx.loaders.debtorInScope.load(p.id)) ? p : null;
}

/**
 * A case a decision covered is visible to the courts that sent or received it (its decision, progress and the case
 * carrying it on included, so a sending court can follow its case to closure).
 */
export function transferredCaseVisible(ctx: CaseRegistryContext, c: TransferredCaseRecord): boolean {
  return inScope(ctx.scope, c.fromCourt) || (c.toCourt !== null && inScope(ctx.scope, c.toCourt));
}

export function transferredCasesVisible(ctx: CaseRegistryContext, list: readonly TransferredCaseRecord[]): TransferredCaseRecord[] {
  return ctx.scope.all ? [...list] : list.filter((c) => transferredCaseVisible(ctx, c));
}

/** A decision is visible to the deciding and receiving courts and to every court that sent a case under it. */
export function transferVisible(ctx: CaseRegistryContext, t: TransferRow, cases: readonly TransferredCaseRecord[]): boolean {
  return (
    inScope(ctx.scope, t.deciding_court) ||
    (t.receiving_court !== null && inScope(ctx.scope, t.receiving_court)) ||
    cases.some((c) => inScope(ctx.scope, c.fromCourt))
  );
}

/** The decision, or null with a FORBIDDEN error when the viewer's court is none of those {@link transferVisible} names. */
export async function transferOrThrow(ctx: CaseRegistryContext, t: TransferRow | null): Promise<TransferRow | null> {
  if (t === null || ctx.scope.all || transferVisible(ctx, t, await ctx.loaders.transferredCases.load(t.id))) return t;
  throw forbidden('the transfer decision', ctx.viewer);
}
