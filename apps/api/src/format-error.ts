import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from '@quorum/observability';
import { InputError, InsufficientOutcomesError, NotFoundError } from '@quorum/services';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { limitCode } from './protection/operation-limits';

/**
 * Domain errors become GraphQL errors with a code and the field they concern; anything
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
