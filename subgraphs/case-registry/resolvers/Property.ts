import type { PropertyResolvers } from '../generated/resolvers-types';
import { debtorOrThrow } from './scope';

/**
 * The registry's part of a property: its owner. Property-control holds the owner's identifier but cannot know whether
 * the viewer may see that debtor, so the reference is produced here (issue 13 item 5): `owner { id }` alone would
 * otherwise carry an identity number the registry never checked.
 */
export const Property: PropertyResolvers = {
  __resolveReference: (ref) => ref,
  owner: async (p, _, ctx) => (p.ownerId ? debtorOrThrow(ctx, await ctx.loaders.person.load(p.ownerId)) : null),
};
