import { parseCaseNumber } from '../../../domain/caseNumber';
import { parseCourtCode } from '../../../domain/courtCode';
import { parseIsoDate } from '../../../domain/dates';
import { refuse } from '../../../domain/errorCatalogue';
import { rebalancePlanRecord } from './RebalancePlan';
import { parseDebtorId } from '../../../domain/identifiers';
import { normaliseName } from '../../../domain/names';
import { parsePrefecture } from '../../../domain/sichuan';
import type { QueryResolvers } from '../generated/resolvers-types';
import { candidatesThatMayRank, scoreDebtorMatches } from '../search';
import { loadTransferStatistics } from './Transfer';
import type { PersonRecord } from '../sources/records';
import { forbidden, maskIdentifier } from '../../../domain/scope';
import { caseIfInScope, countIdentifierLookups, lookUpDebtors } from './scope';
import { decodeCursor, pageOf, pageSize } from '../../../lib/cursor';
import { loadAll } from '../../../lib/loaders';

export const MAX_TRANSFERS_PER_PAGE = 100;

function prefectureCode(prefecture: string | null | undefined): string | null {
  return parsePrefecture(prefecture);
}

export const MAX_DEBTORS_PER_QUERY = 100;
/** A debtor's cases per page of `Debtor.casePage`. */
export const MAX_DEBTOR_CASES_PER_PAGE = 100;
export const MAX_SEARCH_RESULTS = 100;
export const MAX_DEBTOR_PAGE = 5000;

export const Query: QueryResolvers = {
  debtor: async (_, { id }, ctx) => {
    const parsed = parseDebtorId(id, 'id', parseIsoDate(ctx.today));
    return lookUpDebtors(ctx, [parsed.id], 'id')[0]!;
  },

  debtors: (_, { ids }, ctx) => {
    if (ids.length > MAX_DEBTORS_PER_QUERY) {
      throw refuse.LIST_TOO_LONG('ids', `at most ${MAX_DEBTORS_PER_QUERY} identifiers per query, got ${ids.length}`);
    }
    const today = parseIsoDate(ctx.today);
    const parsed = ids.map((id, i) => parseDebtorId(id, `ids[${i}]`, today).id);
    // A debtor outside the viewer's scope is a null element, exactly like an unknown identifier. (The generated type
    // does not model a promise of null per item, hence the cast.)
    return lookUpDebtors(ctx, parsed, 'ids') as Promise<PersonRecord>[];
  },

  debtorPage: async (_, { first, after }, ctx) => {
    if (!ctx.scope.all) throw forbidden('the province-wide debtor list', ctx.viewer);
    const limit = pageSize(first, 1000, MAX_DEBTOR_PAGE);
    const position = after ? decodeCursor(after, 1) : null;
    const page = await ctx.source.debtorPage(limit, position && position[0]!);
    return pageOf(
      page,
      (p) => [p.id],
      () => ctx.source.countDebtors(),
    );
  },

  debtorSearch: async (_, { name, first }, ctx) => {
    const limit = pageSize(first, 20, MAX_SEARCH_RESULTS);
    const key = normaliseName(name);
    if (key.length < 2) {
      throw refuse.NAME_TOO_SHORT(
        'name',
        'give at least two characters of the name (after removing spaces, punctuation and company-form suffixes)',
      );
    }
    const { persons, unidentified: found } = await ctx.source.searchByNameKey(key, limit);
    // Only the candidates that can rank need their same-key persons (none, when `limit` persons outscore them all).
    const unidentified = candidatesThatMayRank(name, persons, found, limit);
    const candidateKeys = [...new Set(unidentified.map((r) => r.name_key))];
    const lists = await loadAll(ctx.loaders.personsByNameKey, candidateKeys);
    const sameKeyPersons = new Map(candidateKeys.map((k, i) => [k, lists[i]!]));
    // Evidence names a possible debtor by its identifier only where the match itself would show it (one statement).
    const named = [...new Set(lists.flat().map((p) => p.id))];
    const seen = await loadAll(ctx.loaders.debtorInScope, named);
    const visible = new Set(named.filter((_, i) => seen[i]));
    const matches = scoreDebtorMatches(name, persons, unidentified, sameKeyPersons, limit, (p) =>
      visible.has(p.id) ? p.id : maskIdentifier(p.id),
    );
    // Every identified debtor the answer names (masked or not) counts as looked up.
    countIdentifierLookups(ctx, [...new Set(matches.flatMap((m) => [...(m.person ? [m.person.id] : []), ...m.possibleDebtorIds]))], 'name');
    return matches;
  },

  case: async (_, { number }, ctx) => {
    const parsed = parseCaseNumber(number, 'number', parseIsoDate(ctx.today));
    // Null both when unknown and when outside the scope (case numbers are sequential, so guessable): one statement either way.
    return caseIfInScope(ctx, await ctx.loaders.case.load(parsed.number));
  },

  court: (_, { code }, ctx) => {
    const parsed = parseCourtCode(code, 'code');
    return ctx.loaders.court.load(parsed.code);
  },

  courts: (_, { level, prefecture }, ctx) => ctx.source.courts({ level, prefecture: prefectureCode(prefecture) }),

  transfers: async (_, { from, to, mode, prefecture, unsupervised, first, after }, ctx) => {
    const limit = pageSize(first, 20, MAX_TRANSFERS_PER_PAGE);
    if (from && to && from > to) throw refuse.DATE_RANGE('to', `to (${to}) is before from (${from})`);
    const position = after ? decodeCursor(after, 2) : null;
    const courts = ctx.scope.all ? null : ctx.scope.courts;
    const filter = { from, to, mode, prefecture: prefectureCode(prefecture), unsupervised, courts };
    const page = await ctx.workflow.transfersPage(filter, limit, position && { decidedAt: position[0]!, id: position[1]! });
    return pageOf(
      page,
      (t) => [t.decided_at, t.id],
      () => ctx.workflow.countTransfers(filter),
    );
  },

  rebalancePlan: (_, { fromCourt, fromCourts, caseType, maxCases }, ctx) =>
    rebalancePlanRecord(ctx, fromCourt ?? null, fromCourts ?? null, caseType ?? null, maxCases ?? 20),

  transferStatistics: (_, { from, to, prefecture }, ctx) => loadTransferStatistics(ctx, from, to, prefectureCode(prefecture)),
};
