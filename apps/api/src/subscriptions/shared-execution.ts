import {
  createSourceEventStream,
  execute,
  Kind,
  print,
  visit,
  type ASTNode,
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
 *
 * Variables used only in the arguments of the root field are left out of that key: in
 * Quorum those arguments (`filter`, `since`) choose which events reach a subscriber, and
 * the root resolvers return the event unchanged. So partners that each follow their own
 * accounts, with the same selection, share one execution per event too.
 */
export function sharedExecutionSubscribe(scopesOf: (contextValue: unknown) => string) {
  const printed = new WeakMap<DocumentNode, string>();
  const affecting = new WeakMap<DocumentNode, Map<string | null, Set<string>>>();
  const results = new WeakMap<object, Map<string, Result>>();

  const operationKey = (args: ExecutionArgs) => {
    let text = printed.get(args.document);
    if (text === undefined) {
      text = print(args.document);
      printed.set(args.document, text);
    }
    const operationName = args.operationName ?? null;
    let byOperation = affecting.get(args.document);
    if (!byOperation) {
      byOperation = new Map();
      affecting.set(args.document, byOperation);
    }
    let names = byOperation.get(operationName);
    if (!names) {
      names = variablesOutsideRootArguments(args.document, operationName);
      byOperation.set(operationName, names);
    }
    const values = args.variableValues ?? {};
    return JSON.stringify([
      text,
      operationName,
      [...names].sort().map((name) => [name, values[name] ?? null]),
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

/**
 * The variables an operation uses anywhere but in the arguments of its root fields: every
 * variable in directives, in nested fields and in fragments (conservatively, fragments
 * spread at the root count whole).
 */
export function variablesOutsideRootArguments(
  document: DocumentNode,
  operationName: string | null,
): Set<string> {
  const names = new Set<string>();
  const collect = (node: ASTNode) =>
    visit(node, {
      Variable: (variable) => {
        names.add(variable.name.value);
      },
    });
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) collect(definition);
    if (
      definition.kind !== Kind.OPERATION_DEFINITION ||
      (operationName !== null && definition.name?.value !== operationName)
    )
      continue;
    definition.directives?.forEach(collect);
    for (const selection of definition.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) {
        collect(selection);
        continue;
      }
      selection.directives?.forEach(collect);
      if (selection.selectionSet) collect(selection.selectionSet);
    }
  }
  return names;
}

function isPromiseLike<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T>)?.then === 'function';
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
    // Without async/await: one promise per value, not three (this runs once per delivery).
    next() {
      return iterator.next().then((step): IteratorResult<U> | Promise<IteratorResult<U>> => {
        if (step.done) return { value: undefined, done: true };
        const value = map(step.value);
        return isPromiseLike(value)
          ? Promise.resolve(value).then((v) => ({ value: v, done: false }))
          : { value, done: false };
      });
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
