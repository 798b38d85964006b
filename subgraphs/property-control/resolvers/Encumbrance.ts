import type { EncumbranceResolvers } from '../generated/resolvers-types';

export const Encumbrance: EncumbranceResolvers = {
  holderName: (e) => e.holder_name,
  holderKind: (e) => e.holder_kind,
  securedAmount: (e) => e.secured_amount,
  registeredAt: (e) => e.registered_at,
  enforcedInCaseNumber: (e) => e.enforced_in_case,
};
