export type NodeEnv = 'development' | 'production' | 'test';

/** Everything Quorum reads from its environment, parsed and validated once at boot. */
export interface QuorumConfig {
  nodeEnv: NodeEnv;
  port: number;
  /** The owner's connection: creates the database and applies migrations. */
  databaseUrl: string;
  /**
   * The application's connection, as a role that owns no table, so PostgreSQL's row-level
   * security applies to every query the API and the worker run.
   */
  appDatabaseUrl: string;
  /** When set, start-up (as the owner) gives the application role this password. */
  appDatabasePassword: string | null;
  redisUrl: string;
  /** BullMQ and pub/sub key prefix; the braces make it a Redis Cluster hash tag. */
  redisPrefix: string;
  adminToken: string;
  /** True when no QUORUM_ADMIN_TOKEN was given and a development default is in use. */
  adminTokenIsDefault: boolean;
  workerConcurrency: number;
  workerBatchSize: number;
  workerHealthPort: number;
  /**
   * How often the worker's scheduled reconcile re-queues stale markers. A safety net only:
   * processes reconcile at once when they see Redis or PostgreSQL come back.
   */
  reconcileIntervalMs: number;
  dbStatementTimeoutMs: number;
  dbPoolSize: number;
  /** How far in the future an activity's occurredAt may be (clock skew between systems). */
  maxFutureSkewMs: number;
  /** GraphQL operation limits (HTTP and subscriptions). */
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxTokens: number;
    maxDirectives: number;
    maxCost: number;
    maxBodyBytes: number;
  };
  /**
   * Requests per minute per API key; ingestion (mutations) and reads have separate budgets.
   * Failed authentications (a wrong API key or admin token) per minute per client address:
   * past that the address is refused for `authBlockSeconds`.
   */
  rateLimits: {
    readsPerMinute: number;
    writesPerMinute: number;
    authFailuresPerMinute: number;
    authBlockSeconds: number;
  };
  /**
   * Which proxies in front of the API to trust for the client's address (X-Forwarded-For):
   * false (none: the socket's address), a hop count, or addresses and subnets (Express's
   * `trust proxy`).
   */
  trustProxy: false | number | string;
  /** pino level of the JSON logs on stdout; `silent` by default under NODE_ENV=test. */
  logLevel: LogLevel;
  /**
   * Whether /admin/queues may retry, promote, clean and remove jobs. Read-only unless
   * QUORUM_QUEUE_DASHBOARD_WRITABLE=true: the board spans every workspace's jobs.
   */
  queueDashboardWritable: boolean;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/quorum';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEV_ADMIN_TOKEN = 'quorum-dev-admin-token';

type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, fallback: number, min: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    problems.push(`${name} must be an integer >= ${min} (got "${raw}")`);
    return fallback;
  }
  return value;
}

function urlVar(env: Env, name: string, fallback: string, protocols: string[], problems: string[]) {
  const raw = env[name] || fallback;
  try {
    const url = new URL(raw);
    if (!protocols.includes(url.protocol)) {
      problems.push(`${name} must use ${protocols.join(' or ')} (got "${raw}")`);
    }
  } catch {
    problems.push(`${name} is not a valid URL (got "${raw}")`);
  }
  return raw;
}

function booleanVar(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  problems.push(`${name} must be true or false (got "${raw}")`);
  return fallback;
}

export const APP_DATABASE_ROLE = 'quorum_app';

/** The owner's URL with the application role (and its password, if it has one) as user. */
export function appDatabaseUrlFor(ownerUrl: string, password?: string): string {
  const url = new URL(ownerUrl);
  url.username = APP_DATABASE_ROLE;
  url.password = password ?? '';
  return url.toString();
}

export function loadConfig(env: Env): QuorumConfig {
  const problems: string[] = [];
  const nodeEnvRaw = env['NODE_ENV'] || 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    problems.push(`NODE_ENV must be development, production or test (got "${nodeEnvRaw}")`);
  }
  const nodeEnv = nodeEnvRaw as NodeEnv;
  const adminTokenRaw = env['QUORUM_ADMIN_TOKEN'];
  if (adminTokenRaw !== undefined && adminTokenRaw !== '' && adminTokenRaw.length < 16) {
    problems.push('QUORUM_ADMIN_TOKEN must be at least 16 characters');
  }
  const adminTokenIsDefault = !adminTokenRaw;
  if (adminTokenIsDefault && nodeEnv === 'production') {
    problems.push('QUORUM_ADMIN_TOKEN is required when NODE_ENV=production');
  }
  const config: QuorumConfig = {
    nodeEnv,
    port: intVar(env, 'PORT', 4000, 0, problems),
    databaseUrl: urlVar(
      env,
      'DATABASE_URL',
      DEFAULT_DATABASE_URL,
      ['postgres:', 'postgresql:'],
      problems,
    ),
    appDatabaseUrl: '',
    appDatabasePassword: env['DATABASE_APP_PASSWORD'] || null,
    redisUrl: urlVar(env, 'REDIS_URL', DEFAULT_REDIS_URL, ['redis:', 'rediss:'], problems),
    redisPrefix: env['QUORUM_REDIS_PREFIX'] || '{quorum}',
    adminToken: adminTokenRaw || DEV_ADMIN_TOKEN,
    adminTokenIsDefault,
    workerConcurrency: intVar(env, 'WORKER_CONCURRENCY', 2, 1, problems),
    workerBatchSize: intVar(env, 'WORKER_BATCH_SIZE', 100, 1, problems),
    workerHealthPort: intVar(env, 'WORKER_HEALTH_PORT', 4001, 0, problems),
    reconcileIntervalMs: intVar(env, 'RECONCILE_INTERVAL_SECONDS', 30, 1, problems) * 1000,
    dbStatementTimeoutMs: intVar(env, 'DB_STATEMENT_TIMEOUT_MS', 15_000, 100, problems),
    dbPoolSize: intVar(env, 'DB_POOL_SIZE', 10, 1, problems),
    maxFutureSkewMs: intVar(env, 'MAX_FUTURE_SKEW_SECONDS', 300, 0, problems) * 1000,
    limits: {
      maxDepth: intVar(env, 'QUORUM_MAX_DEPTH', 12, 1, problems),
      maxAliases: intVar(env, 'QUORUM_MAX_ALIASES', 15, 0, problems),
      maxTokens: intVar(env, 'QUORUM_MAX_TOKENS', 5_000, 10, problems),
      maxDirectives: intVar(env, 'QUORUM_MAX_DIRECTIVES', 10, 0, problems),
      maxCost: intVar(env, 'QUORUM_MAX_COST', 20_000, 1, problems),
      maxBodyBytes: intVar(env, 'QUORUM_MAX_BODY_BYTES', 2_000_000, 1_000, problems),
    },
    rateLimits: {
      readsPerMinute: intVar(env, 'RATE_LIMIT_READS_PER_MINUTE', 1_200, 1, problems),
      writesPerMinute: intVar(env, 'RATE_LIMIT_WRITES_PER_MINUTE', 600, 1, problems),
      authFailuresPerMinute: intVar(env, 'RATE_LIMIT_AUTH_FAILURES_PER_MINUTE', 20, 1, problems),
      authBlockSeconds: intVar(env, 'RATE_LIMIT_AUTH_BLOCK_SECONDS', 300, 1, problems),
    },
    trustProxy: trustProxyVar(env['QUORUM_TRUST_PROXY'], problems),
    logLevel: logLevelVar(env, nodeEnv, problems),
    queueDashboardWritable: booleanVar(env, 'QUORUM_QUEUE_DASHBOARD_WRITABLE', false, problems),
  };
  config.appDatabaseUrl = env['DATABASE_APP_URL']
    ? urlVar(env, 'DATABASE_APP_URL', '', ['postgres:', 'postgresql:'], problems)
    : safeAppUrl(config.databaseUrl, env['DATABASE_APP_PASSWORD']);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function safeAppUrl(ownerUrl: string, password: string | undefined): string {
  try {
    return appDatabaseUrlFor(ownerUrl, password);
  } catch {
    return ownerUrl; // DATABASE_URL is invalid and already reported
  }
}

function trustProxyVar(raw: string | undefined, problems: string[]): false | number | string {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (!/^[\w.:/]+(\s*,\s*[\w.:/]+)*$/.test(raw)) {
    problems.push(
      `QUORUM_TRUST_PROXY must be a hop count or a comma-separated list of addresses, subnets or loopback/linklocal/uniquelocal (got "${raw}")`,
    );
    return false;
  }
  return raw;
}

function logLevelVar(env: Env, nodeEnv: NodeEnv, problems: string[]): LogLevel {
  const raw = env['LOG_LEVEL'];
  if (raw === undefined || raw === '') return nodeEnv === 'test' ? 'silent' : 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${raw}")`);
    return 'info';
  }
  return raw as LogLevel;
}
