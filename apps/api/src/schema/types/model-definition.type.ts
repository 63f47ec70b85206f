import { GraphQLJSON } from 'graphql-scalars';
import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CONDITION_OPS, type ConditionValue } from '@quorum/scoring';
import { ActivityTypeEnum } from './enums';

/**
 * The scoring model as GraphQL types that mirror its JSON document field for field:
 * each class is both the output type and (with an `Input` suffix) the input type, so a
 * model read from `scoringModel { definition }` can be sent back unchanged. The engine's
 * validation runs on the same document and names the path of every problem.
 */
export const ConditionOpEnum = Object.fromEntries(CONDITION_OPS.map((op) => [op, op])) as Record<
  string,
  string
>;
registerEnumType(ConditionOpEnum, { name: 'ConditionOp' });
export const NegativeRuleKindEnum = {
  ATTRIBUTE: 'ATTRIBUTE',
  ACTIVITY: 'ACTIVITY',
  INACTIVITY: 'INACTIVITY',
};
registerEnumType(NegativeRuleKindEnum, { name: 'NegativeRuleKind' });

const JSON_VALUE = {
  nullable: true,
  description: 'A string, number, boolean or list, as the op needs.',
};

@ObjectType('AttributeRule')
@InputType('AttributeRuleInput')
export class AttributeRuleDef {
  @Field() id!: string;
  @Field() label!: string;
  @Field({ description: 'e.g. contact.title, account.employeeCount, contact.attributes.plan' })
  field!: string;
  @Field(() => ConditionOpEnum) op!: string;
  @Field(() => GraphQLJSON, JSON_VALUE) value?: ConditionValue;
  @Field(() => Float) points!: number;
}

@ObjectType('PropertyCondition')
@InputType('PropertyConditionInput')
export class PropertyConditionDef {
  @Field({ description: 'An activity property, e.g. url, campaign, channel, topic.' })
  property!: string;
  @Field(() => ConditionOpEnum) op!: string;
  @Field(() => GraphQLJSON, JSON_VALUE) value?: ConditionValue;
}

@ObjectType('EngagementRule')
@InputType('EngagementRuleInput')
export class EngagementRuleDef {
  @Field() id!: string;
  @Field() label!: string;
  @Field(() => ActivityTypeEnum) activityType!: string;
  @Field(() => [PropertyConditionDef], { nullable: true }) where?: PropertyConditionDef[];
  @Field(() => Float) points!: number;
  @Field(() => Int, {
    nullable: true,
    description: 'Counts at most this many activities, newest first.',
  })
  maxCount?: number | null;
  @Field(() => Float, {
    nullable: true,
    description: "Overrides the model's half-life; null: no decay.",
  })
  halfLifeDays?: number | null;
  @Field({ nullable: true }) overridesToTopTier?: boolean;
  @Field(() => Float, { nullable: true }) overrideDays?: number | null;
}

@ObjectType('NegativeRule')
@InputType('NegativeRuleInput')
export class NegativeRuleDef {
  @Field(() => NegativeRuleKindEnum) kind!: string;
  @Field() id!: string;
  @Field() label!: string;
  @Field(() => Float, { description: 'Subtracted from the total.' }) points!: number;
  @Field({ nullable: true, description: 'ATTRIBUTE rules.' }) field?: string;
  @Field(() => ConditionOpEnum, { nullable: true }) op?: string;
  @Field(() => GraphQLJSON, JSON_VALUE) value?: ConditionValue;
  @Field(() => ActivityTypeEnum, { nullable: true, description: 'ACTIVITY rules.' })
  activityType?: string;
  @Field(() => [PropertyConditionDef], { nullable: true }) where?: PropertyConditionDef[];
  @Field(() => Int, { nullable: true }) maxCount?: number | null;
  @Field(() => Float, { nullable: true }) halfLifeDays?: number | null;
  @Field(() => Float, { nullable: true, description: 'INACTIVITY rules.' }) inactiveDays?: number;
}

@ObjectType('TierBand')
@InputType('TierBandInput')
export class TierBandDef {
  @Field() name!: string;
  @Field(() => Float, {
    description:
      'The lowest total in the tier; for a tier set by share, the minimum until enough scores place the share.',
  })
  min!: number;
  @Field(() => Float, {
    nullable: true,
    description:
      'Set by share of the workspace: this tier and those above hold the top share of the scores (0.1: the top 10%), kept current as scores move. Leave out on the lowest tier.',
  })
  topShare?: number | null;
  @Field(() => Float, { nullable: true, description: 'Reached only with fit at least this.' })
  minFit?: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Reached only with engagement at least this.',
  })
  minEngagement?: number | null;
}

@ObjectType('GradeBand')
@InputType('GradeBandInput')
export class GradeBandDef {
  @Field() grade!: string;
  @Field(() => Float) minFit!: number;
}

@ObjectType('FitSection')
@InputType('FitSectionInput')
export class FitSectionDef {
  @Field(() => Float) max!: number;
  @Field(() => [AttributeRuleDef]) rules!: AttributeRuleDef[];
}

@ObjectType('EngagementSection')
@InputType('EngagementSectionInput')
export class EngagementSectionDef {
  @Field(() => Float) max!: number;
  @Field(() => Float, { nullable: true }) halfLifeDays!: number | null;
  @Field(() => Float, { nullable: true }) lookbackDays!: number | null;
  @Field(() => [EngagementRuleDef]) rules!: EngagementRuleDef[];
}

@ObjectType('NegativeSection')
@InputType('NegativeSectionInput')
export class NegativeSectionDef {
  @Field(() => [NegativeRuleDef]) rules!: NegativeRuleDef[];
}

@ObjectType('QuadrantThresholds')
@InputType('QuadrantThresholdsInput')
export class QuadrantThresholdsDef {
  @Field(() => Float) fitThreshold!: number;
  @Field(() => Float) engagementThreshold!: number;
}

@ObjectType('LifecycleThresholds')
@InputType('LifecycleThresholdsInput')
export class LifecycleThresholdsDef {
  @Field(() => Float) mql!: number;
  @Field(() => Float) sql!: number;
  @Field(() => Float, {
    description: 'Below MQL at least this long before a return counts as reactivated.',
  })
  dormantDays!: number;
  @Field(() => Float, {
    nullable: true,
    description:
      'MQL and SQL need engagement at least this as well as the total: fit alone never qualifies a lead.',
  })
  minEngagement?: number | null;
}

@ObjectType('RollupSection')
@InputType('RollupSectionInput')
export class RollupSectionDef {
  @Field(() => Int) topN!: number;
  @Field(() => Float) factor!: number;
  @Field(() => Float) max!: number;
}

@ObjectType('RecencyBand')
@InputType('RecencyBandInput')
export class RecencyBandDef {
  @Field(() => Float) withinDays!: number;
  @Field(() => Float) points!: number;
}

@ObjectType('CommitteeSection')
@InputType('CommitteeSectionInput')
export class CommitteeSectionDef {
  @Field(() => Float) engagementThreshold!: number;
  @Field(() => Float) windowDays!: number;
  @Field(() => Float) engagedContactPoints!: number;
  @Field(() => Int) engagedContactsCap!: number;
  @Field(() => Float) coveragePoints!: number;
  @Field(() => Float) decisionMakerPoints!: number;
  @Field(() => Float) surgePoints!: number;
  @Field(() => Float) surgeRatio!: number;
  @Field(() => Int) surgeMinActivities!: number;
  @Field(() => [RecencyBandDef]) recency!: RecencyBandDef[];
  @Field(() => Float) max!: number;
}

@ObjectType('IntentSection')
@InputType('IntentSectionInput')
export class IntentSectionDef {
  @Field(() => Float) max!: number;
  @Field(() => Float, { nullable: true }) halfLifeDays!: number | null;
  @Field(() => Float, { nullable: true }) lookbackDays!: number | null;
  @Field(() => [EngagementRuleDef]) rules!: EngagementRuleDef[];
}

@ObjectType('AccountModelSection')
@InputType('AccountModelSectionInput')
export class AccountModelSectionDef {
  @Field(() => FitSectionDef) fit!: FitSectionDef;
  @Field(() => RollupSectionDef) rollup!: RollupSectionDef;
  @Field(() => CommitteeSectionDef) committee!: CommitteeSectionDef;
  @Field(() => IntentSectionDef) intent!: IntentSectionDef;
  @Field(() => [TierBandDef]) tiers!: TierBandDef[];
  @Field(() => QuadrantThresholdsDef) quadrant!: QuadrantThresholdsDef;
}

@ObjectType('ScoringModelDefinition')
@InputType('ScoringModelDefinitionInput')
export class ScoringModelDefinitionDef {
  @Field(() => FitSectionDef) fit!: FitSectionDef;
  @Field(() => EngagementSectionDef) engagement!: EngagementSectionDef;
  @Field(() => NegativeSectionDef) negative!: NegativeSectionDef;
  @Field(() => [TierBandDef]) tiers!: TierBandDef[];
  @Field(() => [GradeBandDef]) grades!: GradeBandDef[];
  @Field(() => QuadrantThresholdsDef) quadrant!: QuadrantThresholdsDef;
  @Field(() => LifecycleThresholdsDef) lifecycle!: LifecycleThresholdsDef;
  @Field(() => AccountModelSectionDef, {
    nullable: true,
    description: 'Defaults apply when left out.',
  })
  account?: AccountModelSectionDef;
}
