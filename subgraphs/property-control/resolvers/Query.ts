import { addMonths } from '../../../domain/dates';
import { refuse } from '../../../domain/errorCatalogue';
import { RULES_CONFIG } from '../../../domain/rules/config';
import { parsePrefecture } from '../../../domain/sichuan';
import { decodeCursor, encodeCursor, pageSize } from '../../../lib/cursor';
import type { PropertyConnectionResolvers, QueryResolvers } from '../generated/resolvers-types';

export const MAX_PROPERTIES_PER_PAGE = 100;

export const Query: QueryResolvers = {
  property: async (_, { id }, ctx) => {
    const trimmed = id.trim();
    if (trimmed.length === 0 || trimmed.length > 64) {
      throw refuse.PROPERTY_ID_FORMAT('id', 'a property identifier is 1 to 64 characters');
    }
    // Property ids are sequential (guessable): one outside the viewer's scope reads as unknown, by the same one statement.
    return ctx.loaders.visibleProperty.load(trimmed);
  },

  overdueDisposals: (_, { prefecture, first, after }, ctx) => {
    const limit = pageSize(first, 20, MAX_PROPERTIES_PER_PAGE);
    const prefectureCode = parsePrefecture(prefecture);
    const position = after ? decodeCursor(after, 2) : null;
    return ctx.source.overdueDisposals(
      {
        cutoff: addMonths(ctx.today, -RULES_CONFIG.disposalDeadlineMonths),
        today: ctx.today,
        prefecture: prefectureCode,
        courts: ctx.scope.all ? null : ctx.scope.courts,
      },
      limit,
      position && { undisposedSince: position[0]!, id: position[1]! },
    );
  },
};

export const PropertyConnection: PropertyConnectionResolvers = {
  nodes: (page) => page.rows,
  pageInfo: (page) => {
    const last = page.rows[page.rows.length - 1];
    return { hasNextPage: page.hasNextPage, endCursor: last ? encodeCursor([last.undisposed_since!, last.id]) : null };
  },
};
