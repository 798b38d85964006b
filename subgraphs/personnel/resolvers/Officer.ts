import { POSTS, isLeaderPost, type Post as PostName } from '../../../domain/posts';
import type { OfficerResolvers, Post } from '../generated/resolvers-types';

export const Officer: OfficerResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.officer.load(ref.id),
  court: (o) => ({ code: o.court_code }),
  post: (o) => o.post as Post,
  postTitle: (o) => POSTS[o.post as PostName]?.label ?? o.post,
  isLeader: (o) => isLeaderPost(o.post),
  inEnforcement: (o) => o.enforcement === 1,
};
