/**
 * The five ways a higher court moves or steers a stuck case (交叉执行), in the order reports list them:
 * deadline order 督促执行, directed 指令/指定执行, elevated 提级执行, centralized 集中执行, collaborative 协同执行.
 */
export const TRANSFER_MODES = ['DEADLINE_ORDER', 'DIRECTED', 'ELEVATED', 'CENTRALIZED', 'COLLABORATIVE'] as const;
export type TransferMode = (typeof TRANSFER_MODES)[number];
