import { readFileSync } from 'node:fs';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';

/**
 * Issue 12: the query plans of the key operations, pinned. Each plan is written as the subgraphs it fetches from in
 * order, with its sequence/parallel shape and, for an entity fetch, the response path it lands on; a schema change that
 * adds a hop (or reorders one) fails here instead of slowing the graph silently. The expected values are literals on
 * purpose: change them only together with the schema change that explains the new plan.
 */
const supergraph = Supergraph.build(readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'));
const planner = new QueryPlanner(supergraph);

function planOf(query: string): QueryPlan {
  return planner.buildQueryPlan(operationFromDocument(supergraph.apiSchema(), parse(query)));
}

function shape(node: PlanNode): string {
  switch (node.kind) {
    case 'Fetch':
      return node.serviceName;
    case 'Flatten':
      return `${shape(node.node)}@${node.path.join('.')}`;
    case 'Sequence':
      return `Sequence(${node.nodes.map(shape).join(', ')})`;
    case 'Parallel':
      return `Parallel(${node.nodes.map(shape).join(', ')})`;
    default:
      throw new Error(`a ${node.kind} node in a pinned plan: extend shape() to describe it`);
  }
}

function fetches(node: PlanNode): number {
  switch (node.kind) {
    case 'Fetch':
      return 1;
    case 'Flatten':
      return fetches(node.node);
    case 'Sequence':
    case 'Parallel':
      return node.nodes.reduce((n, child) => n + fetches(child), 0);
    default:
      throw new Error(`a ${node.kind} node in a pinned plan`);
  }
}

function pinned(query: string): { fetches: number; plan: string } {
  const { node } = planOf(query);
  if (!node || node.kind === 'Subscription') throw new Error('no plan');
  return { fetches: fetches(node), plan: shape(node) };
}

/** The debtor walk of the README: every court and system, the cross-court figures and the assessment. */
const DEBTOR_WALK = /* GraphQL */ `
  query DebtorWalk($id: ID!) {
    debtor(id: $id) {
      id
      name
      kind
      cases {
        number
        status
        amountDue
        amountRecovered
        court {
          code
          name
          enforcementStaffCount
        }
        handler {
          name
          post
          isLeader
        }
        measures {
          kind
          expiresAt
          status
          court {
            name
          }
        }
      }
      properties {
        id
        kind
        description
        estimatedValue
        disposalStage
        undisposedSince
        measures {
          kind
          queuePosition
          waiting
          expiresAt
          status
          court {
            name
          }
          case {
            number
          }
        }
      }
      crossCourt {
        unclosedCaseCount
        courtCount
        prefectureCount
        outstandingAmount
        idlePropertyCount
        sharedSeizureCount
        expiringMeasureCount
      }
      transferAssessment {
        recommendedMode
        explanation
        rules {
          id
          met
          observed
          evidence {
            cases {
              number
            }
            courts {
              name
            }
            properties {
              id
            }
            detail
          }
        }
        receivingCourts {
          court {
            code
            name
          }
          score
          factors {
            name
            weight
            value
            detail
          }
        }
      }
    }
  }
`;

/** The decision of the README, with the measures its receiving court must renew. */
const DECIDE_TRANSFER = /* GraphQL */ `
  mutation ($input: DecideTransferInput!) {
    decideTransfer(input: $input) {
      replayed
      transfer {
        id
        deadline
        cases {
          from {
            number
            status
            closure
          }
          to {
            number
            lineageNumbers
          }
        }
        measuresToRenew {
          id
          expiresAt
          property {
            description
          }
        }
        supervision {
          owner {
            name
          }
          history {
            kind
            at
            note
          }
          overdue
          closed
        }
      }
    }
  }
`;

/** The province-wide candidate list of the README. */
const TRANSFER_CANDIDATES = /* GraphQL */ `
  {
    transferCandidates(prefecture: "成都市", first: 20) {
      assessedOn
      nodes {
        urgency
        rulesMet
        recommendedMode
        explanation
        debtor {
          id
          name
        }
        summary {
          unclosedCaseCount
          courtCount
          outstandingAmount
          idlePropertyCount
        }
        receivingCourts {
          court {
            name
          }
          score
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

describe('query plans of the key operations (issue 12)', () => {
  it('the debtor walk', () => {
    // Issue 14 items 5 and 7: the assessment also requires the debtor's 终本 cases (same registry fetch) and the
    // measures of each case's lineage; item 9: the court carrying each property measure's lineage. Issue 17 item 7
    // (ADR 21): both arrive flat on the debtor, the lineage measures from property-control's debtor fetch
    // (`caseLineageMeasures`) and the carrying courts from the registry's first fetch (`caseCarriers`): 14 → 11
    // fetches, none of them per row.
    expect(pinned(DEBTOR_WALK)).toEqual({
      fetches: 11,
      plan:
        'Sequence(case-registry, Parallel(' +
        'Sequence(property-control@debtor, Parallel(case-registry@debtor.properties.@.measures.@.court, ' +
        'Sequence(coordination@debtor, Parallel(case-registry@debtor.transferAssessment.rules.@.evidence.courts.@, ' +
        'case-registry@debtor.transferAssessment.receivingCourts.@.court)))), ' +
        'Sequence(property-control@debtor.cases.@, case-registry@debtor.cases.@.measures.@.court), ' +
        'personnel@debtor.cases.@.court, personnel@debtor.cases.@.handler, property-control@debtor.crossCourt))',
    });
  });

  it('decideTransfer', () => {
    // measuresToRenew is computed where the measures live: the registry's decision, then property-control once.
    expect(pinned(DECIDE_TRANSFER)).toEqual({
      fetches: 3,
      plan: 'Sequence(case-registry, Parallel(property-control@decideTransfer.transfer, personnel@decideTransfer.transfer.supervision.owner))',
    });
  });

  it('transferCandidates', () => {
    expect(pinned(TRANSFER_CANDIDATES)).toEqual({
      fetches: 3,
      plan: 'Sequence(coordination, Parallel(case-registry@transferCandidates.nodes.@.debtor, case-registry@transferCandidates.nodes.@.receivingCourts.@.court))',
    });
  });
});
