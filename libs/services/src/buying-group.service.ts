import { randomUUID } from 'node:crypto';
import type {
  BuyingGroupEntity,
  BuyingGroupMemberEntity,
  Database,
  WorkspaceId,
} from '@quorum/persistence';
import { IssueCollector, NotFoundError } from './errors';
import { isUuid, optionalText } from './field-checks';
import type { RescoreScheduler } from './rescore-scheduler';

export const BUYING_ROLES = [
  'DECISION_MAKER',
  'ECONOMIC_BUYER',
  'CHAMPION',
  'INFLUENCER',
  'TECHNICAL_EVALUATOR',
  'USER',
  'LEGAL_PROCUREMENT',
  'BLOCKER',
] as const;
export type BuyingRole = (typeof BUYING_ROLES)[number];

export class BuyingGroupService {
  constructor(
    private readonly db: Database,
    private readonly rescore: RescoreScheduler,
  ) {}

  async createBuyingGroup(
    ws: WorkspaceId,
    input: { accountId: string; name: string; requiredRoles: BuyingRole[] },
  ): Promise<BuyingGroupEntity> {
    const issues = new IssueCollector();
    const name = optionalText(issues, 'name', input.name, 200);
    if (!name) issues.add('name', 'must not be empty');
    if (!isUuid(input.accountId))
      issues.add('accountId', `is not an account id (got "${input.accountId.slice(0, 100)}")`);
    issues.throwIfAny();
    const group = await this.db.transaction(ws, async (repos) => {
      const [account] = await repos.accounts.findByIds(ws, [input.accountId]);
      if (!account) throw new NotFoundError('Account', input.accountId, 'accountId');
      if (await repos.buyingGroups.findByName(ws, account.id, name!)) {
        issues.add('name', `this account already has a buying group named "${name}"`);
        issues.throwIfAny();
      }
      await repos.pending.mark(ws, 'ACCOUNT', [account.id]);
      return repos.buyingGroups.insert(ws, {
        id: randomUUID(),
        accountId: account.id,
        name: name!,
        requiredRoles: [...new Set(input.requiredRoles)],
      });
    });
    await this.rescore.accounts(ws, [group.accountId], 'BUYING_GROUP_CHANGED');
    return group;
  }

  async setMember(
    ws: WorkspaceId,
    input: { buyingGroupId: string; contactId: string; role: BuyingRole },
  ): Promise<BuyingGroupMemberEntity> {
    const issues = new IssueCollector();
    if (!isUuid(input.buyingGroupId)) issues.add('buyingGroupId', 'is not a buying group id');
    if (!isUuid(input.contactId)) issues.add('contactId', 'is not a contact id');
    issues.throwIfAny();
    const { member, accountId } = await this.db.transaction(ws, async (repos) => {
      const [group] = await repos.buyingGroups.findByIds(ws, [input.buyingGroupId]);
      if (!group) throw new NotFoundError('BuyingGroup', input.buyingGroupId, 'buyingGroupId');
      const [contact] = await repos.contacts.findByIds(ws, [input.contactId]);
      if (!contact) throw new NotFoundError('Contact', input.contactId, 'contactId');
      if (contact.accountId !== group.accountId) {
        issues.add('contactId', "the contact does not belong to the buying group's account");
        issues.throwIfAny();
      }
      const stored = await repos.buyingGroups.setMember(ws, group.id, contact.id, input.role);
      await repos.pending.mark(ws, 'ACCOUNT', [group.accountId]);
      return { member: stored, accountId: group.accountId };
    });
    await this.rescore.accounts(ws, [accountId], 'BUYING_GROUP_CHANGED');
    return member;
  }

  async removeMember(ws: WorkspaceId, buyingGroupId: string, contactId: string): Promise<void> {
    const accountId = await this.db.transaction(ws, async (repos) => {
      const [group] = isUuid(buyingGroupId)
        ? await repos.buyingGroups.findByIds(ws, [buyingGroupId])
        : [];
      const removed =
        group &&
        isUuid(contactId) &&
        (await repos.buyingGroups.removeMember(ws, buyingGroupId, contactId));
      if (!group || !removed) {
        throw new NotFoundError('BuyingGroupMember', `${buyingGroupId}/${contactId}`, 'contactId');
      }
      await repos.pending.mark(ws, 'ACCOUNT', [group.accountId]);
      return group.accountId;
    });
    await this.rescore.accounts(ws, [accountId], 'BUYING_GROUP_CHANGED');
  }
}
