import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';

@InputType({ description: 'Relative weights of a hybrid model (normalised to sum to 1).' })
export class HybridWeightsInput {
  @Field(() => Float, { description: 'Weight of the rules score rescaled to 0–100.' })
  rules!: number;

  @Field(() => Float, { description: 'Weight of the probability × 100.' })
  predictive!: number;
}

@InputType()
export class TrainPredictiveModelInput {
  @Field({ description: 'Start of the first observation window.' })
  from!: Date;

  @Field({ description: 'Windows start at from, from + horizon, … while before `to`.' })
  to!: Date;

  @Field(() => Int, { defaultValue: 90, description: 'Conversion within this many days.' })
  horizonDays!: number;

  @Field(() => Int, { defaultValue: 5, description: 'Cross-validation folds, 2–10.' })
  folds!: number;

  @Field(() => ID, {
    nullable: true,
    description:
      'The rules version to build on (its rules still give fit and engagement); default the active one.',
  })
  basedOn?: string | null;

  @Field(() => HybridWeightsInput, {
    nullable: true,
    description: 'Set to train a HYBRID version; leave out for a PREDICTIVE one.',
  })
  hybrid?: HybridWeightsInput | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@ObjectType()
export class PredictiveFoldMetrics {
  @Field(() => Int) fold!: number;
  @Field(() => Int) rows!: number;
  @Field(() => Int) conversions!: number;
  @Field(() => Float, { nullable: true }) auc!: number | null;
  @Field(() => Float) brier!: number;
  @Field(() => Float) lambda!: number;
}

@ObjectType()
export class PredictiveFeatureWeight {
  @Field({ description: 'A one-hot feature or a bin, e.g. `contact.seniority=VP`.' })
  feature!: string;

  @Field(() => Float, { description: 'Log-odds per unit.' })
  weight!: number;
}

@ObjectType({ description: 'The trained model of a PREDICTIVE or HYBRID version.' })
export class PredictiveModelSummary {
  @Field({ description: 'PREDICTIVE or HYBRID.' }) mode!: string;
  @Field(() => Float, { nullable: true }) rulesWeight!: number | null;
  @Field(() => Float, { nullable: true }) predictiveWeight!: number | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'Cross-validated ROC AUC (pooled out-of-fold); null when the version holds no cross-validated metrics.',
  })
  auc!: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Cross-validated Brier score; null when the version holds no metrics.',
  })
  brier!: number | null;
  @Field(() => Float, { nullable: true }) meanFoldAuc!: number | null;
  @Field(() => [PredictiveFoldMetrics]) folds!: PredictiveFoldMetrics[];
  @Field(() => Int, { description: 'Training observations: contacts × windows.' })
  observations!: number;
  @Field(() => Int) conversions!: number;
  @Field(() => Float) baseRate!: number;
  @Field(() => Float, { description: 'L2 penalty chosen by inner cross-validation.' })
  lambda!: number;
  @Field() from!: Date;
  @Field() to!: Date;
  @Field(() => Int) horizonDays!: number;
  @Field() trainedAt!: Date;
  @Field(() => Int) durationMs!: number;
  @Field(() => [String], { description: 'Contact and account fields read.' }) fields!: string[];
  @Field(() => [PredictiveFeatureWeight], { description: 'Largest |weight| first (15).' })
  topFeatures!: PredictiveFeatureWeight[];
}
