/**
 * Complaints (信访) recorded against an enforcement case: what the complainant said the court did wrong, and how the
 * complaint was disposed of. Selection evidence (docs/rules.md), not a rule of its own.
 */
export const COMPLAINT_KINDS = {
  /** 消极执行 / 拖延执行: the court is said not to act, or to act too late. */
  PASSIVE_EXECUTION: '消极执行',
  /** 违法执行 / 不规范执行: the court is said to have acted unlawfully (wrong property, excessive seizure, …). */
  IMPROPER_EXECUTION: '违法执行',
  /** 执行异议之外的其他诉求: anything else. */
  OTHER: '其他',
} as const;
export type ComplaintKind = keyof typeof COMPLAINT_KINDS;
export const COMPLAINT_KIND_NAMES = Object.keys(COMPLAINT_KINDS) as ComplaintKind[];

export const COMPLAINT_OUTCOMES = {
  /** 办理中: not yet disposed of. */
  PENDING: '办理中',
  /** 属实: found justified. */
  SUBSTANTIATED: '属实',
  /** 不属实: found unjustified. */
  UNSUBSTANTIATED: '不属实',
  /** 撤回 / 息访: withdrawn or settled by the complainant. */
  WITHDRAWN: '撤回',
} as const;
export type ComplaintOutcome = keyof typeof COMPLAINT_OUTCOMES;
export const COMPLAINT_OUTCOME_NAMES = Object.keys(COMPLAINT_OUTCOMES) as ComplaintOutcome[];
