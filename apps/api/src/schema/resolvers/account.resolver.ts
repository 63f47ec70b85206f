import {
  ACCOUNT_ORDERS,
  NEWEST_FIRST,
  type AccountListRow,
  type AccountOrder,
} from '@quorum/persistence';
import { InputError, isUuid } from '@quorum/services';
import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { loadersOf, workspaceOf, type RequestContext } from '../../context';
import { MAX_PAGE_SIZE, pageRequest, toConnection } from '../../pagination';
import { Account, AccountConnection } from '../types/account.type';
import {
  AccountScore,
  AccountScoreHistoryConnection,
  type AccountScoreHistoryEntry,
} from '../types/account-score.type';
import { storedAccountScore } from '../score-mapping';
import { BuyingGroup } from '../types/buying-group.type';
import { Contact, ContactConnection } from '../types/contact.type';
import { AccountOrderEnum } from '../types/enums';
import { AccountFilterInput, AccountInput } from '../types/inputs';
import { UpsertAccountsPayload } from '../types/payloads';

@Resolver(() => Account)
export class AccountResolver {
  @Authorized('READ')
  @Query(() => Account, { nullable: true, description: 'One account, by id or by domain.' })
  async account(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true }) id?: string,
    @Arg('domain', () => String, { nullable: true }) domain?: string,
  ): Promise<Account | null> {
    if ((id == null) === (domain == null)) {
      throw new InputError([{ path: 'id', message: 'give exactly one of id or domain' }]);
    }
    if (id != null) return isUuid(id) ? loadersOf(ctx).account.load(id) : null;
    return ctx.services.accounts.findByDomain(workspaceOf(ctx), domain!);
  }

  @Authorized('READ')
  @Query(() => AccountConnection)
  async accounts(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => AccountFilterInput, { nullable: true }) filter?: AccountFilterInput,
    @Arg('orderBy', () => AccountOrderEnum, { defaultValue: 'CREATED_AT_DESC' })
    orderBy: AccountOrder = 'CREATED_AT_DESC',
    @Arg('first', () => Int, { defaultValue: 50, description: `At most ${MAX_PAGE_SIZE}.` })
    first = 50,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<AccountConnection> {
    const ws = workspaceOf(ctx);
    const repoFilter = { ...filter, quadrants: filter?.quadrant ? [filter.quadrant] : null };
    const page = await ctx.services.accounts.list(
      ws,
      repoFilter,
      orderBy,
      pageRequest(first, after, orderBy, ACCOUNT_ORDERS[orderBy]),
    );
    return toConnection(
      AccountConnection,
      page,
      orderBy,
      (a: AccountListRow) => a.cursorKey,
      () => ctx.services.accounts.count(ws, repoFilter, orderBy),
    );
  }

  @Authorized('WRITE')
  @Mutation(() => UpsertAccountsPayload, {
    description:
      'Inserts or updates up to 1,000 accounts by domain; any invalid item writes nothing.',
  })
  upsertAccounts(
    @Arg('accounts', () => [AccountInput]) accounts: AccountInput[],
    @Ctx() ctx: RequestContext,
  ): Promise<UpsertAccountsPayload> {
    return ctx.services.accounts.upsertAccounts(workspaceOf(ctx), accounts);
  }

  @FieldResolver(() => ContactConnection, { description: 'Contacts of the account, by email.' })
  async contacts(
    @Root() account: Account,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 50, description: 'At most 100.' }) first = 50,
  ): Promise<ContactConnection> {
    if (!Number.isInteger(first) || first < 1 || first > 100) {
      throw new InputError([
        { path: 'first', message: `must be between 1 and 100 (got ${first})` },
      ]);
    }
    const loaders = loadersOf(ctx);
    const rows = await loaders.contactsOfAccount.load({ parentId: account.id, first: first + 1 });
    return toConnection(
      ContactConnection,
      { rows: rows.slice(0, first), hasNextPage: rows.length > first },
      'EMAIL_ASC',
      (c: Contact) => [c.email],
      () => loaders.contactCountOfAccount.load(account.id),
    );
  }

  @FieldResolver(() => AccountScore, {
    nullable: true,
    description: 'The stored account score; null until first scored.',
  })
  async score(@Root() account: Account, @Ctx() ctx: RequestContext): Promise<AccountScore | null> {
    const stored = await loadersOf(ctx).accountScore.load(account.id);
    return stored ? storedAccountScore(stored) : null;
  }

  @FieldResolver(() => AccountScoreHistoryConnection, {
    description: 'Account score changes, newest first.',
  })
  async scoreHistory(
    @Root() account: Account,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first = 50,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<AccountScoreHistoryConnection> {
    const ws = workspaceOf(ctx);
    const page = await ctx.services.db.repos.accountScores.historyOf(
      ws,
      account.id,
      pageRequest(first, after, 'HISTORY', NEWEST_FIRST),
    );
    return toConnection(
      AccountScoreHistoryConnection,
      page,
      'HISTORY',
      (h: AccountScoreHistoryEntry) => [h.id],
      () => ctx.services.db.repos.accountScores.countHistory(ws, account.id),
    );
  }

  @FieldResolver(() => [BuyingGroup])
  buyingGroups(@Root() account: Account, @Ctx() ctx: RequestContext): Promise<BuyingGroup[]> {
    return loadersOf(ctx).buyingGroupsOfAccount.load(account.id);
  }
}
