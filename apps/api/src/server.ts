import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { systemClock, type Clock, type QuorumConfig } from '@quorum/config';
import { readinessCheck } from '@quorum/bootstrap';
import { createLogger, type Logger } from '@quorum/observability';
import { isDatabaseUnavailable } from '@quorum/persistence';
import { createProducerConnection, JobProducer, reconcileWhenRedisReturns } from '@quorum/queue';
import { isAdminToken, QueuedRescoreScheduler, type AuthenticatedKey } from '@quorum/services';
import express from 'express';
import { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import { buildContext, type RequestContext } from './context';
import { formatError, serviceUnavailableError } from './format-error';
import { jsonErrorHandler } from './http-errors';
import { bearerToken, requireAdminBearer, requireAdminToken } from './observability/admin-auth';
import { createApiMetrics, registerSubscriptionGauges } from './observability/api-metrics';
import { graphqlMetricsPlugin } from './observability/graphql-metrics.plugin';
import { QUEUE_DASHBOARD_PATH, queueDashboard } from './observability/queue-dashboard';
import { requestIdMiddleware } from './observability/request-id.middleware';
import { argumentBoundsPlugin } from './protection/argument-bounds.plugin';
import { AuthFailureGuard } from './protection/auth-failures';
import { clientAddress, type TrustProxy } from './protection/client-address';
import { httpTransportPlugin } from './protection/http-transport.plugin';
import { OperationBudgets } from './protection/operation-budgets';
import type { OperationGuard } from './protection/operation-guard';
import { operationLimits } from './protection/operation-limits';
import { queryTextMiddleware } from './protection/query-text.middleware';
import { rateLimitPlugin } from './protection/rate-limit.plugin';
import { buildQuorumSchema } from './schema/build-schema';
import { createServices } from './services';
import { DASHBOARD_PATH, serveDashboard } from './dashboard/serve-dashboard';
import {
  controlChannel,
  ScoreEventHub,
  type ControlMessage,
} from './subscriptions/score-event-hub';
import { startSubscriptionServer, type SubscriptionLimits } from './subscriptions/ws-server';

export interface ApiServer {
  url: string;
  wsUrl: string;
  /** Null when apps/dashboard has not been built. */
  dashboardUrl: string | null;
  hub: ScoreEventHub;
  port: number;
  stop(): Promise<void>;
}

export interface ApiServerOptions {
  config: QuorumConfig;
  dataSource: DataSource;
  clock?: Clock;
  subscriptionLimits?: Partial<SubscriptionLimits>;
  /** The built dashboard to serve at /dashboard; defaults to apps/dashboard/dist. */
  dashboardDir?: string;
  /** JSON lines on stdout at config.logLevel unless given. */
  logger?: Logger;
}

/** HTTP 401 with a Bearer challenge, and UNAUTHENTICATED in the GraphQL error. */
function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: new Map([['www-authenticate', 'Bearer realm="quorum"']]) },
    },
  });
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { config, dataSource } = options;
  const logger = options.logger ?? createLogger('api', config.logLevel);
  const metrics = createApiMetrics();
  const redis = createProducerConnection(config.redisUrl);
  redis.on('error', () => undefined);
  const producer = new JobProducer(redis, config.redisPrefix);
  // Writes accepted while Redis was down could not queue their rescores (scoringDelayed): once
  // it is back, a reconcile queues them at once instead of at the worker's next scheduled one.
  const stopRedisWatch = reconcileWhenRedisReturns(redis, producer, (line, error) =>
    error ? logger.warn({ err: error }, line) : logger.info(line),
  );
  const scheduler = new QueuedRescoreScheduler(producer);
  const services = createServices(dataSource, config, options.clock ?? systemClock, scheduler, {
    onRetry: (error, attempt) =>
      logger.warn(
        { err: error, attempt },
        'transaction rolled back by a conflict; running it again',
      ),
  });
  const schema = await buildQuorumSchema();
  const app = express();
  app.set('trust proxy', config.trustProxy);
  const trustProxy = app.get('trust proxy fn') as TrustProxy;
  const httpServer: Server = createServer(app);
  const development = config.nodeEnv !== 'production';
  const hub = new ScoreEventHub(config.redisUrl, config.redisPrefix);
  hub.start();
  const authFailures = new AuthFailureGuard(
    config,
    redis,
    { failures: metrics.authFailures, blocked: metrics.authBlocked },
    logger,
  );
  const protection = operationLimits(config);
  const budgets = new OperationBudgets(config, redis);
  const guard: OperationGuard = {
    validationRules: protection.validationRules,
    maxTokens: config.limits.maxTokens,
    budgets,
  };
  const subscriptions = startSubscriptionServer({
    httpServer,
    schema,
    guard,
    authFailures,
    trustProxy,
    formatError: (formatted, error) => formatError(formatted, error, development, logger),
    services,
    hub,
    limits: options.subscriptionLimits,
    production: !development,
    onEventDelivered: (event) => metrics.eventsDelivered.inc({ type: event.type }),
  });
  registerSubscriptionGauges(metrics.registry, {
    connections: subscriptions.connectionCount,
    subscriptions: subscriptions.subscriptionCount,
  });
  const queues = queueDashboard(redis, config.redisPrefix, {
    writable: config.queueDashboardWritable,
  });
  const keyRevoked = async (workspaceId: string, keyId: string) => {
    const message: ControlMessage = { type: 'KEY_REVOKED', workspaceId, keyId };
    await redis
      .publish(controlChannel(config.redisPrefix), JSON.stringify(message))
      .catch(() => undefined);
  };

  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: development,
    validationRules: protection.validationRules,
    // One operation per request: batched arrays are refused.
    allowBatchedHttpRequests: false,
    // Quorum drains on SIGTERM itself (onShutdownSignal); Apollo's own handler would re-raise it.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: development,
    formatError: (formatted, error) => formatError(formatted, error, development, logger),
    plugins: [
      // Nothing in the schema sets cache hints; the default plugin wraps every field (~3.5 ms a page).
      ApolloServerPluginCacheControlDisabled(),
      graphqlMetricsPlugin(metrics, logger),
      ...protection.plugins,
      argumentBoundsPlugin(),
      rateLimitPlugin(budgets),
      httpTransportPlugin(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await subscriptions.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.disable('x-powered-by');
  app.use(requestIdMiddleware());
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const readiness = readinessCheck(dataSource, redis);
  app.get('/readyz', async (_req, res) => {
    const checks = await readiness();
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  // Operation names and tenant activity are not for anonymous eyes on the public port.
  app.get('/metrics', requireAdminBearer(config.adminToken, authFailures), async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use(
    QUEUE_DASHBOARD_PATH,
    requireAdminToken(config.adminToken, 'Quorum queues', authFailures),
    queues.router,
  );

  app.use(
    '/graphql',
    express.json({ limit: config.limits.maxBodyBytes }),
    queryTextMiddleware(config.limits.maxTokens),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const observed = { keyRevoked, metrics, requestId: res.locals['requestId'] as string };
        // No key and a wrong key get the same answer: HTTP 401 with UNAUTHENTICATED.
        const token = bearerToken(req.headers.authorization);
        if (!token) throw unauthenticated('Send an API key: Authorization: Bearer <key>');
        let attempt;
        try {
          attempt = await authFailures.attempt(
            clientAddress(req, trustProxy),
            'http',
            async (): Promise<AuthenticatedKey | 'admin' | null> =>
              isAdminToken(config.adminToken, token)
                ? 'admin'
                : await services.workspaces.authenticate(token),
          );
        } catch (error) {
          if (isDatabaseUnavailable(error)) throw serviceUnavailableError();
          logger.error({ err: error }, 'authentication failed unexpectedly');
          throw new GraphQLError('Internal server error', {
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          });
        }
        if (attempt.outcome === 'blocked') {
          throw new GraphQLError('Too many failed authentications from this address; retry later', {
            extensions: {
              code: 'RATE_LIMITED',
              budget: 'authFailures',
              retryAfterSeconds: attempt.retryAfterSeconds,
              http: {
                status: 429,
                headers: new Map([['retry-after', String(attempt.retryAfterSeconds)]]),
              },
            },
          });
        }
        if (attempt.outcome === 'failed')
          throw unauthenticated('The API key is unknown or revoked');
        if (attempt.value === 'admin')
          return { ...buildContext(services, null, true), ...observed };
        return { ...buildContext(services, attempt.value, false), ...observed };
      },
    }),
  );

  const dashboard = serveDashboard(app, options.dashboardDir);
  app.use(jsonErrorHandler(logger));

  await new Promise<void>((resolve) => httpServer.listen(config.port, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    dashboardUrl: dashboard ? `http://127.0.0.1:${port}${DASHBOARD_PATH}/` : null,
    hub,
    port,
    stop: async () => {
      stopRedisWatch();
      await apollo.stop();
      await hub.stop();
      await queues.close();
      await producer.close();
      redis.disconnect();
    },
  };
}
