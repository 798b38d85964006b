import { errors } from '../../../domain/errorCatalogue';
import { leaderHandling } from '../../../domain/rules/compliance';
import type { CourtResolvers } from '../generated/resolvers-types';
import { checkCourtInScope } from './scope';

export const Court: CourtResolvers = {
  __resolveReference: (ref) => ref,
  transferHandling: (court, _, ctx) => {
    // The registry leaves other courts' cases out, so a report on them would count nothing and mislead.
    checkCourtInScope(ctx, court.code, `the transfer handling of ${court.code}`);
    const leaders = court.receivedTransferLeaders;
    if (!court.receivedTransferCases || !leaders) {
      throw errors.defect(`Court ${court.code}: the facts this field requires were not supplied`);
    }
    // The roster lists the leaders among the handlers; any other handler is not one (or is unknown to the roster).
    const isLeader = new Set(leaders.map((o) => o.id));
    const report = leaderHandling(
      court.receivedTransferCases.map((c) => ({
        number: c.number,
        handlerIsLeader: c.handler ? isLeader.has(c.handler.id) : null,
      })),
      ctx.config,
    );
    return { ...report, casesNotHandledByLeaders: report.casesNotHandledByLeaders.map((number) => ({ number })) };
  },
};
