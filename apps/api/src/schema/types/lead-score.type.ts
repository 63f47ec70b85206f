import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from './connection';

@ObjectType({
  description: 'One rule that contributed to a score, with its signed, decayed points.',
})
export class ScoreReason {
  @Field()
  ruleId!: string;

  @Field()
  label!: string;

  @Field({
    description:
      'FIT, ENGAGEMENT or NEGATIVE (contacts); ROLLUP, COMMITTEE or INTENT (accounts); PREDICTIVE (a feature of a predictive model, or its baseline) or HYBRID.',
  })
  category!: string;

  @Field(() => Float, {
    description: 'Signed; the reasons of a score add up exactly to its total.',
  })
  points!: number;

  @Field(() => Int, { description: 'Activities this rule counted.' })
  activityCount!: number;

  @Field({
    description:
      'RULE, or CAP when a part was clamped to its maximum or to zero; FEATURE (a feature group of a predictive model, its log-odds contribution on the 0–100 scale) or BASELINE (the average contact).',
  })
  kind!: string;
}

@ObjectType()
export class ScoreOverride {
  @Field()
  ruleId!: string;

  @Field()
  label!: string;

  @Field()
  activityAt!: Date;
}

@ObjectType({ description: 'A score as the engine computes it.' })
export class ScoreBreakdown {
  @Field(() => Float)
  fit!: number;

  @Field(() => Float)
  engagement!: number;

  @Field(() => Float)
  negative!: number;

  @Field(() => Float, {
    description:
      'fit + engagement − negative; under a predictive version 100 × the probability of converting, under a hybrid the weighted mix.',
  })
  total!: number;

  @Field()
  tier!: string;

  @Field()
  grade!: string;

  @Field()
  quadrant!: string;

  @Field({ description: 'ROUTE_NOW, NURTURE_AND_ALERT, REVIEW or DEPRIORITIZE.' })
  action!: string;

  @Field(() => ScoreOverride, {
    nullable: true,
    description: 'Set when a rule forced the top tier.',
  })
  override!: ScoreOverride | null;

  @Field(() => Date, { nullable: true })
  lastActivityAt!: Date | null;

  @Field(() => [ScoreReason], { description: 'Sorted by impact.' })
  reasons!: ScoreReason[];
}

@ObjectType({ description: "A contact's stored score under the active model version." })
export class LeadScore extends ScoreBreakdown {
  @Field(() => ID)
  modelVersionId!: string;

  @Field()
  computedAt!: Date;
}

@ObjectType()
export class ScoreHistoryEntry {
  @Field(() => ID)
  id!: string;

  @Field(() => Float, { nullable: true })
  oldTotal!: number | null;

  @Field(() => Float)
  newTotal!: number;

  @Field(() => String, { nullable: true })
  oldTier!: string | null;

  @Field()
  newTier!: string;

  @Field({ description: 'What caused the change, e.g. ACTIVITY or MODEL_PUBLISHED.' })
  cause!: string;

  @Field(() => ID)
  modelVersionId!: string;

  @Field()
  at!: Date;
}

export const ScoreHistoryConnection = Connection('ScoreHistory', ScoreHistoryEntry);
export type ScoreHistoryConnection = InstanceType<typeof ScoreHistoryConnection>;
