import { ValidationError, badUserInput } from '../../../domain/errors';
import type { QueryResolvers } from '../generated/resolvers-types';

export const Query: QueryResolvers = {
  property: (_, { id }, ctx) => {
    const trimmed = id.trim();
    if (trimmed.length === 0 || trimmed.length > 64) {
      throw badUserInput(new ValidationError('id', 'PROPERTY_ID_FORMAT', 'a property identifier is 1 to 64 characters'));
    }
    return ctx.loaders.property.load(trimmed);
  },
};
