import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Connection } from './connection';
import { LifecycleStageEnum } from './enums';

@ObjectType({ description: 'A person, usually at an account.' })
export class Contact {
  workspaceId!: string;

  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true })
  accountId!: string | null;

  @Field()
  email!: string;

  @Field(() => String, { nullable: true })
  firstName!: string | null;

  @Field(() => String, { nullable: true })
  lastName!: string | null;

  @Field(() => String, { nullable: true })
  title!: string | null;

  @Field(() => String, { nullable: true })
  seniority!: string | null;

  @Field(() => String, { nullable: true })
  department!: string | null;

  @Field(() => String, { nullable: true })
  country!: string | null;

  @Field()
  unsubscribed!: boolean;

  @Field(() => LifecycleStageEnum)
  lifecycleStage!: string;

  @Field(() => GraphQLJSONObject)
  attributes!: Record<string, unknown>;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

export const ContactConnection = Connection('Contact', Contact);
export type ContactConnection = InstanceType<typeof ContactConnection>;
