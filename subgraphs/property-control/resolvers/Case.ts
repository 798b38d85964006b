import type { CaseResolvers } from '../generated/resolvers-types';

export const Case: CaseResolvers = {
  __resolveReference: (ref) => ref,
  // Measures belong to the lineage: the gateway supplies `lineageNumbers` from the registry (@requires).
  measures: async (c, _, ctx) => {
    const lists = await ctx.loaders.measuresByCase.loadMany(c.lineageNumbers ?? [c.number]);
    return lists.flatMap((l) => {
      if (l instanceof Error) throw l;
      return l;
    });
  },
};
