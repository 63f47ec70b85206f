import { strongestFeatures } from '@quorum/services';
import type { PredictiveSection } from '@quorum/scoring';
import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { workspaceOf, type RequestContext } from '../../context';
import { PredictiveModelSummary, TrainPredictiveModelInput } from '../types/predictive.type';
import { ScoringModelVersion } from '../types/scoring-model.type';

/** Stored JSON holds an undefined metric (NaN) as null; both read as null. */
const nullIfNaN = (n: number | null | undefined): number | null =>
  typeof n === 'number' && Number.isFinite(n) ? n : null;

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
    if (!section) return null;
    const { model, training } = section;
    const metrics = model.metrics;
    return {
      mode: section.mode,
      rulesWeight: section.weights?.rules ?? null,
      predictiveWeight: section.weights?.predictive ?? null,
      auc: nullIfNaN(metrics?.pooled.auc),
      brier: nullIfNaN(metrics?.pooled.brier),
      meanFoldAuc: metrics ? nullIfNaN(metrics.meanAuc) : null,
      folds: (metrics?.folds ?? []).map((f) => ({
        fold: f.fold,
        rows: f.rows,
        conversions: f.conversions,
        auc: nullIfNaN(f.auc),
        brier: f.brier,
        lambda: f.lambda,
      })),
      observations: training.observations,
      conversions: training.conversions,
      baseRate: model.training.baseRate,
      lambda: model.lambda,
      from: new Date(training.from),
      to: new Date(training.to),
      horizonDays: training.horizonDays,
      trainedAt: new Date(training.trainedAt),
      durationMs: training.durationMs,
      fields: section.features.fields,
      topFeatures: strongestFeatures(section),
    };
  }
}
