import { Field, ID, ObjectType } from 'type-graphql';
import { BuyingRoleEnum } from './enums';

@ObjectType({ description: 'A buying committee at an account.' })
export class BuyingGroup {
  workspaceId!: string;

  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  accountId!: string;

  @Field()
  name!: string;

  @Field(() => [BuyingRoleEnum])
  requiredRoles!: string[];

  @Field()
  createdAt!: Date;
}

@ObjectType()
export class BuyingGroupMember {
  workspaceId!: string;

  @Field(() => ID)
  buyingGroupId!: string;

  @Field(() => ID)
  contactId!: string;

  @Field(() => BuyingRoleEnum)
  role!: string;

  @Field()
  addedAt!: Date;
}
