import { gql, type TypedDocumentNode } from '@apollo/client';

// The operations the dashboard sends, with the shapes they return. The schema lives in
// apps/api/src/schema; DateTime values arrive as ISO 8601 strings.

export interface WorkspaceData {
  workspace: { id: string; name: string };
}

export const WORKSPACE: TypedDocumentNode<WorkspaceData, Record<string, never>> = gql`
  query Workspace {
    workspace {
      id
      name
    }
  }
`;

export interface AccountFilterInput {
  tiers?: string[];
  surging?: boolean;
  coverageBelow?: number;
  search?: string;
}

export interface HistoryPoint {
  id: string;
  newTotal: number;
  at: string;
}

export interface AccountRow {
  id: string;
  domain: string;
  name: string | null;
  industry: string | null;
  score: {
    total: number;
    tier: string;
    scoreChange: number;
    signals: {
      engagedContacts: number;
      coverage: number;
      decisionMakerEngaged: boolean;
      velocity: { ratio: number | null; surging: boolean };
    };
  } | null;
  scoreHistory: { edges: { node: HistoryPoint }[] };
}

export interface AccountsData {
  accounts: { totalCount: number; edges: { node: AccountRow }[] };
}

export const ACCOUNTS: TypedDocumentNode<
  AccountsData,
  { filter: AccountFilterInput; first: number }
> = gql`
  query Accounts($filter: AccountFilterInput, $first: Int!) {
    accounts(orderBy: PRIORITY_DESC, filter: $filter, first: $first) {
      totalCount
      edges {
        node {
          id
          domain
          name
          industry
          score {
            total
            tier
            scoreChange
            signals {
              engagedContacts
              coverage
              decisionMakerEngaged
              velocity {
                ratio
                surging
              }
            }
          }
          scoreHistory(first: 20) {
            edges {
              node {
                id
                newTotal
                at
              }
            }
          }
        }
      }
    }
  }
`;

export interface TierDistributionData {
  tierDistribution: { tier: string; count: number }[];
}

export const TIER_DISTRIBUTION: TypedDocumentNode<
  TierDistributionData,
  Record<string, never>
> = gql`
  query TierDistribution {
    tierDistribution(entity: ACCOUNT) {
      tier
      count
    }
  }
`;

export interface ScoreReason {
  ruleId: string;
  label: string;
  category: string;
  points: number;
  activityCount: number;
  kind: string;
}

export interface GroupMember {
  contactId: string;
  role: string;
  engaged: boolean;
  lastActivityAt: string | null;
  contact: {
    id: string;
    email: string;
    firstName: string | null;
    lastName: string | null;
    title: string | null;
  };
  score: { total: number; tier: string } | null;
}

export interface BuyingGroup {
  id: string;
  name: string;
  requiredRoles: string[];
  missingRoles: string[];
  completeness: number | null;
  engagedCompleteness: number | null;
  score: number | null;
  members: GroupMember[];
}

export interface AccountDetail {
  id: string;
  domain: string;
  name: string | null;
  industry: string | null;
  employeeCount: number | null;
  country: string | null;
  ownerId: string | null;
  score: {
    total: number;
    fit: number;
    engagement: number;
    rollup: number;
    committee: number;
    intent: number;
    tier: string;
    tierSince: string;
    quadrant: string;
    action: string;
    scoreChange: number;
    computedAt: string;
    signals: {
      engagedContacts: number;
      coverage: number;
      decisionMakerEngaged: boolean;
      daysSinceLastActivity: number | null;
      lastActivityAt: string | null;
      velocity: {
        last7Days: number;
        weeklyAverage: number;
        ratio: number | null;
        surging: boolean;
      };
    };
    reasons: ScoreReason[];
  } | null;
  scoreHistory: { edges: { node: HistoryPoint }[] };
  buyingGroups: BuyingGroup[];
}

export const ACCOUNT_DETAIL: TypedDocumentNode<{ account: AccountDetail | null }, { id: string }> =
  gql`
    query AccountDetail($id: ID!) {
      account(id: $id) {
        id
        domain
        name
        industry
        employeeCount
        country
        ownerId
        score {
          total
          fit
          engagement
          rollup
          committee
          intent
          tier
          tierSince
          quadrant
          action
          scoreChange
          computedAt
          signals {
            engagedContacts
            coverage
            decisionMakerEngaged
            daysSinceLastActivity
            lastActivityAt
            velocity {
              last7Days
              weeklyAverage
              ratio
              surging
            }
          }
          reasons {
            ruleId
            label
            category
            points
            activityCount
            kind
          }
        }
        scoreHistory(first: 40) {
          edges {
            node {
              id
              newTotal
              at
            }
          }
        }
        buyingGroups {
          id
          name
          requiredRoles
          missingRoles
          completeness
          engagedCompleteness
          score
          members {
            contactId
            role
            engaged
            lastActivityAt
            contact {
              id
              email
              firstName
              lastName
              title
            }
            score {
              total
              tier
            }
          }
        }
      }
    }
  `;

export interface AccountScoreChange {
  eventId: string;
  accountId: string;
  old: { total: number; tier: string } | null;
  new: { total: number; tier: string };
  cause: string;
  at: string;
}

export const ACCOUNT_SCORE_CHANGED: TypedDocumentNode<
  { accountScoreChanged: AccountScoreChange },
  Record<string, never>
> = gql`
  subscription AccountScoreChanged {
    accountScoreChanged {
      eventId
      accountId
      old {
        total
        tier
      }
      new {
        total
        tier
      }
      cause
      at
    }
  }
`;

/** The queries a score change can make stale; refetched after live events. */
export const LIVE_QUERIES = ['Accounts', 'TierDistribution', 'AccountDetail'];
