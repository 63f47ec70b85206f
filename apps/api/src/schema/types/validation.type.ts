import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

@ObjectType()
export class TierConversion {
  @Field() tier!: string;
  @Field(() => Int) count!: number;
  @Field(() => Int) conversions!: number;
  @Field(() => Float, { nullable: true }) rate!: number | null;
  @Field(() => Float, { nullable: true, description: 'rate / base rate.' }) lift!: number | null;
  @Field(() => Float, { nullable: true }) shareOfConversions!: number | null;
}

@ObjectType()
export class CalibrationBin {
  @Field(() => Int) bin!: number;
  @Field(() => Int) count!: number;
  @Field(() => Float) meanPredicted!: number;
  @Field(() => Float) observedRate!: number;
  @Field(() => Int) conversions!: number;
}

@ObjectType()
export class LiftDecile {
  @Field(() => Int, { description: '1 = highest scores.' }) decile!: number;
  @Field(() => Int) count!: number;
  @Field(() => Int) conversions!: number;
  @Field(() => Float) rate!: number;
  @Field(() => Float) lift!: number;
  @Field(() => Float) cumulativeCapture!: number;
}

@ObjectType({
  description: 'Does this model predict conversion? Scored as of each window start, no look-ahead.',
})
export class ModelValidationReport {
  @Field(() => ID) versionId!: string;
  @Field() from!: Date;
  @Field() to!: Date;
  @Field(() => Int) horizonDays!: number;
  @Field(() => Int, { description: 'Observations: contacts × windows.' }) total!: number;
  @Field(() => Int) conversions!: number;
  @Field(() => Float, { nullable: true }) baseRate!: number | null;
  @Field(() => [TierConversion], { description: 'Top tier first.' }) tiers!: TierConversion[];
  @Field({ description: 'Conversion never rises from a tier to a lower one.' }) monotonic!: boolean;
  @Field(() => Float, { nullable: true, description: 'ROC AUC of the total.' }) auc!: number | null;
  @Field(() => Float, { nullable: true }) brier!: number | null;
  @Field(() => [CalibrationBin], { nullable: true }) calibration!: CalibrationBin[] | null;
  @Field(() => [LiftDecile]) lift!: LiftDecile[];
  @Field({ description: 'predictive, weak, not predictive, or not enough data.' }) verdict!: string;
  @Field() reason!: string;
  @Field({
    description:
      'How totals became probabilities for Brier and calibration: model-probability (a PREDICTIVE version’s own probability, the total users see ÷ 100) or platt-scaling-5-fold (rules and hybrid scores, mapped out of fold).',
  })
  probabilityMethod!: string;
  @Field({
    description:
      'Validated in the workspace the version was trained in, over a window that overlaps its training window: the figures are partly in-sample.',
  })
  overlapsTraining!: boolean;
}

@ObjectType()
export class ModelComparisonReport {
  @Field(() => ModelValidationReport) champion!: ModelValidationReport;
  @Field(() => ModelValidationReport) challenger!: ModelValidationReport;
  @Field(() => Float, { nullable: true, description: 'challenger − champion.' }) aucDifference!:
    number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'challenger − champion top-tier conversion rate.',
  })
  topTierRateDifference!: number | null;
  @Field() summary!: string;
}

export const LiftDimensionEnum = { CHANNEL: 'CHANNEL', CAMPAIGN: 'CAMPAIGN' } as const;
registerEnumType(LiftDimensionEnum, { name: 'LiftDimension' });

@ObjectType({ description: 'Leads by the channel or campaign of their first touch.' })
export class SourceLift {
  @Field() source!: string;
  @Field(() => Int) leads!: number;
  @Field(() => Float, { nullable: true }) averageScore!: number | null;
  @Field(() => Int) conversions!: number;
  @Field(() => Float) conversionRate!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'conversion rate / the rate over all sources.',
  })
  lift!: number | null;
}

/** A service's validation report as the API shows it: the verdict as two strings. */
export function toValidationReport<T extends { verdict: { verdict: string; reason: string } }>(
  report: T,
): Omit<T, 'verdict'> & { verdict: string; reason: string } {
  return { ...report, verdict: report.verdict.verdict, reason: report.verdict.reason };
}
