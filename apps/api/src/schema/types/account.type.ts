import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from './connection';

@ObjectType({ description: 'A company.' })
export class Account {
  workspaceId!: string;

  @Field(() => ID)
  id!: string;

  @Field({ description: 'Normalised: lower case, without scheme, www. or path.' })
  domain!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  industry!: string | null;

  @Field(() => Int, { nullable: true })
  employeeCount!: number | null;

  @Field(() => Float, { nullable: true })
  annualRevenue!: number | null;

  @Field(() => String, { nullable: true })
  country!: string | null;

  @Field(() => String, { nullable: true })
  region!: string | null;

  @Field(() => [String])
  technologies!: string[];

  @Field(() => String, { nullable: true })
  ownerId!: string | null;

  @Field(() => GraphQLJSONObject)
  attributes!: Record<string, unknown>;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

export const AccountConnection = Connection('Account', Account);
export type AccountConnection = InstanceType<typeof AccountConnection>;
