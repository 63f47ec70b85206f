import { columnImportance, topFeatures, type Metrics } from '@quorum/predictive';
import { featureColumns, isFeatureSetV2, type PredictiveSection } from '@quorum/scoring';

/** Stored JSON holds an undefined metric (NaN) as null; both read as null. */
const finiteOrNull = (n: number | null | undefined): number | null =>
  typeof n === 'number' && Number.isFinite(n) ? n : null;

const IMPORTANCE_SHOWN = 30;

/**
 * What a PREDICTIVE or HYBRID version says about its model, for the API: the version's own
 * metrics (of the score users see), how its kind was chosen, the out-of-time check, warnings,
 * and which features move scores most. Versions trained before the choice existed report their
 * logistic regression's stored cross-validation.
 */
export function predictiveSummary(section: PredictiveSection) {
  const { model, training, evaluation } = section;
  const chosen = evaluation?.candidates.find((c) => c.kind === evaluation.chosen);
  const shown: Metrics | null = evaluation
    ? (evaluation.shownScore ?? chosen?.pooled ?? null)
    : ((model.kind === 'logistic-regression' ? model.metrics?.pooled : null) ?? null);
  const legacyMetrics = model.kind === 'logistic-regression' ? model.metrics : null;
  const folds = chosen
    ? chosen.folds.map((f) => ({ ...f, auc: finiteOrNull(f.auc), lambda: null }))
    : (legacyMetrics?.folds ?? []).map((f) => ({ ...f, auc: finiteOrNull(f.auc) }));
  const columns = featureColumns(section.features);
  const groupOf = new Map(columns.map((c) => [c.name, c]));
  const importance = [...columnImportance(model)]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, IMPORTANCE_SHOWN)
    .map(([feature, value]) => ({
      feature,
      group: groupOf.get(feature)?.group ?? feature,
      type: groupOf.get(feature)?.type ?? 'number',
      importance: value,
    }));
  const ootMetrics = evaluation?.outOfTime.metrics ?? null;
  return {
    mode: section.mode,
    kind: model.kind,
    selectionReason: evaluation?.reason ?? null,
    candidates: (evaluation?.candidates ?? []).map((c) => ({
      kind: c.kind,
      auc: finiteOrNull(c.pooled.auc),
      brier: finiteOrNull(c.pooled.brier),
      logLoss: finiteOrNull(c.pooled.logLoss),
      meanFoldAuc: finiteOrNull(c.meanAuc),
      sdFoldAuc: finiteOrNull(c.sdAuc),
    })),
    outOfTime: evaluation
      ? {
          unavailable: evaluation.outOfTime.unavailable,
          splitAt: evaluation.outOfTime.splitAt ? new Date(evaluation.outOfTime.splitAt) : null,
          trainObservations: evaluation.outOfTime.trainRows,
          testObservations: evaluation.outOfTime.testRows,
          auc: finiteOrNull(ootMetrics?.auc),
          brier: finiteOrNull(ootMetrics?.brier),
          calibration: ootMetrics?.calibration ?? null,
        }
      : null,
    calibration: shown?.calibration ?? null,
    lift: shown?.lift ?? null,
    warnings: evaluation?.warnings ?? [],
    importance,
    featureCount: columns.length,
    skippedFeatures: section.discovery?.skipped ?? [],
    rulesWeight: section.weights?.rules ?? null,
    predictiveWeight: section.weights?.predictive ?? null,
    auc: finiteOrNull(shown?.auc),
    brier: finiteOrNull(shown?.brier),
    meanFoldAuc: finiteOrNull(chosen ? chosen.meanAuc : legacyMetrics?.meanAuc),
    folds,
    observations: training.observations,
    conversions: training.conversions,
    baseRate: model.training.baseRate,
    lambda: model.kind === 'logistic-regression' ? model.lambda : null,
    from: new Date(training.from),
    to: new Date(training.to),
    horizonDays: training.horizonDays,
    trainedAt: new Date(training.trainedAt),
    durationMs: training.durationMs,
    fields: isFeatureSetV2(section.features)
      ? section.features.fields.map((f) => f.path)
      : section.features.fields,
    topFeatures:
      model.kind === 'logistic-regression'
        ? topFeatures(model, 15).map((f) => ({ feature: f.feature, weight: f.weight }))
        : [],
  };
}
