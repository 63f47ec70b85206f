import type { QuorumConfig } from '@quorum/config';
import type { Counter, Logger } from '@quorum/observability';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export type AuthTransport = 'http' | 'graphql-ws' | 'admin';

export type AuthAttempt<T> =
  | { outcome: 'accepted'; value: T }
  | { outcome: 'failed' }
  /** The address failed too often: refused without looking at what it sent. */
  | { outcome: 'blocked'; retryAfterSeconds: number };

export interface AuthFailureMetrics {
  failures: Counter<'transport'>;
  blocked: Counter<'transport'>;
}

/**
 * Failed authentications (a wrong API key or admin token) per client address, counted in
 * Redis so every API instance shares them, over HTTP, graphql-ws and /admin/queues alike.
 * Past the limit the address is refused for a while, correct credentials included (checking
 * them would tell a guesser which guess was right). Requests without credentials are not
 * attempts and are never counted.
 */
export class AuthFailureGuard {
  private readonly limiter: RateLimiterRedis;
  private readonly points: number;

  constructor(
    config: QuorumConfig,
    redis: Redis,
    private readonly metrics: AuthFailureMetrics,
    private readonly logger: Logger,
  ) {
    this.points = config.rateLimits.authFailuresPerMinute;
    const options = {
      points: this.points,
      duration: 60,
      blockDuration: config.rateLimits.authBlockSeconds,
    };
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.redisPrefix}:authfail`,
      ...options,
      insuranceLimiter: new RateLimiterMemory(options),
    });
  }

  /**
   * Verifies credentials from `address`: `verify` resolves the authenticated value, or null
   * when the credentials are wrong. The block check runs beside it, so a client in good
   * standing waits for one of the two, not both.
   */
  async attempt<T>(
    address: string,
    transport: AuthTransport,
    verify: () => Promise<T | null>,
  ): Promise<AuthAttempt<T>> {
    const [blockedFor, value] = await Promise.all([this.blockedFor(address), verify()]);
    if (blockedFor !== null) {
      this.metrics.blocked.inc({ transport });
      return { outcome: 'blocked', retryAfterSeconds: blockedFor };
    }
    if (value !== null) return { outcome: 'accepted', value };
    this.metrics.failures.inc({ transport });
    try {
      await this.limiter.consume(address, 1);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      this.metrics.blocked.inc({ transport });
      const retryAfterSeconds = seconds(rejection.msBeforeNext);
      this.logger.warn(
        { address, transport, failures: rejection.consumedPoints, retryAfterSeconds },
        'client address refused after failed authentications',
      );
      return { outcome: 'blocked', retryAfterSeconds };
    }
    return { outcome: 'failed' };
  }

  private async blockedFor(address: string): Promise<number | null> {
    const state = await this.limiter.get(address).catch(() => null);
    return state && state.consumedPoints > this.points ? seconds(state.msBeforeNext) : null;
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
