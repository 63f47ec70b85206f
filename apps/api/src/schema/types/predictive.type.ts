import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ScoredEntityEnum } from './enums';
import { CalibrationBin, LiftDecile } from './validation.type';

export const PredictiveModelKindEnum = {
  AUTO: 'AUTO',
  LOGISTIC_REGRESSION: 'LOGISTIC_REGRESSION',
  GRADIENT_BOOSTED_TREES: 'GRADIENT_BOOSTED_TREES',
} as const;
registerEnumType(PredictiveModelKindEnum, {
  name: 'PredictiveModelKind',
  description:
    'AUTO trains both kinds on the same folds and keeps the better by cross-validated AUC.',
});

@InputType({
  description:
    'Feature paths to keep or leave out, `*` matching anything: `contact.attributes.*`, `account.industry`, `activity.PAGE_VIEW`, `activity.properties.campaign`.',
})
export class FeatureSelectionInput {
  @Field(() => [String], { nullable: true, description: 'Keep only these (default: all).' })
  include?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Leave these out.' })
  exclude?: string[] | null;
}

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

  @Field(() => PredictiveModelKindEnum, { defaultValue: 'AUTO' })
  kind!: keyof typeof PredictiveModelKindEnum;

  @Field(() => ScoredEntityEnum, {
    defaultValue: 'CONTACT',
    description:
      'CONTACT: a lead model, from outcomes recorded for contacts. ACCOUNT: an account model, from outcomes recorded for accounts (accountId), reading the account’s fields, its contacts’ activity and its buying roles.',
  })
  entity!: 'CONTACT' | 'ACCOUNT';

  @Field(() => FeatureSelectionInput, {
    nullable: true,
    description:
      'Features are chosen automatically from every field, custom attribute, activity type and categorical activity property the workspace fills; this overrides the choice.',
  })
  features?: FeatureSelectionInput | null;
}

@ObjectType({ description: 'One model kind, cross-validated on the same folds as the others.' })
export class PredictiveCandidate {
  @Field({ description: 'logistic-regression or gradient-boosted-trees.' }) kind!: string;
  @Field(() => Float, { nullable: true }) auc!: number | null;
  @Field(() => Float, { nullable: true }) brier!: number | null;
  @Field(() => Float, { nullable: true }) logLoss!: number | null;
  @Field(() => Float, { nullable: true }) meanFoldAuc!: number | null;
  @Field(() => Float, { nullable: true }) sdFoldAuc!: number | null;
}

@ObjectType({ description: 'Trained on the earlier observation windows, validated on the later.' })
export class OutOfTimeCheck {
  @Field(() => String, { nullable: true, description: 'Why the check could not be made.' })
  unavailable!: string | null;
  @Field(() => Date, { nullable: true, description: 'Observations from here on were held out.' })
  splitAt!: Date | null;
  @Field(() => Int) trainObservations!: number;
  @Field(() => Int) testObservations!: number;
  @Field(() => Float, { nullable: true }) auc!: number | null;
  @Field(() => Float, { nullable: true }) brier!: number | null;
  @Field(() => [CalibrationBin], { nullable: true }) calibration!: CalibrationBin[] | null;
}

@ObjectType({ description: 'A feature column and how much it moves scores on average.' })
export class PredictiveFeatureImportance {
  @Field({ description: 'The column: `contact.seniority`, `activity.EMAIL_CLICK.7d`, …' })
  feature!: string;
  @Field({ description: 'The reason it is explained in: `activity.EMAIL_CLICK`.' }) group!: string;
  @Field({ description: 'number or category.' }) type!: string;
  @Field(() => Float, { description: 'Mean |contribution| in log-odds over the training rows.' })
  importance!: number;
}

@ObjectType()
export class SkippedFeature {
  @Field() path!: string;
  @Field() reason!: string;
}

@ObjectType()
export class PredictiveFoldMetrics {
  @Field(() => Int) fold!: number;
  @Field(() => Int) rows!: number;
  @Field(() => Int) conversions!: number;
  @Field(() => Float, { nullable: true }) auc!: number | null;
  @Field(() => Float) brier!: number;
  @Field(() => Float, { nullable: true, description: 'Logistic regression only.' })
  lambda!: number | null;
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
  @Field({ description: 'logistic-regression or gradient-boosted-trees.' }) kind!: string;
  @Field(() => String, {
    nullable: true,
    description: 'Which kind was kept and why (null for versions trained before the choice).',
  })
  selectionReason!: string | null;
  @Field(() => [PredictiveCandidate]) candidates!: PredictiveCandidate[];
  @Field(() => OutOfTimeCheck, { nullable: true }) outOfTime!: OutOfTimeCheck | null;
  @Field(() => [CalibrationBin], {
    nullable: true,
    description: 'Cross-validated calibration of the probabilities (or hybrid scores) users see.',
  })
  calibration!: CalibrationBin[] | null;
  @Field(() => [LiftDecile], { nullable: true }) lift!: LiftDecile[] | null;
  @Field(() => [String], {
    description: 'Columns that alone nearly separate the outcomes: check they do not record it.',
  })
  warnings!: string[];
  @Field(() => [PredictiveFeatureImportance], {
    description: 'The 30 columns that move scores most, largest first.',
  })
  importance!: PredictiveFeatureImportance[];
  @Field(() => Int, { description: 'Feature columns the model reads.' }) featureCount!: number;
  @Field(() => [SkippedFeature], { description: 'Candidates left out, and why (first 200).' })
  skippedFeatures!: SkippedFeature[];
  @Field(() => Float, { nullable: true }) rulesWeight!: number | null;
  @Field(() => Float, { nullable: true }) predictiveWeight!: number | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'Cross-validated ROC AUC (pooled out-of-fold) of the score users see (a hybrid: of the hybrid score); null when the version holds no cross-validated metrics.',
  })
  auc!: number | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'Cross-validated Brier score of the probability users see (a hybrid: of its score mapped to a probability out of fold); null when the version holds no metrics.',
  })
  brier!: number | null;
  @Field(() => Float, { nullable: true }) meanFoldAuc!: number | null;
  @Field(() => [PredictiveFoldMetrics]) folds!: PredictiveFoldMetrics[];
  @Field(() => Int, { description: 'Training observations: contacts × windows.' })
  observations!: number;
  @Field(() => Int) conversions!: number;
  @Field(() => Float) baseRate!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'L2 penalty chosen by inner cross-validation (logistic regression only).',
  })
  lambda!: number | null;
  @Field() from!: Date;
  @Field() to!: Date;
  @Field(() => Int) horizonDays!: number;
  @Field() trainedAt!: Date;
  @Field(() => Int) durationMs!: number;
  @Field(() => [String], { description: 'Contact and account fields and attributes read.' })
  fields!: string[];
  @Field(() => [PredictiveFeatureWeight], {
    description: 'A logistic regression’s largest |weight| first (15); empty for trees.',
  })
  topFeatures!: PredictiveFeatureWeight[];
}
