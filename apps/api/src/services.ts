import type { Clock, QuorumConfig } from '@quorum/config';
import { NO_EVENTS } from '@quorum/events';
import { Database, type DatabaseOptions } from '@quorum/persistence';
import {
  AccountScoringService,
  AccountService,
  ActivityService,
  BuyingGroupService,
  ContactService,
  DashboardService,
  EventIdCodec,
  OutcomeService,
  PredictiveTrainingService,
  LeadScoringService,
  ModelSuggestionService,
  ModelValidationService,
  ScoringModelService,
  ScoreEventReplayService,
  ScoringPipeline,
  ValidationDatasetService,
  WorkspaceService,
  type RescoreScheduler,
} from '@quorum/services';
import type { DataSource } from 'typeorm';

/** The use cases the API calls; built once per process, stateless. */
export interface Services {
  db: Database;
  workspaces: WorkspaceService;
  accounts: AccountService;
  contacts: ContactService;
  buyingGroups: BuyingGroupService;
  activities: ActivityService;
  leadScoring: LeadScoringService;
  accountScoring: AccountScoringService;
  /** Inline scoring, for tools that score without a worker (the demo seed). */
  pipeline: ScoringPipeline;
  models: ScoringModelService;
  dashboard: DashboardService;
  replay: ScoreEventReplayService;
  /** Event ids as partners see them: encrypted per workspace. */
  eventIds: EventIdCodec;
  outcomes: OutcomeService;
  validation: ModelValidationService;
  training: PredictiveTrainingService;
  suggestions: ModelSuggestionService;
}

export function createServices(
  dataSource: DataSource,
  config: QuorumConfig,
  clock: Clock,
  rescore: RescoreScheduler,
  databaseOptions: DatabaseOptions = {},
): Services {
  const db = new Database(dataSource, databaseOptions);
  const leadScoring = new LeadScoringService(db, clock);
  const accountScoring = new AccountScoringService(db, clock);
  const models = new ScoringModelService(db, clock, leadScoring, async (ws, backfillId) => {
    await rescore.backfill(ws, backfillId);
  });
  const workspaces = new WorkspaceService(db, clock);
  const dataset = new ValidationDatasetService(db);
  workspaces.onWorkspaceCreated((ws, repos) => models.installDefaultModel(ws, repos));
  const validation = new ModelValidationService(db, dataset);
  const training = new PredictiveTrainingService(db, clock, dataset);
  const eventIds = new EventIdCodec(db);
  return {
    db,
    workspaces,
    accounts: new AccountService(db, rescore),
    contacts: new ContactService(db, rescore, clock),
    buyingGroups: new BuyingGroupService(db, rescore),
    activities: new ActivityService(db, clock, config.maxFutureSkewMs, rescore),
    leadScoring,
    accountScoring,
    pipeline: new ScoringPipeline(db, clock, leadScoring, accountScoring, rescore, NO_EVENTS),
    models,
    dashboard: new DashboardService(db, clock),
    replay: new ScoreEventReplayService(db, clock, eventIds),
    eventIds,
    outcomes: new OutcomeService(db, clock, config.maxFutureSkewMs),
    validation,
    training,
    suggestions: new ModelSuggestionService(db, clock, training, validation),
  };
}
