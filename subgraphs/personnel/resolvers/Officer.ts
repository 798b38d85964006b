import { POSTS, isLeaderPost } from '../../../domain/posts';
import type { OfficerResolvers } from '../generated/resolvers-types';

export const Officer: OfficerResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.officer.load(ref.id),
  court: (o) => ({ code: o.court_code }),
  post: (o) => o.post,
  postTitle: (o) => POSTS[o.post]?.label ?? o.post,
  isLeader: (o) => isLeaderPost(o.post),
  inEnforcement: (o) => o.enforcement === 1,
};
