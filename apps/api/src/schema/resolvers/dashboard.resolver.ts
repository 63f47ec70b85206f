import { InputError, isUuid } from '@quorum/services';
import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { loadersOf, workspaceOf, type RequestContext } from '../../context';
import { ScoreMover, TierCount, TrendPoint, WorkQueueItem } from '../types/account-score.type';
import { MoveDirectionEnum, ScoredEntityEnum, TrendBucketEnum } from '../types/enums';

@Resolver()
export class DashboardResolver {
  @Authorized('READ')
  @Query(() => [TierCount], { description: 'How many accounts or contacts sit in each tier.' })
  tierDistribution(
    @Arg('entity', () => ScoredEntityEnum) entity: 'ACCOUNT' | 'CONTACT',
    @Ctx() ctx: RequestContext,
  ): Promise<TierCount[]> {
    return ctx.services.dashboard.tierDistribution(workspaceOf(ctx), entity);
  }

  @Authorized('READ')
  @Query(() => [TrendPoint], {
    description: 'The account total at the end of each day or week (at most 400 buckets).',
  })
  accountScoreTrend(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('from') from: Date,
    @Arg('to') to: Date,
    @Arg('bucket', () => TrendBucketEnum, { defaultValue: 'DAY' }) bucket: 'DAY' | 'WEEK',
    @Ctx() ctx: RequestContext,
  ): Promise<TrendPoint[]> {
    return ctx.services.dashboard.accountScoreTrend(workspaceOf(ctx), accountId, from, to, bucket);
  }

  @Authorized('READ')
  @Query(() => [ScoreMover], {
    description: 'Accounts whose total moved most since a moment, up or down.',
  })
  async scoreMovers(
    @Arg('since') since: Date,
    @Arg('direction', () => MoveDirectionEnum, { defaultValue: 'UP' }) direction: 'UP' | 'DOWN',
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20, description: 'At most 200.' }) first = 20,
  ): Promise<ScoreMover[]> {
    const movers = await ctx.services.dashboard.scoreMovers(
      workspaceOf(ctx),
      since,
      direction,
      first,
    );
    const loaders = loadersOf(ctx);
    return Promise.all(
      movers.map(async (m) => ({ ...m, account: (await loaders.account.load(m.accountId))! })),
    );
  }

  @Authorized('READ')
  @Query(() => [WorkQueueItem], {
    description:
      "The owner's top-tier accounts and leads to work now: overdue (waited over an hour) first, then highest score.",
  })
  async workQueue(
    @Arg('ownerId') ownerId: string,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 50, description: 'At most 200.' }) first = 50,
  ): Promise<WorkQueueItem[]> {
    if (ownerId.length > 100)
      throw new InputError([{ path: 'ownerId', message: 'must be at most 100 characters' }]);
    const entries = await ctx.services.dashboard.workQueue(workspaceOf(ctx), ownerId, first);
    const loaders = loadersOf(ctx);
    return Promise.all(
      entries.map(async (e) => ({
        ...e,
        account: (await loaders.account.load(e.accountId))!,
        contact:
          e.contactId && isUuid(e.contactId) ? await loaders.contact.load(e.contactId) : null,
      })),
    );
  }
}
