import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Connection } from './connection';
import { ActivityTypeEnum } from './enums';

@ObjectType({ description: 'Something a contact (or an account) did at a time.' })
export class Activity {
  @Field(() => ID)
  id!: string;

  @Field(() => ActivityTypeEnum)
  type!: string;

  @Field()
  occurredAt!: Date;

  @Field(() => GraphQLJSONObject)
  properties!: Record<string, unknown>;

  @Field()
  externalId!: string;

  @Field(() => ID, { nullable: true })
  contactId!: string | null;

  @Field(() => ID, { nullable: true })
  accountId!: string | null;

  @Field()
  receivedAt!: Date;
}

export const ActivityConnection = Connection('Activity', Activity);
export type ActivityConnection = InstanceType<typeof ActivityConnection>;
