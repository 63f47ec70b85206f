import { predictiveSummary } from '@quorum/services';
import type { PredictiveSection } from '@quorum/scoring';
import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { workspaceOf, type RequestContext } from '../../context';
import { PredictiveModelSummary, TrainPredictiveModelInput } from '../types/predictive.type';
import { ScoringModelVersion } from '../types/scoring-model.type';

@Resolver(() => ScoringModelVersion)
export class PredictiveResolver {
  @Authorized('ADMIN')
  @Mutation(() => ScoringModelVersion, {
    description:
      'Trains a predictive (or hybrid) model on the stored outcomes into a draft version, with cross-validated metrics. Refused (INSUFFICIENT_OUTCOMES) below 200 conversions.',
  })
  trainPredictiveModel(
    @Arg('input', () => TrainPredictiveModelInput) input: TrainPredictiveModelInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ScoringModelVersion> {
    return ctx.services.training.train(
      workspaceOf(ctx),
      {
        from: input.from,
        to: input.to,
        horizonDays: input.horizonDays,
        folds: input.folds,
        basedOnId: input.basedOn,
        hybrid: input.hybrid
          ? { rules: input.hybrid.rules, predictive: input.hybrid.predictive }
          : null,
        description: input.description,
        kind: input.kind,
        entity: input.entity,
        features: input.features
          ? { include: input.features.include ?? [], exclude: input.features.exclude ?? [] }
          : null,
      },
      ctx.auth!.keyId,
    );
  }

  @FieldResolver(() => PredictiveModelSummary, {
    nullable: true,
    description: 'The trained model, for PREDICTIVE and HYBRID versions; null for rules only.',
  })
  predictive(@Root() version: ScoringModelVersion): PredictiveModelSummary | null {
    const section = version.definition['predictive'] as PredictiveSection | undefined;
    return section ? predictiveSummary(section) : null;
  }

  @FieldResolver(() => PredictiveModelSummary, {
    nullable: true,
    description: 'The trained account model, for versions with one; null otherwise.',
  })
  accountPredictive(@Root() version: ScoringModelVersion): PredictiveModelSummary | null {
    const account = version.definition['account'] as { predictive?: PredictiveSection } | undefined;
    return account?.predictive ? predictiveSummary(account.predictive) : null;
  }
}
