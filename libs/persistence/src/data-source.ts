import { DataSource, type Logger, type MixedList } from 'typeorm';
import { AccountScoreHistoryEntity } from './entities/account-score-history.entity';
import { AdminAuditEntity } from './entities/admin-audit.entity';
import { AccountScoreEntity } from './entities/account-score.entity';
import { AccountEntity } from './entities/account.entity';
import { BuyingGroupScoreEntity } from './entities/buying-group-score.entity';
import { ActivityEntity } from './entities/activity.entity';
import { ApiKeyEntity } from './entities/api-key.entity';
import { BuyingGroupMemberEntity } from './entities/buying-group-member.entity';
import { BuyingGroupEntity } from './entities/buying-group.entity';
import { ContactEntity } from './entities/contact.entity';
import { LeadScoreHistoryEntity } from './entities/lead-score-history.entity';
import { OutcomeEntity } from './entities/outcome.entity';
import { LeadScoreEntity } from './entities/lead-score.entity';
import { LifecycleEventEntity } from './entities/lifecycle-event.entity';
import { PendingRescoreEntity } from './entities/pending-rescore.entity';
import { ScoringBackfillEntity } from './entities/scoring-backfill.entity';
import { ScoringModelAuditEntity } from './entities/scoring-model-audit.entity';
import { ScoringModelVersionEntity } from './entities/scoring-model-version.entity';
import { TierCutoffsEntity } from './entities/tier-cutoffs.entity';
import { WorkspaceEntity } from './entities/workspace.entity';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export const ENTITIES = [
  WorkspaceEntity,
  ApiKeyEntity,
  AccountEntity,
  ContactEntity,
  BuyingGroupEntity,
  BuyingGroupMemberEntity,
  ActivityEntity,
  ScoringModelVersionEntity,
  ScoringModelAuditEntity,
  LeadScoreEntity,
  LeadScoreHistoryEntity,
  LifecycleEventEntity,
  AccountScoreEntity,
  AccountScoreHistoryEntity,
  BuyingGroupScoreEntity,
  PendingRescoreEntity,
  ScoringBackfillEntity,
  AdminAuditEntity,
  OutcomeEntity,
  TierCutoffsEntity,
];

export interface DataSourceOptions {
  url: string;
  migrations?: MixedList<Function>;
  poolSize?: number;
  statementTimeoutMs?: number;
  logger?: Logger;
  applicationName?: string;
}

export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: options.migrations ?? [],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? 'quorum',
    extra: {
      statement_timeout: options.statementTimeoutMs ?? 15_000,
      connectionTimeoutMillis: 5_000,
    },
    ...(options.logger ? { logger: options.logger, logging: ['query' as const] } : {}),
  });
}
