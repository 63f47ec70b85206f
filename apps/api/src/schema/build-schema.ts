import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { authChecker } from '../auth-checker';
import { AccountResolver } from './resolvers/account.resolver';
import { ActivityResolver } from './resolvers/activity.resolver';
import { BuyingGroupMemberResolver, BuyingGroupResolver } from './resolvers/buying-group.resolver';
import { ContactResolver } from './resolvers/contact.resolver';
import { DashboardResolver } from './resolvers/dashboard.resolver';
import { ScoringModelResolver } from './resolvers/scoring-model.resolver';
import { WorkspaceResolver } from './resolvers/workspace.resolver';

export const RESOLVERS = [
  WorkspaceResolver,
  AccountResolver,
  ContactResolver,
  BuyingGroupResolver,
  BuyingGroupMemberResolver,
  ActivityResolver,
  ScoringModelResolver,
  DashboardResolver,
] as const;

export function buildQuorumSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    authChecker,
    // Inputs are validated by the services, which name the field and item index.
    validate: false,
  });
}
