/** The walk front-end teams build on: debtor → cases in every court → handler and staffing → properties → measures. */
export const DEBTOR_WALK = /* GraphQL */ `
  query DebtorWalk($id: ID!) {
    debtor(id: $id) {
      id
      name
      kind
      cases {
        number
        status
        amountDue
        court {
          code
          name
          enforcementStaffCount
        }
        executingCourt {
          code
          officers(enforcementOnly: true) {
            id
          }
        }
        handler {
          id
          name
          post
          isLeader
          court {
            code
            name
          }
        }
        measures {
          id
        }
      }
      properties {
        id
        kind
        estimatedValue
        owner {
          id
          name
        }
        measures {
          id
          kind
          status
          expiresAt
          waiting
          court {
            code
            name
            level
          }
          case {
            number
            status
          }
        }
      }
    }
  }
`;

/** A disposal step recorded, with the property's stage, history and measures after it (the disposal-rule tests). */
export const DISPOSAL_STEP = `mutation ($input: DisposalStepInput!) { recordDisposalStep(input: $input) { property {
  id disposalStage undisposedSince disposalHistory { stage method price occurredAt succeeded } measures { id status releasedAt } } } }`;
export type DisposalStepAnswer = {
  recordDisposalStep: {
    property: {
      disposalStage: string;
      undisposedSince: string | null;
      disposalHistory: { stage: string; method: string | null; price: string; occurredAt: string; succeeded: boolean }[];
      measures: { id: string; status: string; releasedAt: string | null }[];
    };
  };
};
