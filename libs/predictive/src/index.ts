export { createRng, normal, shuffled, type Rng } from './rng';
export { assertLabels, countOutcomes, type Label, type OutcomeCounts } from './labels';
export { assertProbabilities, logit, sigmoid } from './probabilities';
export { averageRanks, rocAuc } from './roc-auc';
export { brierScore, logLoss } from './brier-score';
export { equalCountBins } from './equal-count-bins';
export { calibrationTable, type CalibrationRow } from './calibration-table';
export { liftByDecile, type LiftRow } from './lift-by-decile';
export {
  firstMonotonicBreak,
  isMonotonic,
  tierReport,
  type TierReport,
  type TierStat,
} from './tier-report';
export {
  VERDICT_THRESHOLDS,
  verdict,
  type Verdict,
  type VerdictInput,
  type VerdictLabel,
} from './verdict';
export {
  buildValidationReport,
  compareReports,
  type ModelComparison,
  type ValidationInput,
  type ValidationReport,
} from './validation-report';
export {
  DEFAULT_MIN_COUNT,
  DEFAULT_NUMERIC_BINS,
  MISSING_LEVEL,
  OTHER_LEVEL,
  type CategoricalColumnSpec,
  type ColumnSpec,
  type FeatureRow,
  type FeatureSpec,
  type FeatureValue,
  type InteractionSpec,
  type NumericColumnSpec,
} from './feature-spec';
export { binIndex, binLabel, hatWeights, quantileCuts, quantileKnots } from './quantile-bins';
export {
  fitEncoder,
  type CategoricalGroup,
  type Encoder,
  type EncoderGroup,
  type InteractionGroup,
  type NumericGroup,
} from './encoder';
export { encode, encodeDense } from './encode';
export { toDense, toSparse, type FeatureVector, type SparseVector } from './sparse-vector';
export {
  NEWTON_MAX_FEATURES,
  linearPredictor,
  predictProbability,
  trainLogistic,
  type LinearModel,
  type LogisticFit,
  type LogisticOptions,
} from './logistic-regression';
export { stratifiedFolds } from './stratified-folds';
export { selectLambda, type LambdaCandidate, type LambdaChoice } from './select-lambda';
export {
  crossValidate,
  metricsOf,
  type CrossValidationOptions,
  type CrossValidationResult,
  type CrossValidationSummary,
  type FoldResult,
  type Metrics,
} from './cross-validate';
export {
  topFeatures,
  trainPredictiveModel,
  type FeatureWeight,
  type PredictiveModel,
  type TrainPredictiveOptions,
} from './predictive-model';
export {
  probabilityToScore,
  scorePredictive,
  type FeatureContribution,
  type PredictiveScore,
} from './reason-codes';
export { hybridScore, type HybridInput, type HybridScore } from './hybrid-score';
export { assertEnoughOutcomes, ColdStartError, MIN_CONVERSIONS } from './cold-start';
export { decayedEngagementCounts, type TimedActivity } from './engagement-features';
export { detectDelimiter, parseCsv, type ParsedCsv } from './csv';
export {
  buildDataset,
  defaultSpec,
  inferColumnKind,
  type ColumnKind,
  type Dataset,
  type DatasetOptions,
} from './dataset';
export { formatCount, formatNumber, formatPercent } from './format';
export { BANK_MARKETING_SPEC, LEAKY_COLUMNS, matchesBankMarketing } from './bank-marketing-spec';
export {
  parseGbdtModel,
  type GbdtModel,
  type GbdtTrainingSummary,
  type GbdtTree,
} from './trees/gbdt-model';
export { trainGbdt, type GbdtOptions } from './trees/train-gbdt';
export { predictGbdtLogit, predictGbdtLogits, predictGbdtProbability } from './trees/predict-gbdt';
export { prepareTreeShap, treeShap, treeShapTableSize } from './trees/tree-shap';
export { treeShapReference, type TreeShapResult } from './trees/tree-shap-reference';
export { groupFolds, stableHash } from './selection/group-folds';
export { LEVEL_MIN_COUNT, NUMBER_KNOTS, type TabularColumn } from './selection/tabular-column';
export { LOGISTIC_LAMBDA_GRID, logisticSpec } from './selection/logistic-learner';
export { fitCandidate, predictLogit, predictProbabilities } from './selection/learners';
export {
  columnImportance,
  contributionsByName,
  explainModel,
  measureImportance,
  type Explanation,
  type ModelKind,
  type TrainedModel,
} from './selection/trained-model';
export { LEAK_AUC, leakWarnings } from './selection/leak-warnings';
export {
  OUT_OF_TIME_MIN_OUTCOMES,
  OUT_OF_TIME_SHARE,
  outOfTime,
  type OutOfTimeResult,
} from './selection/out-of-time';
export {
  AUC_MARGIN,
  selectModel,
  type CrossValidatedKind,
  type FoldMetrics,
  type ModelEvaluation,
  type SelectModelOptions,
  type SelectedModel,
} from './selection/select-model';
export { CALIBRATION_FOLDS, crossFittedProbabilities } from './selection/platt-scaling';
export {
  encodeTreeRow,
  fitTrees,
  TREE_OPTIONS,
  type TreeColumnEncoding,
  type TreeModel,
} from './selection/tree-learner';
