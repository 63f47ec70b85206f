import { Redis, type RedisOptions } from 'ioredis';

/** Workers block on Redis: they must retry forever rather than fail a command. */
export function createWorkerConnection(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra });
}

/** Producers fail fast when Redis is down, so the caller can say scoring is delayed. */
export function createProducerConnection(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, ...extra });
}
