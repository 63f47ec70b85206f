/** Time is an input: services take a clock so tests and backtests control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date): Clock & { set(at: Date): void; advance(ms: number): void } {
  let current = new Date(at.getTime());
  return {
    now: () => new Date(current.getTime()),
    set: (next) => {
      current = new Date(next.getTime());
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}
