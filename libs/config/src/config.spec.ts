import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DATABASE_URL, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies defaults for a bare environment', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe(DEFAULT_DATABASE_URL);
    expect(config.port).toBe(4000);
    expect(config.redisPrefix).toBe('{quorum}');
    expect(config.adminTokenIsDefault).toBe(true);
    expect(config.queueDashboardWritable).toBe(false);
  });

  it('makes the queue dashboard writable only when asked with true', () => {
    expect(loadConfig({ QUORUM_QUEUE_DASHBOARD_WRITABLE: 'true' }).queueDashboardWritable).toBe(
      true,
    );
    expect(loadConfig({ QUORUM_QUEUE_DASHBOARD_WRITABLE: 'false' }).queueDashboardWritable).toBe(
      false,
    );
    expect(() => loadConfig({ QUORUM_QUEUE_DASHBOARD_WRITABLE: 'yes' })).toThrow(
      /QUORUM_QUEUE_DASHBOARD_WRITABLE must be true or false/,
    );
  });

  it('limits failed authentications per address and trusts no proxy by default', () => {
    const config = loadConfig({});
    expect(config.rateLimits).toMatchObject({ authFailuresPerMinute: 20, authBlockSeconds: 300 });
    expect(config.trustProxy).toBe(false);
    expect(loadConfig({ QUORUM_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ QUORUM_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe(
      'loopback, 10.0.0.0/8',
    );
    expect(() => loadConfig({ QUORUM_TRUST_PROXY: 'every"one' })).toThrow(/QUORUM_TRUST_PROXY/);
  });

  it('names every invalid variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', WORKER_CONCURRENCY: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('PORT');
    expect(problems).toContain('DATABASE_URL');
    expect(problems).toContain('WORKER_CONCURRENCY');
  });

  it('reads the reconcile interval in seconds, 30 by default', () => {
    expect(loadConfig({}).reconcileIntervalMs).toBe(30_000);
    expect(loadConfig({ RECONCILE_INTERVAL_SECONDS: '600' }).reconcileIntervalMs).toBe(600_000);
    expect(() => loadConfig({ RECONCILE_INTERVAL_SECONDS: '0' })).toThrow(
      /RECONCILE_INTERVAL_SECONDS must be an integer >= 1/,
    );
  });

  it('requires an admin token in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/QUORUM_ADMIN_TOKEN/);
    const config = loadConfig({ NODE_ENV: 'production', QUORUM_ADMIN_TOKEN: 'x'.repeat(32) });
    expect(config.adminTokenIsDefault).toBe(false);
  });
});
