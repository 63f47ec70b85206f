import { Redis } from 'ioredis';

/** The glob of every key under the prefixes `testRedisPrefix` makes in run `runId`. */
export function runKeyPattern(runId: string): string {
  return `{q*-${runId}-*`;
}

/** Deletes every key matching `pattern` (`${prefix}*` for one prefix); returns how many. */
export async function deleteRedisKeys(url: string, prefix: string, pattern = `${prefix}*`) {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/** How many keys match `pattern`. */
export async function countRedisKeys(url: string, pattern: string): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  let count = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      count += keys.length;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return count;
}
