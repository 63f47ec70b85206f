import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { ActivityTypeEnum, BuyingRoleEnum, LifecycleStageEnum, QuadrantEnum } from './enums';
import type { ActivityType } from '@quorum/scoring';
import type { BuyingRole, LifecycleStageName } from '@quorum/services';

@InputType({
  description:
    'An account, keyed by its normalised domain. Left-out fields keep their value; null clears.',
})
export class AccountInput {
  @Field()
  domain!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  industry?: string | null;

  @Field(() => Int, { nullable: true })
  employeeCount?: number | null;

  @Field(() => Float, { nullable: true })
  annualRevenue?: number | null;

  @Field(() => String, { nullable: true })
  country?: string | null;

  @Field(() => String, { nullable: true })
  region?: string | null;

  @Field(() => [String], { nullable: true })
  technologies?: string[] | null;

  @Field(() => String, { nullable: true })
  ownerId?: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  attributes?: Record<string, unknown> | null;
}

@InputType({
  description:
    'A contact, keyed by email. The account is given by id or domain, or matched from the email domain.',
})
export class ContactInput {
  @Field()
  email!: string;

  @Field(() => ID, { nullable: true })
  accountId?: string | null;

  @Field(() => String, { nullable: true })
  accountDomain?: string | null;

  @Field(() => String, { nullable: true })
  firstName?: string | null;

  @Field(() => String, { nullable: true })
  lastName?: string | null;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  seniority?: string | null;

  @Field(() => String, { nullable: true })
  department?: string | null;

  @Field(() => String, { nullable: true })
  country?: string | null;

  @Field(() => Boolean, { nullable: true })
  unsubscribed?: boolean | null;

  @Field(() => LifecycleStageEnum, { nullable: true })
  lifecycleStage?: LifecycleStageName | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  attributes?: Record<string, unknown> | null;
}

@InputType({
  description:
    'One activity. Give exactly one of contactId, email (an unknown email creates the contact), accountId or accountDomain (account-level activity).',
})
export class ActivityInput {
  @Field(() => ActivityTypeEnum)
  type!: ActivityType;

  @Field()
  occurredAt!: Date;

  @Field({
    description:
      'Your id for this activity; a repeated externalId is a duplicate and is stored once.',
  })
  externalId!: string;

  @Field(() => ID, { nullable: true })
  contactId?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => ID, { nullable: true })
  accountId?: string | null;

  @Field(() => String, { nullable: true })
  accountDomain?: string | null;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'url, campaign, channel, topic, ...',
  })
  properties?: Record<string, unknown> | null;
}

@InputType()
export class CreateBuyingGroupInput {
  @Field(() => ID)
  accountId!: string;

  @Field()
  name!: string;

  @Field(() => [BuyingRoleEnum], { defaultValue: [] })
  requiredRoles!: BuyingRole[];
}

@InputType()
export class AccountFilterInput {
  @Field(() => [String], { nullable: true })
  domains?: string[] | null;

  @Field(() => [String], { nullable: true })
  industries?: string[] | null;

  @Field(() => [String], { nullable: true })
  ownerIds?: string[] | null;

  @Field(() => [String], { nullable: true })
  countries?: string[] | null;

  @Field(() => Int, { nullable: true })
  minEmployees?: number | null;

  @Field(() => Int, { nullable: true })
  maxEmployees?: number | null;

  @Field(() => String, { nullable: true, description: 'Substring of the domain or name.' })
  search?: string | null;

  @Field(() => [String], { nullable: true, description: 'Tiers of the stored account score.' })
  tiers?: string[] | null;

  @Field(() => Float, { nullable: true })
  minTotal?: number | null;

  @Field(() => QuadrantEnum, { nullable: true })
  quadrant?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Engagement velocity above the surge ratio.',
  })
  surging?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  decisionMakerEngaged?: boolean | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Committee coverage (0–1) strictly below this.',
  })
  coverageBelow?: number | null;
}

@InputType()
export class ContactFilterInput {
  @Field(() => [ID], { nullable: true })
  accountIds?: string[] | null;

  @Field(() => [String], { nullable: true })
  emails?: string[] | null;

  @Field(() => [LifecycleStageEnum], { nullable: true })
  lifecycleStages?: string[] | null;

  @Field(() => [String], { nullable: true })
  seniorities?: string[] | null;

  @Field(() => [String], { nullable: true })
  departments?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  unsubscribed?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Substring of the email, name or title.' })
  search?: string | null;

  @Field(() => [String], { nullable: true, description: 'Tiers of the stored lead score.' })
  tiers?: string[] | null;

  @Field(() => Float, { nullable: true })
  minTotal?: number | null;

  @Field(() => QuadrantEnum, { nullable: true })
  quadrant?: string | null;
}
