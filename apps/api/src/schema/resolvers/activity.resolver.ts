import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { workspaceOf, type RequestContext } from '../../context';
import { ActivityInput } from '../types/inputs';
import { RecordActivitiesPayload } from '../types/payloads';

@Resolver()
export class ActivityResolver {
  @Authorized('WRITE')
  @Mutation(() => RecordActivitiesPayload, {
    description:
      'Records up to 1,000 activities, committed to PostgreSQL before it returns. Idempotent by externalId.',
  })
  async recordActivities(
    @Arg('activities', () => [ActivityInput]) activities: ActivityInput[],
    @Ctx() ctx: RequestContext,
  ): Promise<RecordActivitiesPayload> {
    const result = await ctx.services.activities.recordActivities(
      workspaceOf(ctx),
      activities,
      ctx.requestId,
    );
    ctx.metrics?.activitiesIngested.inc({ result: 'accepted' }, result.accepted);
    ctx.metrics?.activitiesIngested.inc({ result: 'duplicate' }, result.duplicates);
    return result;
  }
}
