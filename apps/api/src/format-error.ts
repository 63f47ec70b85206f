import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from '@quorum/observability';
import { isDatabaseUnavailable } from '@quorum/persistence';
import { InputError, InsufficientOutcomesError, NotFoundError } from '@quorum/services';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { limitCode } from './protection/operation-limits';

/** Seconds a client is asked to wait when PostgreSQL is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export function serviceUnavailableError(): GraphQLError {
  return new GraphQLError('The database is unavailable; retry shortly', {
    extensions: {
      code: 'SERVICE_UNAVAILABLE',
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      http: {
        status: 503,
        headers: new Map([['retry-after', String(DATABASE_RETRY_AFTER_SECONDS)]]),
      },
    },
  });
}

/**
 * Domain errors become GraphQL errors with a code and the field they concern; a database
 * outage becomes a retryable SERVICE_UNAVAILABLE that names nothing internal; anything
 * unexpected is logged and hidden behind INTERNAL_SERVER_ERROR.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  exposeDetails: boolean,
  logger: Logger,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof InputError) {
    const [first] = original.issues;
    return {
      ...formatted,
      message: original.message,
      extensions: {
        code: 'BAD_USER_INPUT',
        field: first?.path,
        index: first ? indexOf(first.path) : undefined,
        issues: original.issues,
      },
    };
  }
  if (original instanceof InsufficientOutcomesError) {
    return {
      ...formatted,
      message: original.message,
      extensions: {
        code: 'INSUFFICIENT_OUTCOMES',
        conversions: original.conversions,
        nonConversions: original.nonConversions,
        required: original.required,
      },
    };
  }
  if (original instanceof NotFoundError) {
    return {
      ...formatted,
      message: original.message,
      extensions: {
        code: 'BAD_USER_INPUT',
        field: original.path,
        issues: [{ path: original.path, message: original.message }],
      },
    };
  }
  const code = formatted.extensions?.['code'];
  if (code !== 'SERVICE_UNAVAILABLE' && isDatabaseUnavailable(error)) {
    logger.warn({ err: original, path: formatted.path }, 'database unavailable');
    return {
      message: 'The database is unavailable; retry shortly',
      locations: formatted.locations,
      path: formatted.path,
      extensions: {
        code: 'SERVICE_UNAVAILABLE',
        retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      },
    };
  }
  const limit = limitCode(formatted.message);
  if (limit) return { message: formatted.message, extensions: { code: limit } };
  // A literal enum or scalar of the wrong type is bad input like any other.
  if (
    code === 'GRAPHQL_VALIDATION_FAILED' &&
    /Expected value of type|cannot represent|does not exist in ".*" enum/.test(formatted.message)
  ) {
    return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
  }
  if (original instanceof GraphQLError || (code && code !== 'INTERNAL_SERVER_ERROR'))
    return formatted;
  logger.error({ err: original, path: formatted.path }, 'unexpected error');
  return {
    message:
      exposeDetails && original instanceof Error ? original.message : 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

function indexOf(path: string): number | undefined {
  const match = /^\w+\[(\d+)\]/.exec(path);
  return match ? Number(match[1]) : undefined;
}
