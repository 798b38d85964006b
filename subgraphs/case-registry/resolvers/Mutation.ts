import type { DecisionInput } from '../../../domain/transfers';
import type { MutationResolvers, TransferDecisionInput } from '../generated/resolvers-types';
import { writeContextFor } from '../../../lib/recordedWrite';

function decision(input: TransferDecisionInput): DecisionInput {
  return {
    mode: input.mode,
    // Full-width brackets and stray spaces are accepted as in every other case-number argument.
    caseNumbers: input.caseNumbers.map((n) => n.trim().replace(/（/g, '(').replace(/）/g, ')')),
    receivingCourt: input.receivingCourt?.trim() || null,
    decidingCourt: input.decidingCourt.trim(),
    supervisor: input.supervisor,
    reasons: input.reasons ?? [],
    note: input.note ?? '',
    deadline: input.deadline ?? null,
  };
}

export const Mutation: MutationResolvers = {
  decideTransfer: async (_, { input }, ctx) => {
    const { transferIds, replayed } = await ctx.workflow.decideTransfers([decision(input)], writeContextFor(ctx, input.idempotencyKey), [
      'input',
    ]);
    return { transferId: transferIds[0]!, replayed };
  },
  decideTransfers: (_, { input }, ctx) =>
    ctx.workflow.decideTransfers(
      input.decisions.map(decision),
      writeContextFor(ctx, input.idempotencyKey),
      input.decisions.map((_, i) => `input.decisions[${i}]`),
    ),
  addSupervisionNote: (_, { input }, ctx) =>
    ctx.workflow.addSupervisionEvent(
      { transferId: input.transferId, author: input.author, kind: input.kind ?? 'NOTE', note: input.note },
      writeContextFor(ctx, input.idempotencyKey),
      'input',
    ),
  assignSupervisor: (_, { input }, ctx) =>
    ctx.workflow.assignSupervisor(input.transferId, input.supervisor, writeContextFor(ctx, input.idempotencyKey), 'input'),
};
