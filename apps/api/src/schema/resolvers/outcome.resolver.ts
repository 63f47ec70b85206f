import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { workspaceOf, type RequestContext } from '../../context';
import { OutcomeInput, RecordOutcomesPayload } from '../types/outcome.type';

@Resolver()
export class OutcomeResolver {
  @Authorized('WRITE')
  @Mutation(() => RecordOutcomesPayload, {
    description:
      'Records opportunities, wins and losses (up to 1,000), idempotent by externalId; the ground truth for model validation.',
  })
  recordOutcomes(
    @Arg('outcomes', () => [OutcomeInput]) outcomes: OutcomeInput[],
    @Ctx() ctx: RequestContext,
  ): Promise<RecordOutcomesPayload> {
    return ctx.services.outcomes.recordOutcomes(workspaceOf(ctx), outcomes);
  }
}
