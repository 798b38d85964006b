/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query DebtorWalk($id: ID!) {\n  debtor(id: $id) {\n    id\n    name\n    kind\n    cases {\n      number\n      status\n      amountDue\n      amountRecovered\n      court {\n        code\n        name\n        enforcementStaffCount\n      }\n      handler {\n        name\n        post\n        isLeader\n      }\n      measures {\n        kind\n        expiresAt\n        status\n        court {\n          name\n        }\n      }\n    }\n    properties {\n      id\n      kind\n      description\n      estimatedValue\n      disposalStage\n      undisposedSince\n      measures {\n        kind\n        queuePosition\n        waiting\n        expiresAt\n        status\n        court {\n          name\n        }\n        case {\n          number\n        }\n      }\n    }\n    crossCourt {\n      unclosedCaseCount\n      courtCount\n      prefectureCount\n      outstandingAmount\n      idlePropertyCount\n      sharedSeizureCount\n      expiringMeasureCount\n    }\n    transferAssessment {\n      recommendedMode\n      explanation\n      rules {\n        id\n        met\n        observed\n        evidence {\n          cases {\n            number\n          }\n          courts {\n            name\n          }\n          properties {\n            id\n          }\n          detail\n        }\n      }\n      receivingCourts {\n        court {\n          code\n          name\n        }\n        score\n        factors {\n          name\n          weight\n          value\n          detail\n        }\n      }\n    }\n  }\n}": typeof types.DebtorWalkDocument,
    "query FirstCandidates {\n  transferCandidates(first: 20) {\n    assessedOn\n    nodes {\n      urgency\n      rulesMet\n      recommendedMode\n      debtor {\n        id\n        name\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.FirstCandidatesDocument,
    "mutation RenewMeasure($input: RenewMeasureInput!) {\n  renewMeasure(input: $input) {\n    replayed\n    measure {\n      id\n      status\n      expiresAt\n      renewals\n    }\n  }\n}": typeof types.RenewMeasureDocument,
};
const documents: Documents = {
    "query DebtorWalk($id: ID!) {\n  debtor(id: $id) {\n    id\n    name\n    kind\n    cases {\n      number\n      status\n      amountDue\n      amountRecovered\n      court {\n        code\n        name\n        enforcementStaffCount\n      }\n      handler {\n        name\n        post\n        isLeader\n      }\n      measures {\n        kind\n        expiresAt\n        status\n        court {\n          name\n        }\n      }\n    }\n    properties {\n      id\n      kind\n      description\n      estimatedValue\n      disposalStage\n      undisposedSince\n      measures {\n        kind\n        queuePosition\n        waiting\n        expiresAt\n        status\n        court {\n          name\n        }\n        case {\n          number\n        }\n      }\n    }\n    crossCourt {\n      unclosedCaseCount\n      courtCount\n      prefectureCount\n      outstandingAmount\n      idlePropertyCount\n      sharedSeizureCount\n      expiringMeasureCount\n    }\n    transferAssessment {\n      recommendedMode\n      explanation\n      rules {\n        id\n        met\n        observed\n        evidence {\n          cases {\n            number\n          }\n          courts {\n            name\n          }\n          properties {\n            id\n          }\n          detail\n        }\n      }\n      receivingCourts {\n        court {\n          code\n          name\n        }\n        score\n        factors {\n          name\n          weight\n          value\n          detail\n        }\n      }\n    }\n  }\n}": types.DebtorWalkDocument,
    "query FirstCandidates {\n  transferCandidates(first: 20) {\n    assessedOn\n    nodes {\n      urgency\n      rulesMet\n      recommendedMode\n      debtor {\n        id\n        name\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.FirstCandidatesDocument,
    "mutation RenewMeasure($input: RenewMeasureInput!) {\n  renewMeasure(input: $input) {\n    replayed\n    measure {\n      id\n      status\n      expiresAt\n      renewals\n    }\n  }\n}": types.RenewMeasureDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DebtorWalk($id: ID!) {\n  debtor(id: $id) {\n    id\n    name\n    kind\n    cases {\n      number\n      status\n      amountDue\n      amountRecovered\n      court {\n        code\n        name\n        enforcementStaffCount\n      }\n      handler {\n        name\n        post\n        isLeader\n      }\n      measures {\n        kind\n        expiresAt\n        status\n        court {\n          name\n        }\n      }\n    }\n    properties {\n      id\n      kind\n      description\n      estimatedValue\n      disposalStage\n      undisposedSince\n      measures {\n        kind\n        queuePosition\n        waiting\n        expiresAt\n        status\n        court {\n          name\n        }\n        case {\n          number\n        }\n      }\n    }\n    crossCourt {\n      unclosedCaseCount\n      courtCount\n      prefectureCount\n      outstandingAmount\n      idlePropertyCount\n      sharedSeizureCount\n      expiringMeasureCount\n    }\n    transferAssessment {\n      recommendedMode\n      explanation\n      rules {\n        id\n        met\n        observed\n        evidence {\n          cases {\n            number\n          }\n          courts {\n            name\n          }\n          properties {\n            id\n          }\n          detail\n        }\n      }\n      receivingCourts {\n        court {\n          code\n          name\n        }\n        score\n        factors {\n          name\n          weight\n          value\n          detail\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query DebtorWalk($id: ID!) {\n  debtor(id: $id) {\n    id\n    name\n    kind\n    cases {\n      number\n      status\n      amountDue\n      amountRecovered\n      court {\n        code\n        name\n        enforcementStaffCount\n      }\n      handler {\n        name\n        post\n        isLeader\n      }\n      measures {\n        kind\n        expiresAt\n        status\n        court {\n          name\n        }\n      }\n    }\n    properties {\n      id\n      kind\n      description\n      estimatedValue\n      disposalStage\n      undisposedSince\n      measures {\n        kind\n        queuePosition\n        waiting\n        expiresAt\n        status\n        court {\n          name\n        }\n        case {\n          number\n        }\n      }\n    }\n    crossCourt {\n      unclosedCaseCount\n      courtCount\n      prefectureCount\n      outstandingAmount\n      idlePropertyCount\n      sharedSeizureCount\n      expiringMeasureCount\n    }\n    transferAssessment {\n      recommendedMode\n      explanation\n      rules {\n        id\n        met\n        observed\n        evidence {\n          cases {\n            number\n          }\n          courts {\n            name\n          }\n          properties {\n            id\n          }\n          detail\n        }\n      }\n      receivingCourts {\n        court {\n          code\n          name\n        }\n        score\n        factors {\n          name\n          weight\n          value\n          detail\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query FirstCandidates {\n  transferCandidates(first: 20) {\n    assessedOn\n    nodes {\n      urgency\n      rulesMet\n      recommendedMode\n      debtor {\n        id\n        name\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query FirstCandidates {\n  transferCandidates(first: 20) {\n    assessedOn\n    nodes {\n      urgency\n      rulesMet\n      recommendedMode\n      debtor {\n        id\n        name\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RenewMeasure($input: RenewMeasureInput!) {\n  renewMeasure(input: $input) {\n    replayed\n    measure {\n      id\n      status\n      expiresAt\n      renewals\n    }\n  }\n}"): (typeof documents)["mutation RenewMeasure($input: RenewMeasureInput!) {\n  renewMeasure(input: $input) {\n    replayed\n    measure {\n      id\n      status\n      expiresAt\n      renewals\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;