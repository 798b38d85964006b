import { forbidden, inScope } from '../../../domain/scope';
import { GraphQLError } from 'graphql';
import { leaderHandling } from '../../../domain/rules/compliance';
import type { CourtResolvers } from '../generated/resolvers-types';

function missing(what: string): GraphQLError {
  return new GraphQLError(`${what}: the facts this field requires were not supplied`, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

export const Court: CourtResolvers = {
  __resolveReference: (ref) => ref,
  transferHandling: (court, _, ctx) => {
    // The registry leaves other courts' cases out, so a report on them would count nothing and mislead.
    if (!inScope(ctx.scope, court.code)) throw forbidden(`the transfer handling of ${court.code}`, ctx.viewer);
    if (!court.receivedTransferCases) throw missing(`Court ${court.code}`);
    const report = leaderHandling(
      court.receivedTransferCases.map((c) => ({ number: c.number, handlerIsLeader: c.handler?.isLeader ?? null })),
      ctx.config,
    );
    return { ...report, casesNotHandledByLeaders: report.casesNotHandledByLeaders.map((number) => ({ number })) };
  },
};
