import type { QuorumConfig } from '@quorum/config';
import { GraphQLError, type OperationTypeNode } from 'graphql';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export type Budget = 'reads' | 'writes';

export interface BudgetState {
  budget: Budget;
  limit: number;
  remaining: number;
  resetSeconds: number;
  limited: boolean;
}

/**
 * Per-API-key budgets in Redis, shared by every API instance and by both transports (HTTP
 * and graphql-ws): mutations (ingestion) and queries (reads) are counted apart. If Redis is
 * unreachable an in-process limiter takes over, so limits still hold per instance.
 */
export class OperationBudgets {
  private readonly limiters: Record<Budget, { limiter: RateLimiterRedis; points: number }>;

  constructor(config: QuorumConfig, redis: Redis) {
    const make = (budget: Budget, points: number) => ({
      points,
      limiter: new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${config.redisPrefix}:ratelimit:${budget}`,
        points,
        duration: 60,
        insuranceLimiter: new RateLimiterMemory({ points, duration: 60 }),
      }),
    });
    this.limiters = {
      reads: make('reads', config.rateLimits.readsPerMinute),
      writes: make('writes', config.rateLimits.writesPerMinute),
    };
  }

  /** Counts one operation of this type against the key's budget. */
  async consume(keyId: string, operation: OperationTypeNode): Promise<BudgetState> {
    const budget: Budget = operation === 'mutation' ? 'writes' : 'reads';
    const { limiter, points } = this.limiters[budget];
    let state: RateLimiterRes;
    let limited = false;
    try {
      state = await limiter.consume(keyId, 1);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      state = rejection;
      limited = true;
    }
    return {
      budget,
      limit: points,
      remaining: Math.max(0, state.remainingPoints),
      resetSeconds: Math.ceil(state.msBeforeNext / 1000),
      limited,
    };
  }
}

export function rateLimitedError(state: BudgetState): GraphQLError {
  return new GraphQLError(
    `Rate limit of ${state.limit} ${state.budget} per minute exceeded for this API key`,
    {
      extensions: {
        code: 'RATE_LIMITED',
        http: { status: 429 },
        budget: state.budget,
        limit: state.limit,
        retryAfterSeconds: state.resetSeconds,
      },
    },
  );
}
