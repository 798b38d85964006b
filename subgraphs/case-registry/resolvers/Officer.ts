import { withCourts } from './Case';
import type { OfficerResolvers } from '../generated/resolvers-types';
import { casesInScope } from './scope';

export const Officer: OfficerResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  casesHandled: async (o, { status }, ctx, info) =>
    withCourts(ctx, info, casesInScope(ctx, await ctx.loaders.casesByHandler(status ?? null).load(o.id))),
};
