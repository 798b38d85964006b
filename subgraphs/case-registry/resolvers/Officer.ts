import type { OfficerResolvers } from '../generated/resolvers-types';

export const Officer: OfficerResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  casesHandled: (o, { status }, ctx) => ctx.loaders.casesByHandler(status ?? null).load(o.id),
};
