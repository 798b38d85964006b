import { withCourts } from './Case';
import { PREFECTURES_BY_CODE } from '../../../domain/sichuan';
import type { CourtResolvers } from '../generated/resolvers-types';
import { casesInScope } from './scope';

export const Court: CourtResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.court.load(ref.code),
  prefectureName: (court) => (court.prefecture ? (PREFECTURES_BY_CODE.get(court.prefecture)?.name ?? null) : null),
  parent: (court, _, ctx) => (court.parent ? ctx.loaders.court.load(court.parent) : null),
  children: (court, _, ctx) => ctx.loaders.childCourts.load(court.code),
  divisionCode: (court) => court.division_code,
  special: (court) => court.special === 1,
  openCaseCount: (court, _, ctx) => ctx.loaders.openCaseCount.load(court.code),
  receivedTransferCases: async (court, _, ctx, info) =>
    withCourts(ctx, info, casesInScope(ctx, await ctx.loaders.receivedTransferCases.load(court.code))),
  receivedTransferHandlers: async (court, _, ctx) => {
    const ids = casesInScope(ctx, await ctx.loaders.receivedTransferCases.load(court.code)).flatMap((c) =>
      c.handler_id ? [c.handler_id] : [],
    );
    return [...new Set(ids)].sort().map((id) => ({ id }));
  },
};
