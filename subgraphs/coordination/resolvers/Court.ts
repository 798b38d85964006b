import { errors } from '../../../domain/errorCatalogue';
import { leaderHandling } from '../../../domain/rules/compliance';
import type { CourtResolvers } from '../generated/resolvers-types';
import { checkCourtInScope } from './scope';

export const Court: CourtResolvers = {
  __resolveReference: (ref) => ref,
  transferHandling: (court, _, ctx) => {
    // The registry leaves other courts' cases out, so a report on them would count nothing and mislead.
    checkCourtInScope(ctx, court.code, `the transfer handling of ${court.code}`);
    const handlers = court.receivedTransferHandlers;
    if (!court.receivedTransferCases || !handlers) {
      throw errors.defect(`Court ${court.code}: the facts this field requires were not supplied`);
    }
    const isLeader = new Map(handlers.map((o) => [o.id, o.isLeader]));
    const report = leaderHandling(
      court.receivedTransferCases.map((c) => ({
        number: c.number,
        handlerIsLeader: c.handler ? (isLeader.get(c.handler.id) ?? null) : null,
      })),
      ctx.config,
    );
    return { ...report, casesNotHandledByLeaders: report.casesNotHandledByLeaders.map((number) => ({ number })) };
  },
};
