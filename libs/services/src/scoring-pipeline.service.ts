import type { WorkspaceId } from '@quorum/persistence';
import type { AccountScoringService } from './account-scoring.service';
import type { LeadScoringService } from './lead-scoring.service';
import type { RescoreScheduler } from './rescore-scheduler';

/**
 * What the worker runs for each scoring job: a contact whose score moved asks for its
 * account to be rolled up again; a full rescore does every contact, then every account.
 */
export class ScoringPipeline {
  constructor(
    private readonly leads: LeadScoringService,
    private readonly accounts: AccountScoringService,
    private readonly schedule: RescoreScheduler,
  ) {}

  async rescoreContact(ws: WorkspaceId, contactId: string, cause: string): Promise<void> {
    const result = await this.leads.rescoreContact(ws, contactId, cause);
    if (result?.changed && result.accountId) {
      await this.schedule.accounts(ws, [result.accountId], 'CONTACT_SCORE_CHANGED');
    }
  }

  async rescoreAccount(
    ws: WorkspaceId,
    accountId: string,
    cause: string,
    withContacts: boolean,
  ): Promise<void> {
    if (withContacts) {
      for (const contactId of await this.leads.contactIdsOfAccount(ws, accountId)) {
        await this.leads.rescoreContact(ws, contactId, cause);
      }
    }
    await this.accounts.rescoreAccount(ws, accountId, cause);
  }

  async rescoreWorkspace(
    ws: WorkspaceId,
    cause: string,
  ): Promise<{ contacts: number; accounts: number }> {
    const contacts = await this.leads.rescoreWorkspace(ws, cause);
    const accounts = await this.accounts.rescoreAllAccounts(ws, cause);
    return { contacts: contacts.scored, accounts: accounts.scored };
  }
}
