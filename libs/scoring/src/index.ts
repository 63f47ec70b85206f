export {
  ACTIVITY_TYPES,
  CONDITION_OPS,
  isActivityType,
  isConditionOp,
  type ActivityType,
  type AttributeRule,
  type ConditionOp,
  type ConditionValue,
  type EngagementRule,
  type GradeBand,
  type NegativeRule,
  type PropertyCondition,
  type ScoringModelDefinition,
  type TierBand,
} from './model-definition';
export type { AccountFacts, ActivityFacts, ContactFacts } from './facts';
export type {
  LeadScore,
  Quadrant,
  QuadrantAction,
  ReasonCategory,
  ScoreReason,
} from './lead-score';
export { FIELDS, resolveFieldType, type FieldType, type ResolvedFieldType } from './fields';
export {
  ENGAGEMENT_CAP_RULE_ID,
  FIT_CAP_RULE_ID,
  validateModelDefinition,
  type ModelValidationIssue,
  type ModelValidationResult,
} from './validate-model';
export { compileModel, InvalidScoringModelError, type CompiledModel } from './compile-model';
export { scoreLead } from './score-lead';
export { QUADRANT_ACTIONS } from './tiers';
export { defaultModelDefinition } from './default-model';
export {
  nextLifecycle,
  type LifecycleStage,
  type LifecycleState,
  type LifecycleStep,
  type LifecycleTransition,
} from './lifecycle';
export { DAY_MS } from './decay';
