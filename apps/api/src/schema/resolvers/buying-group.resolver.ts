import { isUuid } from '@quorum/services';
import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { loadersOf, workspaceOf, type RequestContext } from '../../context';
import { Account } from '../types/account.type';
import { BuyingGroup, BuyingGroupMember } from '../types/buying-group.type';
import { Contact } from '../types/contact.type';
import { BuyingRoleEnum } from '../types/enums';
import { CreateBuyingGroupInput } from '../types/inputs';
import type { BuyingRole } from '@quorum/services';

@Resolver(() => BuyingGroup)
export class BuyingGroupResolver {
  @Authorized('READ')
  @Query(() => BuyingGroup, { nullable: true })
  buyingGroup(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<BuyingGroup | null> | null {
    return isUuid(id) ? loadersOf(ctx).buyingGroup.load(id) : null;
  }

  @Authorized('WRITE')
  @Mutation(() => BuyingGroup)
  createBuyingGroup(
    @Arg('input', () => CreateBuyingGroupInput) input: CreateBuyingGroupInput,
    @Ctx() ctx: RequestContext,
  ): Promise<BuyingGroup> {
    return ctx.services.buyingGroups.createBuyingGroup(workspaceOf(ctx), input);
  }

  @Authorized('WRITE')
  @Mutation(() => BuyingGroupMember, {
    description: 'Adds the contact to the group, or changes its role.',
  })
  setBuyingGroupMember(
    @Arg('buyingGroupId', () => ID) buyingGroupId: string,
    @Arg('contactId', () => ID) contactId: string,
    @Arg('role', () => BuyingRoleEnum) role: BuyingRole,
    @Ctx() ctx: RequestContext,
  ): Promise<BuyingGroupMember> {
    return ctx.services.buyingGroups.setMember(workspaceOf(ctx), {
      buyingGroupId,
      contactId,
      role,
    });
  }

  @Authorized('WRITE')
  @Mutation(() => Boolean)
  async removeBuyingGroupMember(
    @Arg('buyingGroupId', () => ID) buyingGroupId: string,
    @Arg('contactId', () => ID) contactId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    await ctx.services.buyingGroups.removeMember(workspaceOf(ctx), buyingGroupId, contactId);
    return true;
  }

  @FieldResolver(() => Account)
  async account(@Root() group: BuyingGroup, @Ctx() ctx: RequestContext): Promise<Account> {
    return (await loadersOf(ctx).account.load(group.accountId))!;
  }

  @FieldResolver(() => [BuyingGroupMember])
  members(@Root() group: BuyingGroup, @Ctx() ctx: RequestContext): Promise<BuyingGroupMember[]> {
    return loadersOf(ctx).membersOfBuyingGroup.load(group.id);
  }
}

@Resolver(() => BuyingGroupMember)
export class BuyingGroupMemberResolver {
  @FieldResolver(() => Contact)
  async contact(@Root() member: BuyingGroupMember, @Ctx() ctx: RequestContext): Promise<Contact> {
    return (await loadersOf(ctx).contact.load(member.contactId))!;
  }
}
