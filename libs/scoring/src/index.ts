export {
  ACTIVITY_TYPES,
  BUYING_ROLES,
  CONDITION_OPS,
  DECISION_ROLES,
  isActivityType,
  isBuyingRole,
  isConditionOp,
  type AccountModelSection,
  type ActivityType,
  type BuyingRoleName,
  type AttributeRule,
  type ConditionOp,
  type ConditionValue,
  type EngagementRule,
  type GradeBand,
  type NegativeRule,
  type FeatureSetV2,
  type FieldFeature,
  type LegacyFeatureSet,
  type PredictiveFeatureSet,
  type PropertyFeature,
  type PredictiveSection,
  type PredictiveTrainingInfo,
  type PropertyCondition,
  type RecencyBand,
  type ScoringModelDefinition,
  type TierBand,
} from './model-definition';
export type {
  AccountActivityInput,
  AccountBuyingGroupInput,
  AccountContactInput,
  AccountFacts,
  ActivityFacts,
  ContactFacts,
} from './facts';
export type {
  AccountScore,
  AccountSignals,
  AccountVelocity,
  BuyingGroupMemberScore,
  BuyingGroupScore,
} from './account-score';
export type {
  LeadScore,
  Quadrant,
  QuadrantAction,
  ReasonCategory,
  ScoreReason,
} from './lead-score';
export { FIELDS, resolveFieldType, type FieldType, type ResolvedFieldType } from './fields';
export {
  ACCOUNT_FIT_CAP_RULE_ID,
  COMMITTEE_CAP_RULE_ID,
  COMMITTEE_RULE_IDS,
  DEFAULT_ROLLUP_FACTOR,
  DEFAULT_ROLLUP_TOP_N,
  ENGAGEMENT_CAP_RULE_ID,
  FIT_CAP_RULE_ID,
  INTENT_CAP_RULE_ID,
  MAX_ROLLUP_TOP_N,
  ROLLUP_CAP_RULE_ID,
  ROLLUP_RULE_ID_PREFIX,
  validateModelDefinition,
  type ModelValidationIssue,
  type ModelValidationResult,
} from './validate-model';
export { compileModel, InvalidScoringModelError, type CompiledModel } from './compile-model';
export { scoreLead } from './score-lead';
export {
  contactActivityWindows,
  countContactActivity,
  scoreAccount,
  type AccountScoringOptions,
  type ContactActivityCounts,
} from './score-account';
export { QUADRANT_ACTIONS, pickTier, type TierCutoffs } from './tiers';
export { defaultAccountSection, defaultModelDefinition } from './default-model';
export {
  nextLifecycle,
  type LifecycleStage,
  type LifecycleState,
  type LifecycleStep,
  type LifecycleTransition,
} from './lifecycle';
export { DAY_MS } from './decay';
export {
  activityCountsBefore,
  largestRemainder,
  predictiveFeatureRow,
  predictedTotal,
  predictiveParts,
  predictiveTotal,
  type PredictiveTotal,
} from './predictive-score';
export {
  ABSENT_MATERIAL_POINTS,
  HYBRID_RULES_CAP_RULE_ID,
  MAX_NAMED_REASONS,
  PREDICTIVE_BASELINE_RULE_ID,
  PREDICTIVE_MISSING_RULE_ID,
  PREDICTIVE_OTHER_RULE_ID,
  PREDICTIVE_RULE_ID_PREFIX,
  activityLabel,
  fieldLabel,
} from './predictive-reasons';
export {
  ACTIVITY_FEATURE_PREFIX,
  ANY_ACTIVITY,
  DEFAULT_HALF_LIVES_DAYS,
  ENGAGEMENT_FEATURE_PREFIX,
  extractAccountFeatures,
  extractFeatures,
  featureColumns,
  isFeatureSetV2,
  type AccountContactHistory,
  type Contributors,
  type ColumnType,
  type FeatureColumn,
} from './predictive-features';
export {
  discoverFeatures,
  matchesPattern,
  MAX_ATTRIBUTE_FIELDS,
  MAX_PROPERTIES,
  type DiscoverySample,
  type FeatureDiscovery,
  type FeatureSelection,
  type SkippedFeature,
} from './discover-features';
export {
  candidateRules,
  MAX_NEW_RULES,
  POINTS_PER_LOG_ODDS,
  pointsOf,
  probeModel,
  probeRuleIds,
  ruleActivations,
  suggestedDefinition,
  type LabelledSample,
  type RuleCandidate,
} from './suggest-model';
