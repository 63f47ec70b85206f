import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Account } from './account.type';
import { Connection } from './connection';
import { Contact } from './contact.type';
import { ScoreReason } from './lead-score.type';

@ObjectType()
export class EngagementVelocity {
  @Field(() => Int, { description: 'Activities of the last 7 days.' })
  last7Days!: number;

  @Field(() => Float, { description: 'Weekly average of the 4 weeks before.' })
  weeklyAverage!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'last7Days / weeklyAverage; null when the average is 0.',
  })
  ratio!: number | null;

  @Field()
  surging!: boolean;
}

@ObjectType({ description: 'Buying-committee signals behind an account score.' })
export class AccountSignals {
  @Field(() => Int)
  engagedContacts!: number;

  @Field(() => Float, {
    description: 'Share (0–1) of required roles, across buying groups, covered by engaged members.',
  })
  coverage!: number;

  @Field()
  decisionMakerEngaged!: boolean;

  @Field(() => EngagementVelocity)
  velocity!: EngagementVelocity;

  @Field(() => Int, { nullable: true })
  daysSinceLastActivity!: number | null;

  @Field(() => Date, { nullable: true })
  lastActivityAt!: Date | null;
}

@ObjectType({
  description: "An account's stored score: fit + contact roll-up + committee + intent.",
})
export class AccountScore {
  @Field(() => Float)
  fit!: number;

  @Field(() => Float, {
    description: 'Contact totals high to low, weighted 1, ½, ¼, … over the top N.',
  })
  rollup!: number;

  @Field(() => Float)
  committee!: number;

  @Field(() => Float)
  intent!: number;

  @Field(() => Float, { description: 'rollup + committee + intent.' })
  engagement!: number;

  @Field(() => Float)
  total!: number;

  @Field(() => Float, { description: "The total's last move (new − old)." })
  scoreChange!: number;

  @Field()
  tier!: string;

  @Field({ description: 'When the account entered its current tier.' })
  tierSince!: Date;

  @Field()
  quadrant!: string;

  @Field()
  action!: string;

  @Field(() => AccountSignals)
  signals!: AccountSignals;

  @Field(() => [ScoreReason], {
    description: 'Sorted by impact; they add up exactly to the total.',
  })
  reasons!: ScoreReason[];

  @Field(() => ID)
  modelVersionId!: string;

  @Field()
  computedAt!: Date;
}

@ObjectType()
export class TierCount {
  @Field()
  tier!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class TrendPoint {
  @Field({ description: 'Start of the day or week.' })
  bucket!: Date;

  @Field(() => Float, { description: 'The total at the end of the bucket.' })
  total!: number;

  @Field()
  tier!: string;
}

@ObjectType()
export class ScoreMover {
  @Field(() => Account)
  account!: Account;

  @Field(() => Float, { nullable: true })
  previousTotal!: number | null;

  @Field(() => Float)
  total!: number;

  @Field(() => Float)
  delta!: number;
}

@ObjectType({
  description:
    'A lead or account to work now, with how long it has waited since it became sales-ready.',
})
export class WorkQueueItem {
  @Field({ description: 'ACCOUNT or CONTACT.' })
  kind!: string;

  @Field(() => Account)
  account!: Account;

  @Field(() => Contact, { nullable: true })
  contact!: Contact | null;

  @Field(() => Float)
  total!: number;

  @Field()
  tier!: string;

  @Field()
  waitingSince!: Date;

  @Field(() => Int)
  waitingMinutes!: number;

  @Field({ description: 'Waited longer than the one-hour response window.' })
  overdue!: boolean;
}

@ObjectType()
export class AccountScoreHistoryEntry {
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

  @Field()
  cause!: string;

  @Field()
  at!: Date;
}

export const AccountScoreHistoryConnection = Connection(
  'AccountScoreHistory',
  AccountScoreHistoryEntry,
);
export type AccountScoreHistoryConnection = InstanceType<typeof AccountScoreHistoryConnection>;
