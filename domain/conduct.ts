/**
 * Conduct obligations (行为义务: destroy infringing equipment, stop selling a product, remove a structure): what the
 * court did towards the conduct ordered and what of it was done, as dated progress events per case. A conduct case has
 * no amount to recover: its progress is the conduct done (DESIGN.md), measured by these events (docs/rules.md).
 */
export const CONDUCT_EVENT_KINDS = {
  /** 采取执行措施: an enforcement measure towards the conduct (notice to perform, fine, detention, entrusted performance). */
  MEASURE_TAKEN: '采取执行措施',
  /** 部分履行: part of the conduct done (some of the equipment destroyed, sales stopped in some outlets). */
  PARTLY_PERFORMED: '部分履行',
  /** 履行完毕: the conduct ordered done in full. */
  PERFORMED: '履行完毕',
} as const;
export type ConductEventKind = keyof typeof CONDUCT_EVENT_KINDS;
export const CONDUCT_EVENT_KIND_NAMES = Object.keys(CONDUCT_EVENT_KINDS) as ConductEventKind[];

/** Whether an event is conduct done (substantive progress), not only a measure towards it. */
export function isConductDone(kind: string): boolean {
  return kind === 'PARTLY_PERFORMED' || kind === 'PERFORMED';
}
