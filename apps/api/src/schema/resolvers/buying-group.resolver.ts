import type { ContactEntity } from '@quorum/persistence';
import { InputError, isUuid, rankSuggestions } from '@quorum/services';
import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  Float,
  ID,
  Int,
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
import { LeadScore } from '../types/lead-score.type';
import { storedScore } from '../score-mapping';
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

  @FieldResolver(() => Float, {
    nullable: true,
    description: 'Mean member engagement, 0–100; null until scored.',
  })
  async score(@Root() group: BuyingGroup, @Ctx() ctx: RequestContext): Promise<number | null> {
    return (await loadersOf(ctx).buyingGroupScore.load(group.id))?.engagement ?? null;
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: 'Share (0–1) of required roles with a member.',
  })
  async completeness(
    @Root() group: BuyingGroup,
    @Ctx() ctx: RequestContext,
  ): Promise<number | null> {
    return (await loadersOf(ctx).buyingGroupScore.load(group.id))?.completeness ?? null;
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: 'Share (0–1) of required roles with an engaged member.',
  })
  async engagedCompleteness(
    @Root() group: BuyingGroup,
    @Ctx() ctx: RequestContext,
  ): Promise<number | null> {
    return (await loadersOf(ctx).buyingGroupScore.load(group.id))?.engagedCompleteness ?? null;
  }

  @FieldResolver(() => [BuyingRoleEnum], { description: 'Required roles no member fills.' })
  async missingRoles(@Root() group: BuyingGroup, @Ctx() ctx: RequestContext): Promise<string[]> {
    const members = await loadersOf(ctx).membersOfBuyingGroup.load(group.id);
    const filled = new Set(members.map((m) => m.role));
    return group.requiredRoles.filter((r) => !filled.has(r));
  }

  @FieldResolver(() => [Contact], {
    description:
      'Contacts of the account outside the group whose title or department fits the role, best first.',
  })
  async suggestedContacts(
    @Root() group: BuyingGroup,
    @Arg('role', () => BuyingRoleEnum) role: BuyingRole,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 5, description: 'At most 50.' }) first = 5,
  ): Promise<Contact[]> {
    if (!Number.isInteger(first) || first < 1 || first > 50) {
      throw new InputError([{ path: 'first', message: `must be between 1 and 50 (got ${first})` }]);
    }
    const loaders = loadersOf(ctx);
    const ranked = rankSuggestions(await loaders.suggestionCandidates.load(group.id), role, first);
    return (await loaders.contact.loadMany(ranked.map((r) => r.contactId))).filter(
      (c): c is ContactEntity => c !== null && !(c instanceof Error),
    );
  }

  @FieldResolver(() => [BuyingGroupMember])
  members(@Root() group: BuyingGroup, @Ctx() ctx: RequestContext): Promise<BuyingGroupMember[]> {
    return loadersOf(ctx).membersOfBuyingGroup.load(group.id);
  }
}

@Resolver(() => BuyingGroupMember)
export class BuyingGroupMemberResolver {
  @FieldResolver(() => LeadScore, { nullable: true })
  async score(
    @Root() member: BuyingGroupMember,
    @Ctx() ctx: RequestContext,
  ): Promise<LeadScore | null> {
    const stored = await loadersOf(ctx).leadScoreOfContact.load(member.contactId);
    return stored ? storedScore(stored) : null;
  }

  @FieldResolver(() => Boolean, {
    description:
      "Engaged by the model's committee threshold and window, as of the last account score.",
  })
  async engaged(@Root() member: BuyingGroupMember, @Ctx() ctx: RequestContext): Promise<boolean> {
    const groupScore = await loadersOf(ctx).buyingGroupScore.load(member.buyingGroupId);
    return groupScore?.members.some((m) => m.contactId === member.contactId && m.engaged) ?? false;
  }

  @FieldResolver(() => Date, { nullable: true })
  async lastActivityAt(
    @Root() member: BuyingGroupMember,
    @Ctx() ctx: RequestContext,
  ): Promise<Date | null> {
    return (await loadersOf(ctx).leadScoreOfContact.load(member.contactId))?.lastActivityAt ?? null;
  }

  @FieldResolver(() => Contact)
  async contact(@Root() member: BuyingGroupMember, @Ctx() ctx: RequestContext): Promise<Contact> {
    return (await loadersOf(ctx).contact.load(member.contactId))!;
  }
}
