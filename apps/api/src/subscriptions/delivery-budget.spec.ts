import { describe, expect, it } from 'vitest';
import { DeliveryBudget } from './delivery-budget';

/**
 * Counts turns of the event loop: a ticker that reschedules itself with setImmediate runs
 * once per turn, after that turn's I/O poll.
 */
function turnCounter() {
  const counter = { turn: 0, stop: () => undefined as void };
  let running = true;
  const tick = () => {
    counter.turn++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  counter.stop = () => {
    running = false;
  };
  return counter;
}

const perTurn = (turns: number[]) => {
  const counts = new Map<number, number>();
  for (const t of turns) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts.values()];
};

describe('DeliveryBudget', () => {
  it('runs a slice at once, and the rest over later turns of the event loop, in order', async () => {
    const budget = new DeliveryBudget(3);
    const counter = turnCounter();
    const turns: number[] = [];
    const order: number[] = [];
    const all = Array.from({ length: 12 }, (_, i) =>
      budget.next(() => {
        turns.push(counter.turn);
        order.push(i);
        return i;
      }),
    );
    await Promise.resolve();
    expect(order).toEqual([0, 1, 2]);
    expect(await Promise.all(all)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    counter.stop();
    expect(order).toEqual(Array.from({ length: 12 }, (_, i) => i));
    // At most two slices share a turn (the first slice's and the one right after it).
    expect(Math.max(...perTurn(turns))).toBeLessThanOrEqual(6);
    expect(new Set(turns).size).toBeGreaterThanOrEqual(2);
  });

  it('spreads deliveries that cause more deliveries over turns as well', async () => {
    const budget = new DeliveryBudget(2);
    const counter = turnCounter();
    const turns: number[] = [];
    // Three subscribers, each taking its next event as soon as one is delivered.
    const subscriber = async (events: number) => {
      for (let i = 0; i < events; i++) await budget.next(() => turns.push(counter.turn));
    };
    await Promise.all([subscriber(4), subscriber(4), subscriber(4)]);
    counter.stop();
    expect(turns).toHaveLength(12);
    expect(Math.max(...perTurn(turns))).toBeLessThanOrEqual(4);
  });

  it('rejects with what a delivery throws, and goes on with the others', async () => {
    const budget = new DeliveryBudget(1);
    const first = budget.next(() => 1);
    const failing = budget.next(() => {
      throw new Error('stream gone');
    });
    const third = budget.next(() => 3);
    expect(await first).toBe(1);
    await expect(failing).rejects.toThrow('stream gone');
    expect(await third).toBe(3);
  });
});
