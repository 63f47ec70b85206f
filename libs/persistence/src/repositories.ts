import type { EntityManager } from 'typeorm';
import { AccountScoreRepository } from './repositories/account-score.repository';
import { AdminAuditRepository } from './repositories/admin-audit.repository';
import { AccountRepository } from './repositories/account.repository';
import { ActivityRepository } from './repositories/activity.repository';
import { BuyingGroupRepository } from './repositories/buying-group.repository';
import { ContactRepository } from './repositories/contact.repository';
import { OutcomeRepository } from './repositories/outcome.repository';
import { PendingRescoreRepository } from './repositories/pending-rescore.repository';
import { ScoreEventRepository } from './repositories/score-event.repository';
import { LeadScoreRepository, ScoringModelRepository } from './repositories/scoring.repository';
import { TierCutoffsRepository } from './repositories/tier-cutoffs.repository';
import { WorkspaceRepository } from './repositories/workspace.repository';

/** Every repository, bound to one EntityManager (the pool, or a transaction). */
export class Repositories {
  readonly workspaces: WorkspaceRepository;
  readonly accounts: AccountRepository;
  readonly contacts: ContactRepository;
  readonly buyingGroups: BuyingGroupRepository;
  readonly activities: ActivityRepository;
  readonly models: ScoringModelRepository;
  readonly leadScores: LeadScoreRepository;
  readonly accountScores: AccountScoreRepository;
  readonly pending: PendingRescoreRepository;
  readonly scoreEvents: ScoreEventRepository;
  readonly audit: AdminAuditRepository;
  readonly outcomes: OutcomeRepository;
  readonly tierCutoffs: TierCutoffsRepository;

  constructor(readonly manager: EntityManager) {
    this.workspaces = new WorkspaceRepository(manager);
    this.accounts = new AccountRepository(manager);
    this.contacts = new ContactRepository(manager);
    this.buyingGroups = new BuyingGroupRepository(manager);
    this.activities = new ActivityRepository(manager);
    this.models = new ScoringModelRepository(manager);
    this.leadScores = new LeadScoreRepository(manager);
    this.accountScores = new AccountScoreRepository(manager);
    this.pending = new PendingRescoreRepository(manager);
    this.scoreEvents = new ScoreEventRepository(manager);
    this.audit = new AdminAuditRepository(manager);
    this.outcomes = new OutcomeRepository(manager);
    this.tierCutoffs = new TierCutoffsRepository(manager);
  }
}
