import type { ApolloServerPlugin } from '@apollo/server';
import type { QuorumConfig } from '@quorum/config';
import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RequestContext } from '../context';

type Budget = 'reads' | 'writes';

/**
 * Per-API-key budgets in Redis, shared by every API instance: mutations (ingestion) and
 * queries (reads) are counted apart. Each response carries the limit and what is left;
 * a request over budget is refused with RATE_LIMITED (HTTP 429) and a retry time. If Redis
 * is unreachable an in-process limiter takes over, so limits still hold per instance.
 */
export function rateLimitPlugin(
  config: QuorumConfig,
  redis: Redis,
): ApolloServerPlugin<RequestContext> {
  const make = (budget: Budget, points: number) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.redisPrefix}:ratelimit:${budget}`,
      points,
      duration: 60,
      insuranceLimiter: new RateLimiterMemory({ points, duration: 60 }),
    });
  const limiters: Record<Budget, { limiter: RateLimiterRedis; points: number }> = {
    reads: {
      limiter: make('reads', config.rateLimits.readsPerMinute),
      points: config.rateLimits.readsPerMinute,
    },
    writes: {
      limiter: make('writes', config.rateLimits.writesPerMinute),
      points: config.rateLimits.writesPerMinute,
    },
  };

  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, response }) {
          const auth = contextValue.auth;
          if (!auth || !operation) return;
          const budget: Budget = operation.operation === 'mutation' ? 'writes' : 'reads';
          const { limiter, points } = limiters[budget];
          let state: RateLimiterRes;
          let limited = false;
          try {
            state = await limiter.consume(auth.keyId, 1);
          } catch (rejection) {
            if (!(rejection instanceof RateLimiterRes)) throw rejection;
            state = rejection;
            limited = true;
          }
          const headers = response.http.headers;
          headers.set('x-ratelimit-budget', budget);
          headers.set('x-ratelimit-limit', String(points));
          headers.set('x-ratelimit-remaining', String(Math.max(0, state.remainingPoints)));
          headers.set('x-ratelimit-reset', String(Math.ceil(state.msBeforeNext / 1000)));
          if (limited) {
            headers.set('retry-after', String(Math.ceil(state.msBeforeNext / 1000)));
            throw new GraphQLError(
              `Rate limit of ${points} ${budget} per minute exceeded for this API key`,
              {
                extensions: {
                  code: 'RATE_LIMITED',
                  http: { status: 429 },
                  budget,
                  limit: points,
                  retryAfterSeconds: Math.ceil(state.msBeforeNext / 1000),
                },
              },
            );
          }
        },
      };
    },
  };
}
