import { isLeaderPost } from '../../../domain/posts';
import type { CourtResolvers } from '../generated/resolvers-types';

export const Court: CourtResolvers = {
  __resolveReference: (ref) => ({ code: ref.code }),
  officers: async (c, { post, enforcementOnly }, ctx) =>
    (await ctx.loaders.officersByCourt.load(c.code)).filter((o) => (!post || o.post === post) && (!enforcementOnly || o.enforcement === 1)),
  enforcementStaffCount: (c, _, ctx) => ctx.loaders.enforcementStaffCount.load(c.code),
  leaders: async (c, _, ctx) => (await ctx.loaders.officersByCourt.load(c.code)).filter((o) => isLeaderPost(o.post)),
};
