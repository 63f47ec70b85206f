import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

/**
 * A Redis key prefix of its own for a test's API, worker or queues on the shared Redis:
 * `{q<kind>-<runId>-<random>}`. The run's id is in it, so the global teardown finds and deletes
 * whatever the run left (queues, job schedulers, rate-limit counters), whichever test left it.
 */
export function testRedisPrefix(kind: string): string {
  return `{q${kind}-${inject('runId')}-${randomBytes(3).toString('hex')}}`;
}
