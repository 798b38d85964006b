import { GraphQLError } from 'graphql';
import { leaderHandling, measuresToRenew } from '../../../domain/rules/compliance';
import type { CaseResolvers, CourtResolvers } from '../generated/resolvers-types';

function missing(what: string): GraphQLError {
  return new GraphQLError(`${what}: the facts this field requires were not supplied`, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

export const Court: CourtResolvers = {
  __resolveReference: (ref) => ref,
  transferHandling: (court, _, ctx) => {
    if (!court.receivedTransferCases) throw missing(`Court ${court.code}`);
    const report = leaderHandling(
      court.receivedTransferCases.map((c) => ({ number: c.number, handlerIsLeader: c.handler?.isLeader ?? null })),
      ctx.config,
    );
    return { ...report, casesNotHandledByLeaders: report.casesNotHandledByLeaders.map((number) => ({ number })) };
  },
};

export const Case: CaseResolvers = {
  __resolveReference: (ref) => ref,
  measuresToRenew: (c, _, ctx) => {
    if (!c.measures) throw missing(`Case ${c.number}`);
    return measuresToRenew(c.measures, ctx.today, ctx.config).map((m) => ({ id: m.id }));
  },
};
