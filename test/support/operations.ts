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
