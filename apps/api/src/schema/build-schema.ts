import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { authChecker } from '../auth-checker';
import { AccountResolver } from './resolvers/account.resolver';
import { ActivityResolver } from './resolvers/activity.resolver';
import { BuyingGroupMemberResolver, BuyingGroupResolver } from './resolvers/buying-group.resolver';
import { ContactResolver } from './resolvers/contact.resolver';
import { DashboardResolver } from './resolvers/dashboard.resolver';
import {
  AccountScoreChangeIdResolver,
  AccountScoreHistoryEntryIdResolver,
  LeadScoreChangeIdResolver,
  LifecycleStageChangeIdResolver,
  ScoreHistoryEntryIdResolver,
} from './resolvers/event-id.resolver';
import { OutcomeResolver } from './resolvers/outcome.resolver';
import { PredictiveResolver } from './resolvers/predictive.resolver';
import { ScoringModelResolver } from './resolvers/scoring-model.resolver';
import { SubscriptionResolver } from './resolvers/subscription.resolver';
import { SuggestionResolver } from './resolvers/suggestion.resolver';
import { ValidationResolver } from './resolvers/validation.resolver';
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
  SubscriptionResolver,
  LeadScoreChangeIdResolver,
  AccountScoreChangeIdResolver,
  LifecycleStageChangeIdResolver,
  ScoreHistoryEntryIdResolver,
  AccountScoreHistoryEntryIdResolver,
  OutcomeResolver,
  ValidationResolver,
  PredictiveResolver,
  SuggestionResolver,
] as const;

export function buildQuorumSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    authChecker,
    // Inputs are validated by the services, which name the field and item index.
    validate: false,
    // Every subscription has its own `subscribe` (Redis-fed, filtered, resumable), so the
    // topic-based pub/sub type-graphql asks for is never used.
    pubSub: {
      publish() {
        throw new Error(
          'score events are published by the worker on Redis, not through type-graphql',
        );
      },
      subscribe() {
        throw new Error('subscriptions use their own subscribe functions');
      },
    },
  });
}
