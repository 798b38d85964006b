import { forbidden } from '../../../domain/scope';
import type { QueryResolvers } from '../generated/resolvers-types';

/** Decisions per change-feed call (ADR 14). */
export const MAX_CHANGES_PER_CALL = 500;

/** The change feed the assessment index refreshes from: the high court's (and the index pass's) only. */
export const changeFeedQuery: Pick<QueryResolvers, 'decisionChanges'> = {
  decisionChanges: (_, { after }, ctx) => {
    if (!ctx.scope.all) throw forbidden('the change feed', ctx.viewer);
    return ctx.workflow.debtorsChangedByDecisions(after ?? null, MAX_CHANGES_PER_CALL);
  },
};
