import type { Resolvers } from '../generated/resolvers-types';
import { Court } from './Court';
import { Officer } from './Officer';
import { Query } from './Query';
import { RebalancePlan } from './RebalancePlan';

export const resolvers: Resolvers = {
  Query,
  Officer,
  Court,
  RebalancePlan,
};
