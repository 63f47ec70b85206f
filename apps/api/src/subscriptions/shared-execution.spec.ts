import {
  GraphQLInt,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
  type ExecutionResult,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { sharedExecutionSubscribe, variablesOutsideRootArguments } from './shared-execution';

/** A schema whose subscription yields the same event objects to every subscriber, as the hub does. */
function fixture() {
  const listeners = new Set<(event: object) => void>();
  let resolved = 0;
  let ended = 0;
  const Change = new GraphQLObjectType({
    name: 'Change',
    fields: {
      id: { type: GraphQLString },
      total: {
        type: GraphQLInt,
        args: { times: { type: GraphQLInt } },
        resolve: (e: { total: number }, args: { times?: number }) => {
          resolved += 1;
          return e.total * (args.times ?? 1);
        },
      },
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLInt } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        changed: {
          type: Change,
          // Like Quorum's filters: it picks events, it does not shape them.
          args: { only: { type: GraphQLString } },
          subscribe: () => {
            const queue: object[] = [];
            let wake: (() => void) | null = null;
            const listener = (event: object) => {
              queue.push(event);
              wake?.();
            };
            listeners.add(listener);
            const iterator: AsyncIterableIterator<object> = {
              [Symbol.asyncIterator]: () => iterator,
              async next() {
                while (queue.length === 0) await new Promise<void>((r) => (wake = r));
                return { value: queue.shift()!, done: false };
              },
              async return() {
                listeners.delete(listener);
                ended += 1;
                return { value: undefined, done: true };
              },
            };
            return iterator;
          },
          resolve: (event: object) => event,
        },
      },
    }),
  });
  return {
    schema,
    // One per server, as in ws-server.ts: the cache is shared by its subscriptions.
    subscribe: sharedExecutionSubscribe((ctx) => (ctx as { scopes: string }).scopes),
    publish: (event: object) => listeners.forEach((l) => l(event)),
    resolved: () => resolved,
    ended: () => ended,
  };
}

async function open(
  f: ReturnType<typeof fixture>,
  query: string,
  scopes: string,
  variableValues?: Record<string, unknown>,
) {
  const result = await f.subscribe({
    schema: f.schema,
    document: parse(query),
    contextValue: { scopes },
    variableValues,
  });
  return result as AsyncIterableIterator<ExecutionResult>;
}

describe('sharedExecutionSubscribe', () => {
  it('executes an event once for identical subscriptions and gives each the same result', async () => {
    const f = fixture();
    const query = 'subscription { changed { id total } }';
    const a = await open(f, query, 'READ');
    const b = await open(f, query, 'READ');
    const c = await open(f, 'subscription { changed { id total(times: 2) } }', 'READ');
    f.publish({ id: 'e1', total: 7 });
    const [ra, rb, rc] = await Promise.all([a.next(), b.next(), c.next()]);
    expect(ra.value).toEqual({ data: { changed: { id: 'e1', total: 7 } } });
    expect(rb.value).toBe(ra.value);
    expect(rc.value).toEqual({ data: { changed: { id: 'e1', total: 14 } } });
    // One execution for a and b (shared), one for c.
    expect(f.resolved()).toBe(2);
  });

  it('does not share between different variables or different scopes', async () => {
    const f = fixture();
    const query = 'subscription($t: Int) { changed { total(times: $t) } }';
    const subs = [
      await open(f, query, 'READ', { t: 1 }),
      await open(f, query, 'READ', { t: 3 }),
      await open(f, query, 'READ,ADMIN', { t: 1 }),
    ];
    f.publish({ id: 'e1', total: 5 });
    const results = await Promise.all(subs.map((s) => s.next()));
    expect(results.map((r) => r.value.data?.changed)).toEqual([
      { total: 5 },
      { total: 15 },
      { total: 5 },
    ]);
    expect(f.resolved()).toBe(3);
  });

  it('shares between subscribers whose variables differ only in the root field arguments', async () => {
    const f = fixture();
    const query =
      'subscription($only: String, $t: Int) { changed(only: $only) { total(times: $t) } }';
    const subs = [
      await open(f, query, 'READ', { only: 'a', t: 2 }),
      await open(f, query, 'READ', { only: 'b', t: 2 }),
      await open(f, query, 'READ', { only: 'c', t: 3 }),
    ];
    f.publish({ id: 'e1', total: 5 });
    const results = await Promise.all(subs.map((s) => s.next()));
    expect(results.map((r) => r.value.data?.changed)).toEqual([
      { total: 10 },
      { total: 10 },
      { total: 15 },
    ]);
    expect(results[1]!.value).toBe(results[0]!.value);
    // `only` is left out of the key, `t` is not: two executions for three subscribers.
    expect(f.resolved()).toBe(2);
  });

  it('counts variables in directives, nested fields and fragments, not in root arguments', () => {
    const names = (query: string, operationName: string | null = null) =>
      [...variablesOutsideRootArguments(parse(query), operationName)].sort();
    expect(names('subscription($a: String) { changed(only: $a) { id } }')).toEqual([]);
    expect(
      names(
        'subscription($a: String, $b: Boolean, $t: Int) { changed(only: $a) @include(if: $b) { total(times: $t) } }',
      ),
    ).toEqual(['b', 't']);
    expect(
      names(
        'subscription S($a: String, $t: Int) { ...F } fragment F on Subscription { changed(only: $a) { total(times: $t) } }',
        'S',
      ),
    ).toEqual(['a', 't']);
    expect(
      names(
        'subscription A($a: String) { changed(only: $a) { id } } subscription B($t: Int) { changed { total(times: $t) } }',
        'A',
      ),
    ).toEqual([]);
  });

  it("passes return() on to the source, so the subscription's listener is removed", async () => {
    const f = fixture();
    const a = await open(f, 'subscription { changed { id } }', 'READ');
    await a.return!();
    expect(f.ended()).toBe(1);
  });

  it('returns validation-time errors of the root field as a result, not a stream', async () => {
    const f = fixture();
    const subscribe = sharedExecutionSubscribe(() => '');
    const result = await subscribe({
      schema: f.schema,
      document: parse('subscription { nope }'),
    });
    expect(result).toMatchObject({ errors: [expect.anything()] });
  });
});
