import type { WorkspaceId } from '@quorum/persistence';
import { Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { workspaceOf, type RequestContext } from '../../context';
import { AccountScoreHistoryEntry } from '../types/account-score.type';
import { ScoreHistoryEntry } from '../types/lead-score.type';
import {
  AccountScoreChange,
  LeadScoreChange,
  LifecycleStageChange,
} from '../types/score-change.type';

type Internal = { eventId: string; workspaceId: WorkspaceId };

/**
 * Event ids leave the API encrypted (EventIdCodec): the events inside Quorum carry their
 * history row's id, which one sequence numbers for every workspace. The subscription resolvers
 * load the workspace's key before the first event, so encoding an event costs no I/O.
 */
function eventIdOf(event: Internal, ctx: RequestContext): string {
  return ctx.services.eventIds.encode(event.workspaceId, event.eventId);
}

@Resolver(() => LeadScoreChange)
export class LeadScoreChangeIdResolver {
  @FieldResolver(() => ID, { description: 'Pass it as `since` to resume after this event.' })
  eventId(@Root() event: Internal, @Ctx() ctx: RequestContext): string {
    return eventIdOf(event, ctx);
  }
}

@Resolver(() => AccountScoreChange)
export class AccountScoreChangeIdResolver {
  @FieldResolver(() => ID)
  eventId(@Root() event: Internal, @Ctx() ctx: RequestContext): string {
    return eventIdOf(event, ctx);
  }
}

@Resolver(() => LifecycleStageChange)
export class LifecycleStageChangeIdResolver {
  @FieldResolver(() => ID)
  eventId(@Root() event: Internal, @Ctx() ctx: RequestContext): string {
    return eventIdOf(event, ctx);
  }
}

/** A history entry's id is the event id of the change it records. */
async function historyIdOf(kind: 'lead' | 'account', id: string, ctx: RequestContext) {
  const ws = workspaceOf(ctx);
  await ctx.services.eventIds.prepare(ws);
  return ctx.services.eventIds.encode(ws, `${kind}:${id}`);
}

@Resolver(() => ScoreHistoryEntry)
export class ScoreHistoryEntryIdResolver {
  @FieldResolver(() => ID, { description: 'The eventId of the leadScoreChanged event.' })
  id(@Root() entry: { id: string }, @Ctx() ctx: RequestContext): Promise<string> {
    return historyIdOf('lead', entry.id, ctx);
  }
}

@Resolver(() => AccountScoreHistoryEntry)
export class AccountScoreHistoryEntryIdResolver {
  @FieldResolver(() => ID, { description: 'The eventId of the accountScoreChanged event.' })
  id(@Root() entry: { id: string }, @Ctx() ctx: RequestContext): Promise<string> {
    return historyIdOf('account', entry.id, ctx);
  }
}
