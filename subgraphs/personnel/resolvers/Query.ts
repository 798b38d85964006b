import { refuse } from '../../../domain/errorCatalogue';
import type { QueryResolvers } from '../generated/resolvers-types';

export const Query: QueryResolvers = {
  officer: (_, { id }, ctx) => {
    const trimmed = id.trim();
    if (trimmed.length === 0 || trimmed.length > 64) {
      throw refuse.OFFICER_ID_FORMAT('id', 'an officer identifier is 1 to 64 characters');
    }
    return ctx.loaders.officer.load(trimmed);
  },
};
