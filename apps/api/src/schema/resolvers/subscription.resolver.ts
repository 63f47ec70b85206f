import { backfillProgressEventId, type ScoreEvent } from '@quorum/events';
import { InputError, isUuid } from '@quorum/services';
import {
  Arg,
  Authorized,
  ID,
  Resolver,
  Root,
  Subscription,
  type SubscribeResolverData,
} from 'type-graphql';
import { workspaceOf, type RequestContext } from '../../context';
import { eventStream } from '../../subscriptions/event-stream';
import type { Route } from '../../subscriptions/listener-routes';
import {
  accountFilter,
  backfillFilter,
  leadFilter,
  lifecycleFilter,
} from '../../subscriptions/filters';
import {
  AccountScoreChange,
  AccountScoreChangeFilter,
  LeadScoreChange,
  LeadScoreChangeFilter,
  LifecycleStageChange,
  LifecycleStageChangeFilter,
  ScoringBackfillProgress,
} from '../types/score-change.type';

type Data = SubscribeResolverData<unknown, Record<string, unknown>, RequestContext>;

function subscriptionContext(ctx: RequestContext) {
  if (!ctx.subscriptions) {
    throw new InputError([
      { path: 'subscription', message: 'subscriptions are served over graphql-ws at /graphql' },
    ]);
  }
  return ctx.subscriptions;
}

async function stream<T extends ScoreEvent>(
  ctx: RequestContext,
  route: Route,
  accept: (e: ScoreEvent) => e is T,
  replay?: () => Promise<T[]>,
) {
  const subs = subscriptionContext(ctx);
  // Event ids are encrypted with the workspace's key on the way out: load it before any event.
  await ctx.services.eventIds.prepare(workspaceOf(ctx));
  return eventStream({
    hub: subs.hub,
    workspaceId: workspaceOf(ctx),
    route,
    accept,
    replay,
    maxBuffered: subs.maxBufferedEvents,
    onDelivered: subs.onDelivered,
  });
}

function checkIds(path: string, ids: string[] | undefined): void {
  const bad = (ids ?? []).findIndex((id) => !isUuid(id));
  if (bad >= 0) throw new InputError([{ path: `${path}[${bad}]`, message: 'is not an id' }]);
  if ((ids ?? []).length > 1000) throw new InputError([{ path, message: 'at most 1,000 ids' }]);
}

@Resolver()
export class SubscriptionResolver {
  @Authorized('SUBSCRIBE')
  @Subscription(() => LeadScoreChange, {
    description:
      'Lead score changes of this workspace. `since`: an event id to resume after (up to 24 hours back).',
    subscribe: ({ args, context }: Data) => {
      const filter = (args['filter'] ?? {}) as LeadScoreChangeFilter;
      checkIds('filter.contactIds', filter.contactIds);
      checkIds('filter.accountIds', filter.accountIds);
      const since = args['since'] as string | undefined;
      const ws = workspaceOf(context);
      return stream(
        context,
        { type: 'LEAD_SCORE_CHANGED', accountIds: filter.accountIds },
        leadFilter(filter),
        since ? () => context.services.replay.leadEvents(ws, since) : undefined,
      );
    },
  })
  leadScoreChanged(
    @Root() event: LeadScoreChange,
    @Arg('filter', () => LeadScoreChangeFilter, { nullable: true }) _filter?: LeadScoreChangeFilter,
    @Arg('since', () => ID, { nullable: true }) _since?: string,
  ): LeadScoreChange {
    return event;
  }

  @Authorized('SUBSCRIBE')
  @Subscription(() => AccountScoreChange, {
    description: 'Account score changes of this workspace, resumable with `since`.',
    subscribe: ({ args, context }: Data) => {
      const filter = (args['filter'] ?? {}) as AccountScoreChangeFilter;
      checkIds('filter.accountIds', filter.accountIds);
      const since = args['since'] as string | undefined;
      const ws = workspaceOf(context);
      return stream(
        context,
        { type: 'ACCOUNT_SCORE_CHANGED', accountIds: filter.accountIds },
        accountFilter(filter),
        since ? () => context.services.replay.accountEvents(ws, since) : undefined,
      );
    },
  })
  accountScoreChanged(
    @Root() event: AccountScoreChange,
    @Arg('filter', () => AccountScoreChangeFilter, { nullable: true })
    _filter?: AccountScoreChangeFilter,
    @Arg('since', () => ID, { nullable: true }) _since?: string,
  ): AccountScoreChange {
    return event;
  }

  @Authorized('SUBSCRIBE')
  @Subscription(() => LifecycleStageChange, {
    description:
      'Contacts crossing MQL or SQL, and dormant leads reactivated; resumable with `since`.',
    subscribe: ({ args, context }: Data) => {
      const since = args['since'] as string | undefined;
      const ws = workspaceOf(context);
      return stream(
        context,
        { type: 'LIFECYCLE_STAGE_CHANGED' },
        lifecycleFilter((args['filter'] ?? {}) as LifecycleStageChangeFilter),
        since ? () => context.services.replay.lifecycleEvents(ws, since) : undefined,
      );
    },
  })
  lifecycleStageChanged(
    @Root() event: LifecycleStageChange,
    @Arg('filter', () => LifecycleStageChangeFilter, { nullable: true })
    _filter?: LifecycleStageChangeFilter,
    @Arg('since', () => ID, { nullable: true }) _since?: string,
  ): LifecycleStageChange {
    return event;
  }

  @Authorized('SUBSCRIBE')
  @Subscription(() => ScoringBackfillProgress, {
    description: 'Progress of a full rescore, starting with its current state.',
    subscribe: async ({ args, context }: Data) => {
      const id = args['id'] as string;
      const ws = workspaceOf(context);
      if (!isUuid(id)) throw new InputError([{ path: 'id', message: 'is not a backfill id' }]);
      const current = async () => {
        const [b] = await context.services.db.repos.pending.findBackfills(ws, [id]);
        if (!b)
          throw new InputError([{ path: 'id', message: `no backfill ${id} in this workspace` }]);
        return [
          {
            type: 'SCORING_BACKFILL_PROGRESS' as const,
            eventId: backfillProgressEventId(b.id, b.status, b.done, b.failed),
            workspaceId: ws,
            backfillId: b.id,
            status: b.status,
            total: b.total,
            done: b.done,
            failed: b.failed,
            at: (b.finishedAt ?? b.startedAt ?? b.createdAt).toISOString(),
          },
        ];
      };
      return stream(context, { type: 'SCORING_BACKFILL_PROGRESS' }, backfillFilter(id), current);
    },
  })
  scoringBackfillProgress(
    @Root() event: ScoringBackfillProgress,
    @Arg('id', () => ID) _id: string,
  ): ScoringBackfillProgress {
    return event;
  }
}
