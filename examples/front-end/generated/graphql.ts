/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Lifecycle status of a case. */
export type CaseStatus =
  /** 结案 */
  | 'CLOSED'
  /** 执行中 */
  | 'EXECUTING'
  /** 立案 — filed, not yet being executed */
  | 'FILED';

/** Kind of party. */
export type DebtorKind =
  /** 法人或其他组织 — identified by a unified social credit code */
  | 'LEGAL_PERSON'
  /** 自然人 — identified by a resident ID number */
  | 'NATURAL_PERSON';

/**
 * Where a property stands in disposal (处置): reference price → first online auction → second auction → sale or
 * taking in payment; a bank deposit is deducted (划拨) instead, in one step.
 */
export type DisposalStage =
  /** 划拨: the frozen deposit's money deducted to the applicant; a bank deposit's only step, never another kind's (`DEPOSIT_DEDUCTION`). */
  | 'DEDUCTION'
  /** 一拍 */
  | 'FIRST_AUCTION'
  /** Not yet in disposal. */
  | 'NONE'
  /** 确定参考价 (议价、询价、网络询价、委托评估) */
  | 'REFERENCE_PRICE'
  /** 变卖 */
  | 'SALE'
  /** 二拍 */
  | 'SECOND_AUCTION'
  /** 以物抵债 */
  | 'TAKEN_IN_PAYMENT';

/** Kind of control measure. */
export type MeasureKind =
  /** 冻结 */
  | 'FREEZE'
  /** 查封 */
  | 'SEAL'
  /** 扣押 */
  | 'SEIZE';

/** Status of a control measure today. */
export type MeasureStatus =
  /** In force. */
  | 'IN_EFFECT'
  /** Expired unrenewed: it has lost effect. */
  | 'LAPSED'
  /** 解除 — released. */
  | 'RELEASED'
  /** 轮候 — a waiting seizure that takes effect when the ones before it are released. */
  | 'WAITING';

/** Post (职务). Leaders are court, bureau and tribunal leaders (院/局/庭领导). */
export type Post =
  /** 法官助理 */
  | 'ASSISTANT'
  /** 司法警察 */
  | 'BAILIFF'
  /** 执行局局长 */
  | 'BUREAU_CHIEF'
  /** 书记员 */
  | 'CLERK'
  /** 执行局副局长 */
  | 'DEPUTY_BUREAU_CHIEF'
  /** 副庭长 */
  | 'DEPUTY_TRIBUNAL_CHIEF'
  /** 执行法官 */
  | 'JUDGE'
  /** 院长 */
  | 'PRESIDENT'
  /** 庭长 */
  | 'TRIBUNAL_CHIEF'
  /** 副院长 */
  | 'VICE_PRESIDENT';

/** Kind of property, which sets the legal maximum period of a control measure on it. */
export type PropertyKind =
  /** 银行存款 — frozen for at most 1 year */
  | 'BANK_DEPOSIT'
  /** 股权 — frozen for at most 3 years */
  | 'EQUITY'
  /** 知识产权 — frozen for at most 3 years */
  | 'INTELLECTUAL_PROPERTY'
  /** 土地使用权 — sealed for at most 3 years */
  | 'LAND_USE_RIGHT'
  /** 其他动产 — seized for at most 2 years */
  | 'MOVABLE'
  /** 不动产 — sealed for at most 3 years */
  | 'REAL_ESTATE'
  /** 到期债权 — frozen for at most 3 years */
  | 'RECEIVABLE'
  /** 机动车 — seized for at most 2 years */
  | 'VEHICLE';

/** Renews (续行) a control measure in effect with a new expiry, within the legal period for the kind of property. */
export type RenewMeasureInput = {
  /**
   * For the court carrying the measure's lineage when it did not impose the measure (nor is above the court that did):
   * the grant `ControlMeasure.carrierGrant` gave it (ADR 14). Not part of the request an idempotency key stands for.
   */
  carrierGrant?: string | null | undefined;
  /** The new expiry date. */
  expiresAt: string;
  /** A key the client makes once per request (a UUID): retrying with it never renews twice. */
  idempotencyKey: string;
  /** The measure to renew. */
  measureId: string | number;
};

/** A selection rule (docs/rules.md): the reasons a debtor's cases are proposed for a transfer. */
export type SelectionRule =
  /** A case beyond one court's capacity (amount, assets, or the court's load). */
  | 'CAPACITY'
  /** A property has gone long undisposed. */
  | 'IDLE_PROPERTY'
  /** Six months unexecuted (执行程序若干问题的解释 Art. 10): executable property held and not executed six months after filing or its discovery; a conduct case with no enforcement measure in six months. */
  | 'LONG_UNEXECUTED'
  /** The same debtor has unclosed cases in many different courts. */
  | 'MANY_COURTS'
  /** Signs of passive execution: long stretches with no enforcement action. */
  | 'PASSIVE_EXECUTION'
  /** Related cases across prefectures, or several courts' seizures on one asset. */
  | 'SPREAD';

/** How a higher court moves or steers a stuck case (交叉执行). */
export type TransferMode =
  /** 集中执行 — related cases against one debtor go to one court. */
  | 'CENTRALIZED'
  /** 协同执行 — the courts keep their cases but act in one coordinated plan. */
  | 'COLLABORATIVE'
  /** 督促执行 — the original court must act by a deadline; execution power stays. */
  | 'DEADLINE_ORDER'
  /** 指令执行/指定执行 — another court of the same level executes the case. */
  | 'DIRECTED'
  /** 提级执行 — the higher court executes the case itself. */
  | 'ELEVATED';

export type DebtorWalkQueryVariables = Exact<{
  id: string | number;
}>;


export type DebtorWalkQuery = { debtor: { id: string, name: string, kind: DebtorKind, cases: Array<{ number: string, status: CaseStatus, amountDue: string | null, amountRecovered: string, court: { code: string, name: string, enforcementStaffCount: number | null }, handler: { name: string, post: Post, isLeader: boolean } | null, measures: Array<{ kind: MeasureKind, expiresAt: string | null, status: MeasureStatus, court: { name: string } }> | null }>, properties: Array<{ id: string, kind: PropertyKind, description: string, estimatedValue: string | null, disposalStage: DisposalStage, undisposedSince: string | null, measures: Array<{ kind: MeasureKind, queuePosition: number, waiting: boolean, expiresAt: string | null, status: MeasureStatus, court: { name: string }, case: { number: string } | null }> }> | null, crossCourt: { unclosedCaseCount: number, courtCount: number, prefectureCount: number, outstandingAmount: string, idlePropertyCount: number, sharedSeizureCount: number, expiringMeasureCount: number }, transferAssessment: { recommendedMode: TransferMode | null, explanation: string, rules: Array<{ id: SelectionRule, met: boolean, observed: string, evidence: { detail: string, cases: Array<{ number: string }>, courts: Array<{ name: string }>, properties: Array<{ id: string }> } }>, receivingCourts: Array<{ score: number, court: { code: string, name: string }, factors: Array<{ name: string, weight: number, value: number, detail: string }> }> } } | null };

export type FirstCandidatesQueryVariables = Exact<{ [key: string]: never; }>;


export type FirstCandidatesQuery = { transferCandidates: { assessedOn: string, nodes: Array<{ urgency: number, rulesMet: Array<SelectionRule>, recommendedMode: TransferMode | null, debtor: { id: string, name: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type RenewMeasureMutationVariables = Exact<{
  input: RenewMeasureInput;
}>;


export type RenewMeasureMutation = { renewMeasure: { replayed: boolean, measure: { id: string, status: MeasureStatus, expiresAt: string | null, renewals: number } } };


export const DebtorWalkDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DebtorWalk"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"debtor"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"cases"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"amountDue"}},{"kind":"Field","name":{"kind":"Name","value":"amountRecovered"}},{"kind":"Field","name":{"kind":"Name","value":"court"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"enforcementStaffCount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"handler"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"post"}},{"kind":"Field","name":{"kind":"Name","value":"isLeader"}}]}},{"kind":"Field","name":{"kind":"Name","value":"measures"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"court"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"properties"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"estimatedValue"}},{"kind":"Field","name":{"kind":"Name","value":"disposalStage"}},{"kind":"Field","name":{"kind":"Name","value":"undisposedSince"}},{"kind":"Field","name":{"kind":"Name","value":"measures"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"queuePosition"}},{"kind":"Field","name":{"kind":"Name","value":"waiting"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"court"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"case"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"crossCourt"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unclosedCaseCount"}},{"kind":"Field","name":{"kind":"Name","value":"courtCount"}},{"kind":"Field","name":{"kind":"Name","value":"prefectureCount"}},{"kind":"Field","name":{"kind":"Name","value":"outstandingAmount"}},{"kind":"Field","name":{"kind":"Name","value":"idlePropertyCount"}},{"kind":"Field","name":{"kind":"Name","value":"sharedSeizureCount"}},{"kind":"Field","name":{"kind":"Name","value":"expiringMeasureCount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"transferAssessment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recommendedMode"}},{"kind":"Field","name":{"kind":"Name","value":"explanation"}},{"kind":"Field","name":{"kind":"Name","value":"rules"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"met"}},{"kind":"Field","name":{"kind":"Name","value":"observed"}},{"kind":"Field","name":{"kind":"Name","value":"evidence"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cases"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}}]}},{"kind":"Field","name":{"kind":"Name","value":"courts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"properties"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"detail"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"receivingCourts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"court"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"factors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"weight"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<DebtorWalkQuery, DebtorWalkQueryVariables>;
export const FirstCandidatesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FirstCandidates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"transferCandidates"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"assessedOn"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"urgency"}},{"kind":"Field","name":{"kind":"Name","value":"rulesMet"}},{"kind":"Field","name":{"kind":"Name","value":"recommendedMode"}},{"kind":"Field","name":{"kind":"Name","value":"debtor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<FirstCandidatesQuery, FirstCandidatesQueryVariables>;
export const RenewMeasureDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RenewMeasure"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RenewMeasureInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"renewMeasure"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replayed"}},{"kind":"Field","name":{"kind":"Name","value":"measure"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"renewals"}}]}}]}}]}}]} as unknown as DocumentNode<RenewMeasureMutation, RenewMeasureMutationVariables>;