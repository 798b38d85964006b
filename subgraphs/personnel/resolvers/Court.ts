import { errors } from '../../../domain/errorCatalogue';
import { isLeaderPost } from '../../../domain/posts';
import type { CourtResolvers } from '../generated/resolvers-types';

export const Court: CourtResolvers = {
  __resolveReference: (ref) => ({ code: ref.code, receivedTransferHandlers: ref.receivedTransferHandlers }),
  officers: async (c, { post, enforcementOnly }, ctx) =>
    (await ctx.loaders.officersByCourt.load(c.code)).filter((o) => (!post || o.post === post) && (!enforcementOnly || o.enforcement === 1)),
  enforcementStaffCount: (c, _, ctx) => ctx.loaders.enforcementStaffCount.load(c.code),
  leaders: async (c, _, ctx) => (await ctx.loaders.officersByCourt.load(c.code)).filter((o) => isLeaderPost(o.post)),
  receivedTransferLeaders: async (c, _, ctx) => {
    if (!c.receivedTransferHandlers) throw errors.defect(`Court ${c.code}: the handlers this field requires were not supplied`);
    const ids = [...new Set(c.receivedTransferHandlers.map((o) => o.id))].sort();
    const officers = await Promise.all(ids.map((id) => ctx.loaders.officer.load(id)));
    return officers.flatMap((o) => (o && isLeaderPost(o.post) ? [o] : []));
  },
};
