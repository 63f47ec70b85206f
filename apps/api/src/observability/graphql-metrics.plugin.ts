import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@quorum/observability';
import type { RequestContext } from '../context';
import type { ApiMetrics } from './api-metrics';

/**
 * The codes the client was sent. The errors Apollo hands plugins are the raw ones, before
 * formatError gives a domain error its code (BAD_USER_INPUT...), so they are read from the
 * response; an error without a code is what Apollo calls INTERNAL_SERVER_ERROR.
 */
export function errorCodes(errors: readonly { extensions?: Record<string, unknown> }[]): string[] {
  return [
    ...new Set(
      errors.map((e) => {
        const code = e.extensions?.['code'];
        return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
      }),
    ),
  ];
}

/** Operation names are chosen by clients: past this many distinct ones, the rest are "other". */
export const MAX_OPERATION_NAMES = 200;

/**
 * Counts and times every GraphQL operation over HTTP by operation name, type and outcome
 * ("error" when the response carries any error), and logs one line per operation. Only
 * requests with a valid API key or the admin token have their operation names counted: the
 * API answers 401 to others before any operation runs, and should one reach here it counts as
 * "unauthenticated", so nobody without a key can use up the name slots (or write what they
 * like into the metrics).
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
          const sent =
            response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const failed = (errors?.length ?? 0) > 0 || sent.length > 0;
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
              ...(failed && { errorCodes: errorCodes(sent.length > 0 ? sent : (errors ?? [])) }),
            },
            'graphql operation',
          );
        },
      };
    },
  };
}
