import type { ProvinceResolvers } from '../generated/resolvers-types';

export const Province: ProvinceResolvers = {
  __resolveReference: (ref) => ({ code: ref.code }),
  courts: (_, __, ctx) => ctx.loaders.allCourts.load('all'),
};
