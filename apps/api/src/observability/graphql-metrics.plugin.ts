import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@quorum/observability';
import type { RequestContext } from '../context';
import type { ApiMetrics } from './api-metrics';

/** Operation names are chosen by clients: past this many distinct ones, the rest are "other". */
export const MAX_OPERATION_NAMES = 200;

/**
 * Counts and times every GraphQL operation over HTTP by operation name, type and outcome
 * ("error" when the response carries any error), and logs one line per operation. Only
 * requests with a valid API key or the admin token have their operation names counted;
 * anonymous ones are all "unauthenticated", so nobody without a key can use up the name
 * slots (or write what they like into the metrics).
 */
export function graphqlMetricsPlugin(
  metrics: ApiMetrics,
  logger: Logger,
): ApolloServerPlugin<RequestContext> {
  const seen = new Set<string>();
  const label = (name: string | null | undefined): string => {
    if (!name) return 'anonymous';
    if (seen.has(name)) return name;
    if (seen.size >= MAX_OPERATION_NAMES) return 'other';
    seen.add(name);
    return name;
  };
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ response, operation, operationName, errors, contextValue }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const failed =
            (errors?.length ?? 0) > 0 ||
            (response.body.kind === 'single' &&
              (response.body.singleResult.errors?.length ?? 0) > 0);
          const authenticated = contextValue.auth !== null || contextValue.platformAdmin;
          const labels = {
            // Without a parsed operation the name in the request is not trustworthy.
            operation: !authenticated
              ? 'unauthenticated'
              : operation
                ? label(operation.name?.value ?? operationName)
                : 'invalid',
            type: operation?.operation ?? 'unknown',
            outcome: failed ? 'error' : 'success',
          };
          metrics.operations.inc(labels);
          metrics.operationDuration.observe(labels, seconds);
          logger.info(
            {
              operation: operation?.name?.value ?? operationName ?? null,
              operationType: labels.type,
              outcome: labels.outcome,
              durationMs: Math.round(seconds * 10_000) / 10,
              ...(failed && {
                errorCodes: [...new Set((errors ?? []).map((e) => e.extensions?.['code']))],
              }),
            },
            'graphql operation',
          );
        },
      };
    },
  };
}
