import { forbidden, inScope, scopeOf } from '../../../domain/scope';
import { errors } from '../../../domain/errorCatalogue';
import { leaderHandling, measuresToRenew } from '../../../domain/rules/compliance';
import type { CaseResolvers, CourtResolvers, TransferResolvers } from '../generated/resolvers-types';

function missing(what: string) {
  return errors.defect(`${what}: the facts this field requires were not supplied`);
}

export const Court: CourtResolvers = {
  __resolveReference: (ref) => ref,
  transferHandling: (court, _, ctx) => {
    // The registry leaves other courts' cases out, so a report on them would count nothing and mislead.
    if (!inScope(scopeOf(ctx.viewer), court.code)) throw forbidden(`the transfer handling of ${court.code}`, ctx.viewer);
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

export const Transfer: TransferResolvers = {
  __resolveReference: (ref) => ref,
  measuresToRenew: (t, _, ctx) => {
    if (!t.cases || !t.decidedAt || t.cases.some((c) => !c.carriedOn?.measures)) throw missing(`Transfer ${t.id}`);
    // Cases of one lineage share its measures; list each measure once.
    const measures = [...new Map(t.cases.flatMap((c) => c.carriedOn!.measures!).map((m) => [m.id, m])).values()];
    const from = t.decidedAt > ctx.today ? t.decidedAt : ctx.today;
    return measuresToRenew(measures, from, ctx.config).map((m) => ({ id: m.id }));
  },
};
