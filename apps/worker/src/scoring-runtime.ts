import type { Clock } from '@quorum/config';
import { RedisScoreEventPublisher } from '@quorum/events';
import type { Logger } from '@quorum/observability';
import { Database } from '@quorum/persistence';
import { createProducerConnection, JobProducer } from '@quorum/queue';
import {
  AccountScoringService,
  EventIdCodec,
  LeadScoringService,
  QueuedRescoreScheduler,
  ScoringPipeline,
  TierCutoffService,
} from '@quorum/services';
import type { DataSource } from 'typeorm';
import { ObservedScoreEventPublisher } from './observed-event-publisher';
import type { WorkerMetrics } from './worker-metrics';

/** The scoring pipeline a worker process runs, with the producer it uses to chain jobs. */
export function createScoringRuntime(
  dataSource: DataSource,
  clock: Clock,
  redisUrl: string,
  prefix: string,
  observe: { logger: Logger; metrics?: WorkerMetrics },
) {
  const db = new Database(dataSource, {
    onRetry: (error, attempt) =>
      observe.logger.warn(
        { err: error, attempt },
        'transaction rolled back by a conflict; running it again',
      ),
  });
  const redis = createProducerConnection(redisUrl);
  redis.on('error', () => undefined);
  const producer = new JobProducer(redis, prefix);
  const publisher = new RedisScoreEventPublisher(redis, prefix, (error) => {
    throw error;
  });
  const scheduler = new QueuedRescoreScheduler(producer);
  const pipeline = new ScoringPipeline(
    db,
    clock,
    new LeadScoringService(db, clock),
    new AccountScoringService(db, clock),
    scheduler,
    new ObservedScoreEventPublisher(
      publisher,
      observe.logger,
      observe.metrics,
      new EventIdCodec(db),
    ),
    (error, accountIds) =>
      observe.logger.warn(
        { err: error, accountIds },
        `account roll-up failed; queued as ${accountIds.length} rescore-account job(s)`,
      ),
  );
  return {
    pipeline,
    tierCutoffs: new TierCutoffService(db, clock, scheduler),
    producer,
    /** The producer's connection (fails fast when Redis is down): readiness and queue depths. */
    redis,
    close: async () => {
      await producer.close();
      redis.disconnect();
    },
  };
}
