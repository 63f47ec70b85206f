import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { OUTCOME_TYPES, type OutcomeType } from '@quorum/services';

export const OutcomeTypeEnum = Object.fromEntries(OUTCOME_TYPES.map((t) => [t, t])) as Record<
  OutcomeType,
  OutcomeType
>;
registerEnumType(OutcomeTypeEnum, { name: 'OutcomeType' });

@InputType({
  description:
    'What really happened to a contact or account. Give exactly one of contactId or accountId.',
})
export class OutcomeInput {
  @Field(() => ID, { nullable: true })
  contactId?: string | null;

  @Field(() => ID, { nullable: true })
  accountId?: string | null;

  @Field(() => OutcomeTypeEnum)
  type!: OutcomeType;

  @Field()
  occurredAt!: Date;

  @Field(() => Float, { nullable: true })
  amount?: number | null;

  @Field({ description: 'Your id for this outcome; a repeated externalId is stored once.' })
  externalId!: string;
}

@ObjectType()
export class RecordOutcomesPayload {
  @Field(() => Int)
  accepted!: number;

  @Field(() => Int)
  duplicates!: number;
}
