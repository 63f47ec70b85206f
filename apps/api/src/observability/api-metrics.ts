import {
  Counter,
  createMetricsRegistry,
  Gauge,
  Histogram,
  LATENCY_BUCKETS,
  type Registry,
} from '@quorum/observability';

/** What an API process reports at /metrics. */
export interface ApiMetrics {
  registry: Registry;
  operations: Counter<'operation' | 'type' | 'outcome'>;
  operationDuration: Histogram<'operation' | 'type' | 'outcome'>;
  activitiesIngested: Counter<'result'>;
  eventsDelivered: Counter<'type'>;
  /** Wrong API keys or admin tokens, by transport (http, graphql-ws, admin). */
  authFailures: Counter<'transport'>;
  /** Attempts refused because their address failed too often. */
  authBlocked: Counter<'transport'>;
}

export interface SubscriptionGauges {
  connections(): number;
  subscriptions(): number;
}

export function createApiMetrics(registry: Registry = createMetricsRegistry()): ApiMetrics {
  const registers = [registry];
  return {
    registry,
    operations: new Counter({
      name: 'quorum_graphql_operations_total',
      help: 'GraphQL operations over HTTP, by operation name, type and outcome',
      labelNames: ['operation', 'type', 'outcome'],
      registers,
    }),
    operationDuration: new Histogram({
      name: 'quorum_graphql_operation_duration_seconds',
      help: 'Time from receiving a GraphQL operation to sending its response',
      labelNames: ['operation', 'type', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    activitiesIngested: new Counter({
      name: 'quorum_activities_ingested_total',
      help: 'Activities received by recordActivities: accepted (stored) or duplicate (externalId seen before)',
      labelNames: ['result'],
      registers,
    }),
    eventsDelivered: new Counter({
      name: 'quorum_subscription_events_delivered_total',
      help: 'Score events handed to subscribers, by event type',
      labelNames: ['type'],
      registers,
    }),
    authFailures: new Counter({
      name: 'quorum_auth_failures_total',
      help: 'Failed authentications (wrong API key or admin token), by transport: http, graphql-ws, admin',
      labelNames: ['transport'],
      registers,
    }),
    authBlocked: new Counter({
      name: 'quorum_auth_blocked_total',
      help: 'Authentication attempts refused because their client address failed too often, by transport',
      labelNames: ['transport'],
      registers,
    }),
  };
}

/** Connection and subscription counts, read from the graphql-ws server at scrape time. */
export function registerSubscriptionGauges(registry: Registry, source: SubscriptionGauges): void {
  new Gauge({
    name: 'quorum_subscription_connections',
    help: 'Open graphql-ws connections on this API process',
    registers: [registry],
    collect() {
      this.set(source.connections());
    },
  });
  new Gauge({
    name: 'quorum_subscriptions_active',
    help: 'Active GraphQL subscriptions on this API process',
    registers: [registry],
    collect() {
      this.set(source.subscriptions());
    },
  });
}
