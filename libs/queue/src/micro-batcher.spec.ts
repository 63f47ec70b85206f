import { describe, expect, it } from 'vitest';
import { MicroBatcher } from './micro-batcher';

interface Item {
  ws: string;
  id: number;
}

/** A run that waits until released, recording every batch it was given. */
function gatedRun(fail?: (items: Item[]) => boolean) {
  const batches: { key: string; ids: number[] }[] = [];
  const gates: (() => void)[] = [];
  const run = (key: string, items: Item[]) => {
    batches.push({ key, ids: items.map((i) => i.id) });
    return new Promise<void>((resolve, reject) =>
      gates.push(() => (fail?.(items) ? reject(new Error(`bad ${items[0]!.id}`)) : resolve())),
    );
  };
  const releaseAll = async () => {
    while (gates.length > 0) {
      gates.shift()!();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { batches, run, releaseAll };
}

describe('MicroBatcher', () => {
  it('runs a lone item at once, and batches what arrives while every slot is busy', async () => {
    const g = gatedRun();
    const batcher = new MicroBatcher<Item>({
      maxBatch: 3,
      maxConcurrent: 1,
      keyOf: (i) => i.ws,
      run: g.run,
    });
    const done = [1, 2, 3, 4, 5, 6].map((id) => batcher.add({ ws: 'a', id }));
    expect(g.batches).toEqual([{ key: 'a', ids: [1] }]);
    expect(batcher.backlog).toBe(5);
    await g.releaseAll();
    await Promise.all(done);
    expect(g.batches).toEqual([
      { key: 'a', ids: [1] },
      { key: 'a', ids: [2, 3, 4] },
      { key: 'a', ids: [5, 6] },
    ]);
    expect(batcher.backlog).toBe(0);
  });

  it('never mixes keys in a batch, and serves the key that has waited longest first', async () => {
    const g = gatedRun();
    const batcher = new MicroBatcher<Item>({
      maxBatch: 2,
      maxConcurrent: 1,
      keyOf: (i) => i.ws,
      run: g.run,
    });
    const done = [
      batcher.add({ ws: 'a', id: 1 }),
      batcher.add({ ws: 'b', id: 2 }),
      batcher.add({ ws: 'a', id: 3 }),
      batcher.add({ ws: 'a', id: 4 }),
      batcher.add({ ws: 'a', id: 5 }),
      batcher.add({ ws: 'b', id: 6 }),
    ];
    await g.releaseAll();
    await Promise.all(done);
    expect(g.batches).toEqual([
      { key: 'a', ids: [1] },
      { key: 'b', ids: [2, 6] },
      { key: 'a', ids: [3, 4] },
      { key: 'a', ids: [5] },
    ]);
  });

  it('keeps at most maxConcurrent batches running', async () => {
    let running = 0;
    let peak = 0;
    const batcher = new MicroBatcher<Item>({
      maxBatch: 1,
      maxConcurrent: 3,
      keyOf: () => 'k',
      run: async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 2));
        running -= 1;
      },
    });
    await Promise.all(Array.from({ length: 20 }, (_, id) => batcher.add({ ws: 'k', id })));
    expect(peak).toBe(3);
  });

  it('retries a failed batch item by item, so only the item that fails is rejected', async () => {
    const g = gatedRun((items) => items.some((i) => i.id === 3));
    const batcher = new MicroBatcher<Item>({
      maxBatch: 10,
      maxConcurrent: 1,
      keyOf: (i) => i.ws,
      run: g.run,
    });
    const outcomes = [1, 2, 3, 4].map((id) =>
      batcher.add({ ws: 'a', id }).then(
        () => 'ok',
        (e: Error) => e.message,
      ),
    );
    await g.releaseAll();
    expect(await Promise.all(outcomes)).toEqual(['ok', 'ok', 'bad 3', 'ok']);
    expect(g.batches.map((b) => b.ids)).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });

  it('refuses a batch size or concurrency below one', () => {
    expect(
      () =>
        new MicroBatcher({ maxBatch: 0, maxConcurrent: 1, keyOf: () => '', run: async () => {} }),
    ).toThrow(/at least 1/);
  });
});
