import {
  CONTACT_ORDERS,
  NEWEST_FIRST,
  type ContactListRow,
  type ContactOrder,
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
import { Account } from '../types/account.type';
import { Activity, ActivityConnection } from '../types/activity.type';
import { Contact, ContactConnection } from '../types/contact.type';
import {
  LeadScore,
  ScoreBreakdown,
  ScoreHistoryConnection,
  type ScoreHistoryEntry,
} from '../types/lead-score.type';
import { storedScore } from '../score-mapping';
import { ContactOrderEnum } from '../types/enums';
import { ContactFilterInput, ContactInput } from '../types/inputs';
import { DeleteContactPayload, UpsertContactsPayload } from '../types/payloads';

@Resolver(() => Contact)
export class ContactResolver {
  @Authorized('READ')
  @Query(() => Contact, { nullable: true, description: 'One contact, by id or by email.' })
  async contact(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true }) id?: string,
    @Arg('email', () => String, { nullable: true }) email?: string,
  ): Promise<Contact | null> {
    if ((id == null) === (email == null)) {
      throw new InputError([{ path: 'id', message: 'give exactly one of id or email' }]);
    }
    if (id != null) return isUuid(id) ? loadersOf(ctx).contact.load(id) : null;
    return ctx.services.contacts.findByEmail(workspaceOf(ctx), email!);
  }

  @Authorized('READ')
  @Query(() => ContactConnection)
  async contacts(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => ContactFilterInput, { nullable: true }) filter?: ContactFilterInput,
    @Arg('orderBy', () => ContactOrderEnum, { defaultValue: 'CREATED_AT_DESC' })
    orderBy: ContactOrder = 'CREATED_AT_DESC',
    @Arg('first', () => Int, { defaultValue: 50, description: `At most ${MAX_PAGE_SIZE}.` })
    first = 50,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<ContactConnection> {
    const ws = workspaceOf(ctx);
    const bad = (filter?.accountIds ?? []).findIndex((id) => !isUuid(id));
    if (bad >= 0)
      throw new InputError([
        { path: `filter.accountIds[${bad}]`, message: 'is not an account id' },
      ]);
    const page = await ctx.services.contacts.list(
      ws,
      filter ?? {},
      orderBy,
      pageRequest(first, after, orderBy, CONTACT_ORDERS[orderBy]),
    );
    return toConnection(
      ContactConnection,
      page,
      orderBy,
      (c: ContactListRow) => c.cursorKey,
      () => ctx.services.contacts.count(ws, filter ?? {}),
    );
  }

  @Authorized('WRITE')
  @Mutation(() => UpsertContactsPayload, {
    description:
      'Inserts or updates up to 1,000 contacts by email; any invalid item writes nothing.',
  })
  upsertContacts(
    @Arg('contacts', () => [ContactInput]) contacts: ContactInput[],
    @Ctx() ctx: RequestContext,
  ): Promise<UpsertContactsPayload> {
    return ctx.services.contacts.upsertContacts(workspaceOf(ctx), contacts);
  }

  @Authorized('WRITE')
  @Mutation(() => DeleteContactPayload, {
    description: 'Erases the person: the contact, their activities and memberships.',
  })
  async deleteContact(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<DeleteContactPayload> {
    await ctx.services.contacts.deleteContact(workspaceOf(ctx), id, ctx.auth!.keyId);
    return { deletedContactId: id };
  }

  @FieldResolver(() => LeadScore, {
    nullable: true,
    description: 'The stored score under the active model; null until first scored.',
  })
  async score(@Root() contact: Contact, @Ctx() ctx: RequestContext): Promise<LeadScore | null> {
    const stored = await loadersOf(ctx).leadScoreOfContact.load(contact.id);
    return stored ? storedScore(stored) : null;
  }

  @FieldResolver(() => ScoreHistoryConnection, { description: 'Score changes, newest first.' })
  async scoreHistory(
    @Root() contact: Contact,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first = 50,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<ScoreHistoryConnection> {
    const ws = workspaceOf(ctx);
    const page = await ctx.services.db.repos.leadScores.historyOf(
      ws,
      contact.id,
      pageRequest(first, after, 'HISTORY', NEWEST_FIRST),
    );
    return toConnection(
      ScoreHistoryConnection,
      page,
      'HISTORY',
      (h: ScoreHistoryEntry) => [h.id],
      () => ctx.services.db.repos.leadScores.countHistory(ws, contact.id),
    );
  }

  @FieldResolver(() => ScoreBreakdown, {
    nullable: true,
    description:
      'A backtest of this lead: scored as of `at` from the activities up to `at` (active model unless versionId).',
  })
  async scoreAsOf(
    @Root() contact: Contact,
    @Arg('at') at: Date,
    @Ctx() ctx: RequestContext,
    @Arg('versionId', () => ID, { nullable: true }) versionId?: string,
  ): Promise<ScoreBreakdown | null> {
    const result = await ctx.services.leadScoring.scoreAsOf(
      workspaceOf(ctx),
      contact.id,
      at,
      versionId,
    );
    return result?.score ?? null;
  }

  @FieldResolver(() => Account, { nullable: true })
  account(@Root() contact: Contact, @Ctx() ctx: RequestContext): Promise<Account | null> | null {
    return contact.accountId ? loadersOf(ctx).account.load(contact.accountId) : null;
  }

  @FieldResolver(() => ActivityConnection, { description: 'The newest activities first.' })
  async activities(
    @Root() contact: Contact,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 50, description: 'At most 200.' }) first = 50,
  ): Promise<ActivityConnection> {
    if (!Number.isInteger(first) || first < 1 || first > 200) {
      throw new InputError([
        { path: 'first', message: `must be between 1 and 200 (got ${first})` },
      ]);
    }
    const loaders = loadersOf(ctx);
    const rows = await loaders.activitiesOfContact.load({ parentId: contact.id, first: first + 1 });
    return toConnection(
      ActivityConnection,
      { rows: rows.slice(0, first), hasNextPage: rows.length > first },
      'OCCURRED_AT_DESC',
      (a: Activity) => [a.occurredAt.toISOString(), a.id],
      () => loaders.activityCountOfContact.load(contact.id),
    );
  }
}
