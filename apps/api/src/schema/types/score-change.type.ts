import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ScoreReason } from './lead-score.type';

@ObjectType()
export class ScoreValues {
  @Field(() => Float)
  total!: number;

  @Field()
  tier!: string;
}

@ObjectType()
export class LeadScoreValues extends ScoreValues {
  @Field(() => Float)
  fit!: number;

  @Field(() => Float)
  engagement!: number;

  @Field(() => Float)
  negative!: number;
}

@ObjectType()
export class AccountScoreValues extends ScoreValues {
  @Field(() => Float)
  fit!: number;

  @Field(() => Float)
  engagement!: number;
}

@ObjectType({ description: "A contact's score moved." })
export class LeadScoreChange {
  @Field(() => ID, { description: 'Pass it as `since` to resume after this event.' })
  eventId!: string;

  @Field(() => ID)
  contactId!: string;

  @Field(() => ID, { nullable: true })
  accountId!: string | null;

  @Field(() => ScoreValues, { nullable: true, description: 'Null for a first score.' })
  old!: ScoreValues | null;

  @Field(() => LeadScoreValues)
  new!: LeadScoreValues;

  @Field(() => [ScoreReason], { description: 'Reasons of the new score.' })
  reasons!: ScoreReason[];

  @Field()
  cause!: string;

  @Field(() => ID)
  modelVersionId!: string;

  @Field({ description: 'ISO 8601.' })
  at!: string;
}

@ObjectType({ description: "An account's score moved." })
export class AccountScoreChange {
  @Field(() => ID)
  eventId!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => ScoreValues, { nullable: true })
  old!: ScoreValues | null;

  @Field(() => AccountScoreValues)
  new!: AccountScoreValues;

  @Field(() => [ScoreReason])
  reasons!: ScoreReason[];

  @Field()
  cause!: string;

  @Field(() => ID)
  modelVersionId!: string;

  @Field()
  at!: string;
}

@ObjectType({
  description: "A contact's lifecycle stage moved, or a dormant lead was reactivated.",
})
export class LifecycleStageChange {
  @Field(() => ID)
  eventId!: string;

  @Field(() => ID)
  contactId!: string;

  @Field()
  from!: string;

  @Field()
  to!: string;

  @Field()
  reactivated!: boolean;

  @Field(() => Float)
  total!: number;

  @Field()
  cause!: string;

  @Field(() => ID)
  modelVersionId!: string;

  @Field()
  at!: string;
}

@ObjectType()
export class ScoringBackfillProgress {
  @Field(() => ID)
  eventId!: string;

  @Field(() => ID)
  backfillId!: string;

  @Field()
  status!: string;

  @Field(() => Int)
  total!: number;

  @Field(() => Int)
  done!: number;

  @Field(() => Int)
  failed!: number;

  @Field()
  at!: string;
}

@InputType()
export class LeadScoreChangeFilter {
  @Field(() => [ID], { nullable: true })
  contactIds?: string[];

  @Field(() => [ID], { nullable: true })
  accountIds?: string[];

  @Field(() => [String], { nullable: true, description: 'Tiers of the new score.' })
  tiers?: string[];

  @Field(() => Float, { nullable: true, description: 'New total at least this.' })
  minTotal?: number;

  @Field({ nullable: true, description: 'Only changes that moved the tier.' })
  tierChangesOnly?: boolean;
}

@InputType()
export class AccountScoreChangeFilter {
  @Field(() => [ID], { nullable: true })
  accountIds?: string[];

  @Field(() => [String], { nullable: true })
  tiers?: string[];

  @Field({ nullable: true })
  tierChangesOnly?: boolean;

  @Field(() => Float, {
    nullable: true,
    description: 'Only moves of at least this size, up or down.',
  })
  minDelta?: number;
}

export const LifecycleChangeKindEnum = {
  MQL: 'MQL',
  SQL: 'SQL',
  REACTIVATED: 'REACTIVATED',
} as const;
registerEnumType(LifecycleChangeKindEnum, { name: 'LifecycleChangeKind' });

@InputType()
export class LifecycleStageChangeFilter {
  @Field(() => [LifecycleChangeKindEnum], { nullable: true })
  stages?: (keyof typeof LifecycleChangeKindEnum)[];
}
