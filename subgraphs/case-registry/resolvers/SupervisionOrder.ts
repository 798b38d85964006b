import { required } from '../../../lib/loaders';
import type { SupervisionOrderResolvers } from '../generated/resolvers-types';

export const SupervisionOrder: SupervisionOrderResolvers = {
  supervisedAt: (o) => o.supervised_at,
  supervisingCourt: (o, _, ctx) => required(ctx.loaders.court, o.supervising_court, 'court'),
};
