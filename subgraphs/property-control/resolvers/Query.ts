import { addMonths } from '../../../domain/dates';
import { refuse } from '../../../domain/errorCatalogue';
import { RULES_CONFIG } from '../../../domain/rules/config';
import { parsePrefecture } from '../../../domain/sichuan';
import { connectionFields, decodeCursor, pageOf, pageSize, type Page } from '../../../lib/cursor';
import type { PropertyRecord } from '../sources/records';
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

  overdueDisposals: async (_, { prefecture, first, after }, ctx) => {
    const limit = pageSize(first, 20, MAX_PROPERTIES_PER_PAGE);
    const prefectureCode = parsePrefecture(prefecture);
    const position = after ? decodeCursor(after, 2) : null;
    const filter = {
      cutoff: addMonths(ctx.today, -RULES_CONFIG.disposalDeadlineMonths),
      today: ctx.today,
      prefecture: prefectureCode,
      courts: ctx.scope.all ? null : ctx.scope.courts,
    };
    const page = await ctx.source.overdueDisposals(filter, limit, position && { undisposedSince: position[0]!, id: position[1]! });
    return pageOf(
      page,
      (p) => [p.undisposed_since!, p.id],
      () => ctx.source.countOverdueDisposals(filter),
    );
  },
};

export type PropertyPage = Page<PropertyRecord>;

export const PropertyConnection: PropertyConnectionResolvers = connectionFields;
