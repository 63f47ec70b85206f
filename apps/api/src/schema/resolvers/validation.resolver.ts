import { InputError } from '@quorum/services';
import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { workspaceOf, type RequestContext } from '../../context';
import { ScoredEntityEnum } from '../types/enums';
import {
  LiftDimensionEnum,
  ModelComparisonReport,
  ModelValidationReport,
  SourceLift,
  toValidationReport,
} from '../types/validation.type';

@Resolver()
export class ValidationResolver {
  @Authorized('READ')
  @Query(() => ModelValidationReport, {
    description:
      'Scores every contact as of each window start (from, from + horizon, …) and checks conversion within the horizon.',
  })
  async modelValidation(
    @Arg('versionId', () => ID) versionId: string,
    @Arg('from') from: Date,
    @Arg('to') to: Date,
    @Ctx() ctx: RequestContext,
    @Arg('horizonDays', () => Int, { defaultValue: 90 }) horizonDays = 90,
    @Arg('entity', () => ScoredEntityEnum, {
      defaultValue: 'CONTACT',
      description:
        'CONTACT: leads against contact outcomes; ACCOUNT: accounts against account outcomes.',
    })
    entity: 'CONTACT' | 'ACCOUNT' = 'CONTACT',
  ): Promise<ModelValidationReport> {
    return toValidationReport(
      await ctx.services.validation.validate(
        workspaceOf(ctx),
        versionId,
        from,
        to,
        horizonDays,
        'versionId',
        entity,
      ),
    );
  }

  @Authorized('READ')
  @Query(() => ModelComparisonReport, {
    description: 'Champion and challenger validated over the same windows.',
  })
  async compareModels(
    @Arg('championId', () => ID) championId: string,
    @Arg('challengerId', () => ID) challengerId: string,
    @Arg('from') from: Date,
    @Arg('to') to: Date,
    @Ctx() ctx: RequestContext,
    @Arg('horizonDays', () => Int, { defaultValue: 90 }) horizonDays = 90,
  ): Promise<ModelComparisonReport> {
    const result = await ctx.services.validation.compare(
      workspaceOf(ctx),
      championId,
      challengerId,
      from,
      to,
      horizonDays,
    );
    return {
      ...result,
      champion: toValidationReport(result.champion),
      challenger: toValidationReport(result.challenger),
    };
  }

  @Authorized('READ')
  @Query(() => [SourceLift], {
    description: 'Which programs bring leads that convert, not just volume.',
  })
  async scoreLiftByChannel(
    @Arg('from') from: Date,
    @Arg('to') to: Date,
    @Ctx() ctx: RequestContext,
    @Arg('by', () => LiftDimensionEnum, { defaultValue: 'CHANNEL' })
    by: 'CHANNEL' | 'CAMPAIGN' = 'CHANNEL',
  ): Promise<SourceLift[]> {
    if (!(from < to)) throw new InputError([{ path: 'from', message: 'must be before `to`' }]);
    const rows = await ctx.services.db.repos.outcomes.liftBySource(
      workspaceOf(ctx),
      by === 'CHANNEL' ? 'channel' : 'campaign',
      from,
      to,
    );
    const leads = rows.reduce((n, r) => n + r.leads, 0);
    const conversions = rows.reduce((n, r) => n + r.conversions, 0);
    const overall = leads ? conversions / leads : 0;
    return rows.map((r) => {
      const rate = r.leads ? r.conversions / r.leads : 0;
      return { ...r, conversionRate: rate, lift: overall > 0 ? rate / overall : null };
    });
  }
}
