import { errors } from '../../../domain/errorCatalogue';
import type { TransferResolvers } from '../generated/resolvers-types';
import { lineageMeasuresToRenew } from './renewals';

export const Transfer: TransferResolvers = {
  __resolveReference: (ref) => ref,
  // The registry supplies the decision date and each carrying-on case's lineage (@requires): measures continue across
  // the move, so the lineages of the cases carrying the matters on hold them all.
  measuresToRenew: (t, _, ctx) => {
    const lineages = (t.cases ?? []).map((c) => c.carriedOn?.lineageNumbers);
    const decidedAt = t.decidedAt;
    if (!decidedAt || !t.cases || !lineages.every((l) => l !== undefined)) {
      throw errors.defect(`Transfer ${t.id}: the facts this field requires were not supplied`);
    }
    return lineageMeasuresToRenew(ctx, lineages, decidedAt > ctx.today ? decidedAt : ctx.today);
  },
};
