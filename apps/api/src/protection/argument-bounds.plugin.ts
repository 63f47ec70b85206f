import type { ApolloServerPlugin } from '@apollo/server';
import { isStorableText } from '@quorum/services';
import { GraphQLError, valueFromASTUntyped } from 'graphql';
import type { RequestContext } from '../context';

/** No list argument, however deeply nested in an input, may hold more than this. */
export const MAX_LIST_ARGUMENT = 1_000;

function refuse(path: string, message: string): never {
  throw new GraphQLError(`${path}: ${message}`, {
    extensions: {
      code: 'BAD_USER_INPUT',
      field: path,
      issues: [{ path, message }],
      http: { status: 400 },
    },
  });
}

function check(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (!isStorableText(value)) {
      refuse(path, 'must be valid Unicode text without NUL characters');
    }
  } else if (Array.isArray(value)) {
    if (value.length > MAX_LIST_ARGUMENT) {
      refuse(path, `at most ${MAX_LIST_ARGUMENT} items (got ${value.length})`);
    }
    value.forEach((item, i) => check(item, `${path}[${i}]`));
  } else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, child] of Object.entries(value)) check(child, `${path}.${key}`);
  }
}

/**
 * Checks the arguments of every root field once per operation, before execution: lists
 * are bounded and strings must be storable (no NUL, no lone surrogates). Done here rather
 * than as a type-graphql global middleware, which would wrap every field of every
 * response in an async call.
 */
export function argumentBoundsPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (!operation) return;
          const variables = request.variables ?? {};
          for (const selection of operation.selectionSet.selections) {
            if (selection.kind !== 'Field') continue;
            for (const arg of selection.arguments ?? []) {
              check(valueFromASTUntyped(arg.value, variables), arg.name.value);
            }
          }
        },
      };
    },
  };
}
