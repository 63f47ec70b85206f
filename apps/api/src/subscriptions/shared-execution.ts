import {
  createSourceEventStream,
  execute,
  print,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';

type Result = ExecutionResult | Promise<ExecutionResult>;

/**
 * graphql-js executes a subscription's selection set once per event per subscriber. The
 * hub hands the same event object to every local subscriber, and subscribers that sent the
 * same operation with the same variables and the same scopes get the same result, so this
 * executes once per (event, operation) and shares the result: with 1,000 identical
 * subscriptions an event is executed once, not 1,000 times.
 */
export function sharedExecutionSubscribe(scopesOf: (contextValue: unknown) => string) {
  const printed = new WeakMap<DocumentNode, string>();
  const results = new WeakMap<object, Map<string, Result>>();

  const operationKey = (args: ExecutionArgs) => {
    let text = printed.get(args.document);
    if (text === undefined) {
      text = print(args.document);
      printed.set(args.document, text);
    }
    return JSON.stringify([
      text,
      args.operationName ?? null,
      args.variableValues ?? null,
      scopesOf(args.contextValue),
    ]);
  };

  return async (args: ExecutionArgs) => {
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) return source;
    const key = operationKey(args);
    return mapAsyncIterable(source, (event): Result => {
      if (typeof event !== 'object' || event === null)
        return execute({ ...args, rootValue: event });
      let perEvent = results.get(event);
      if (!perEvent) {
        perEvent = new Map();
        results.set(event, perEvent);
      }
      let result = perEvent.get(key);
      if (!result) {
        result = execute({ ...args, rootValue: event });
        perEvent.set(key, result);
      }
      return result;
    });
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown>)?.[Symbol.asyncIterator] === 'function';
}

/** Maps each value of a source iterator; return() and throw() reach the source (cleanup). */
function mapAsyncIterable<T, U>(
  source: AsyncIterable<T>,
  map: (value: T) => U | Promise<U>,
): AsyncIterableIterator<U> {
  const iterator = source[Symbol.asyncIterator]();
  const mapped: AsyncIterableIterator<U> = {
    [Symbol.asyncIterator]: () => mapped,
    async next() {
      const step = await iterator.next();
      if (step.done) return { value: undefined, done: true };
      return { value: await map(step.value), done: false };
    },
    async return() {
      await iterator.return?.();
      return { value: undefined, done: true };
    },
    async throw(error?: unknown) {
      if (iterator.throw) await iterator.throw(error);
      throw error;
    },
  };
  return mapped;
}
