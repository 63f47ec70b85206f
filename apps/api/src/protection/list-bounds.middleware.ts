import { InputError, isStorableText } from '@quorum/services';
import type { MiddlewareFn } from 'type-graphql';

/**
 * No list argument, however deeply nested in an input, may hold more than this; no string
 * argument may hold what PostgreSQL cannot store (NUL, lone surrogates).
 */
export const MAX_LIST_ARGUMENT = 1_000;

function check(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (!isStorableText(value)) {
      throw new InputError([
        { path, message: 'must be valid Unicode text without NUL characters' },
      ]);
    }
  } else if (Array.isArray(value)) {
    if (value.length > MAX_LIST_ARGUMENT) {
      throw new InputError([
        { path, message: `at most ${MAX_LIST_ARGUMENT} items (got ${value.length})` },
      ]);
    }
    value.forEach((item, i) => check(item, `${path}[${i}]`));
  } else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, child] of Object.entries(value)) check(child, `${path}.${key}`);
  }
}

export const boundListArguments: MiddlewareFn = ({ args, info }, next) => {
  if (
    info.parentType.name === 'Query' ||
    info.parentType.name === 'Mutation' ||
    info.parentType.name === 'Subscription'
  ) {
    for (const [name, value] of Object.entries(args ?? {})) check(value, name);
  }
  return next();
};
