import type { Clock } from '@quorum/config';
import { RedisScoreEventPublisher } from '@quorum/events';
import { Database } from '@quorum/persistence';
import { createProducerConnection, JobProducer } from '@quorum/queue';
import {
  AccountScoringService,
  LeadScoringService,
  QueuedRescoreScheduler,
  ScoringPipeline,
} from '@quorum/services';
import type { DataSource } from 'typeorm';

/** The scoring pipeline a worker process runs, with the producer it uses to chain jobs. */
export function createScoringRuntime(
  dataSource: DataSource,
  clock: Clock,
  redisUrl: string,
  prefix: string,
) {
  const db = new Database(dataSource);
  const redis = createProducerConnection(redisUrl);
  redis.on('error', () => undefined);
  const producer = new JobProducer(redis, prefix);
  const pipeline = new ScoringPipeline(
    db,
    clock,
    new LeadScoringService(db, clock),
    new AccountScoringService(db, clock),
    new QueuedRescoreScheduler(producer),
    new RedisScoreEventPublisher(redis, prefix),
  );
  return {
    pipeline,
    producer,
    close: async () => {
      await producer.close();
      redis.disconnect();
    },
  };
}
