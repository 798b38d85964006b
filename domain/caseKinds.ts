import type { CaseTypeCode } from './caseNumber';

/**
 * What kind of enforcement case a case is, for the selection rules and for transfer decisions: one place, so the
 * case-count rules, the assessment and `decideTransfer` never disagree.
 *
 * 最高人民法院《关于人民法院案件案号的若干规定》 and its 类型代字 standard divide enforcement cases into
 * implementation cases (执行实施类: 执 first execution, 执恢 resumed execution, 执保 preservation execution) and
 * review cases (执行审查类: 执异 objection, 执复 reconsideration, 执监 supervision, 执协 coordination, and the
 * other review types such as 执他). Only implementation cases carry execution power, so only they count towards
 * the case-count rules and only they move by a transfer (a 执保 case continues into its later 执 case: its
 * measures and its lineage move with it). A criminal restitution case (刑事裁判涉财产部分执行) is executed by the
 * first-instance criminal court (《关于刑事裁判涉财产部分执行的若干规定》 Art. 2): it counts as evidence for the
 * debtor's series, but a transfer never moves it.
 */

/**
 * The implementation (执行实施类) type codes; every other enforcement type code is not one: the review types and 执他
 * (其他执行类案件: matters of an execution that are neither, e.g. a request from another court handled as a separate
 * file; docs/identifiers.md).
 */
export const IMPLEMENTATION_TYPE_CODES: readonly CaseTypeCode[] = ['执', '执恢', '执保'];

/** The category the registry gives a criminal restitution case (刑事裁判涉财产部分执行). */
export const CRIMINAL_RESTITUTION = 'CRIMINAL_RESTITUTION';

/** True for 执, 执恢 and 执保; false for the review types (执异, 执复, 执监, 执协, 执他) and anything unknown. */
export function isImplementationCase(typeCode: string): boolean {
  return (IMPLEMENTATION_TYPE_CODES as readonly string[]).includes(typeCode);
}

export function isCriminalRestitution(category: string): boolean {
  return category === CRIMINAL_RESTITUTION;
}

// Longest first, so 执恢 is not read as 执 followed by 恢.
const TYPE_CODE_IN_NUMBER = /^[(（]\d{4}[)）]川\d{0,4}(执[^\d]?)\d+号$/;

/** The type code (类型代字) a case number carries, e.g. 执恢 for (2024)川0105执恢12号; null if it is not an enforcement number. */
export function typeCodeOf(caseNumber: string): string | null {
  return TYPE_CODE_IN_NUMBER.exec(caseNumber.trim())?.[1] ?? null;
}

/** Why a transfer may not move a case, or null when it may. */
export type Stays = { rule: 'NOT_AN_IMPLEMENTATION_CASE' | 'CRIMINAL_RESTITUTION_STAYS'; reason: string } | null;

/** Whether a transfer (directed, elevated, centralized) may move the case; a review case or a criminal restitution case stays. */
export function staysOnTransfer(c: { typeCode: string; category: string }): Stays {
  if (!isImplementationCase(c.typeCode)) {
    return {
      rule: 'NOT_AN_IMPLEMENTATION_CASE',
      reason: `a ${c.typeCode} case is a review case (执行审查类), not an implementation case: only 执, 执恢 and 执保 cases move`,
    };
  }
  if (isCriminalRestitution(c.category)) {
    return {
      rule: 'CRIMINAL_RESTITUTION_STAYS',
      reason: 'a criminal restitution case (刑事裁判涉财产部分执行) is executed by the first-instance criminal court and is not moved',
    };
  }
  return null;
}

export function movesByTransfer(c: { typeCode: string; category: string }): boolean {
  return staysOnTransfer(c) === null;
}
