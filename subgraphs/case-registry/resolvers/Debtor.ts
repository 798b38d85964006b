import { caseColumnsFor, withCourts } from './Case';
import { basicCourtOfDivision } from '../../../domain/sichuan';
import type { CaseConnectionResolvers, DebtorResolvers } from '../generated/resolvers-types';
import { connectionFields, pageSize, slicePage, type Page } from '../../../lib/cursor';
import type { CaseRecord } from '../sources/records';
import { MAX_DEBTOR_CASES_PER_PAGE } from './Query';
import { casesInScope, debtorOrThrow, transferredCasesVisible } from './scope';

export type CasePage = Page<CaseRecord>;

export const Debtor: DebtorResolvers = {
  __resolveReference: async (ref, ctx) => debtorOrThrow(ctx, await ctx.loaders.person.load(ref.id)),
  divisionCode: (p) => p.division_code,
  // Every case, unfiltered by scope: the carrying court's own rule decides what the viewer is told (CaseCarrier).
  caseCarriers: (p, _, ctx) => ctx.loaders.casesByDebtor(null).load(p.id),
  outOfProvince: (p) => p.out_of_province === 1,
  cases: async (p, { status }, ctx, info) =>
    withCourts(ctx, info, casesInScope(ctx, await ctx.loaders.casesByDebtor(status ?? null, caseColumnsFor(info)).load(p.id))),
  casePage: async (p, { status, first, after }, ctx) => {
    const limit = pageSize(first, 20, MAX_DEBTOR_CASES_PER_PAGE);
    const all = casesInScope(ctx, await ctx.loaders.casesByDebtor(status ?? null).load(p.id));
    // The loader's order: filed newest first, then by number.
    return slicePage(all, limit, after, (c) => [c.filed_at, c.number], ['desc', 'asc']);
  },
  unclosedCases: async (p, _, ctx, info) =>
    withCourts(ctx, info, casesInScope(ctx, await ctx.loaders.casesByDebtor('UNCLOSED', caseColumnsFor(info)).load(p.id))),
  terminatedThisRoundCases: async (p, _, ctx, info) =>
    withCourts(ctx, info, casesInScope(ctx, await ctx.loaders.casesByDebtor('TERMINATED_THIS_ROUND', caseColumnsFor(info)).load(p.id))),
  // Not a case of any Sichuan court: a viewer who may see the debtor sees its related cases elsewhere.
  externalCases: (p, _, ctx) => ctx.loaders.externalCases.load(p.id),
  crossCourt: (p, _, ctx) => ctx.loaders.caseAggregates.load(p.id),
  transferHistory: async (p, _, ctx) => transferredCasesVisible(ctx, await ctx.loaders.transferHistory.load(p.id)),
  claimsAsApplicant: async (p, _, ctx, info) => withCourts(ctx, info, casesInScope(ctx, await ctx.loaders.claimsByApplicant.load(p.id))),
  homeCourt: (p, _, ctx) => {
    const code = p.out_of_province ? null : basicCourtOfDivision(p.division_code);
    return code ? ctx.loaders.court.load(code) : null;
  },
};

export const CaseConnection: CaseConnectionResolvers = connectionFields;
