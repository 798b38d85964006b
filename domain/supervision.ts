/**
 * Supervision of a case by a higher court (督办): the higher court presses the executing court on a stuck case and
 * records what came of it. `PROGRESS`: the case moved (property disposed of, money recovered, a settlement) after the
 * supervision; `NO_PROGRESS`: the supervision was closed with nothing of the kind; `PENDING`: not yet judged.
 */
export const SUPERVISION_OUTCOMES = ['PROGRESS', 'NO_PROGRESS', 'PENDING'] as const;
export type SupervisionOutcome = (typeof SUPERVISION_OUTCOMES)[number];

/** A 督办 of one case as the rules read it. */
export interface SupervisionOrder {
  supervisedAt: string;
  supervisingCourt: string;
  outcome: SupervisionOutcome | string;
}

/** The latest 督办 of a case on or after `since` (ties: the later-listed court's code last), or null when none came. */
export function latestSupervisionSince(orders: readonly SupervisionOrder[], since: string): SupervisionOrder | null {
  return (
    orders
      .filter((o) => o.supervisedAt >= since)
      .sort((a, b) => a.supervisedAt.localeCompare(b.supervisedAt) || a.supervisingCourt.localeCompare(b.supervisingCourt))
      .at(-1) ?? null
  );
}
