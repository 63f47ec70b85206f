import { describe, expect, it } from 'vitest';
import { watchPostgresRecovery } from './postgres-recovery';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
  code: 'ECONNREFUSED',
});
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function harness(downForProbes: number) {
  let probes = 0;
  const reconciles: number[] = [];
  const lines: string[] = [];
  const watch = watchPostgresRecovery({
    probe: async () => {
      probes += 1;
      if (probes <= downForProbes) throw refused;
    },
    onBack: async () => void reconciles.push(probes),
    log: (line) => void lines.push(line),
    everyMs: 5,
  });
  return { watch, reconciles, lines, probes: () => probes };
}

describe('watchPostgresRecovery', () => {
  it('probes only after a failure that says PostgreSQL is unreachable, and reconciles once it answers', async () => {
    const h = harness(3);
    h.watch.noteError(new Error('duplicate key value violates unique constraint'));
    await wait(30);
    expect(h.probes()).toBe(0);

    h.watch.noteError(refused);
    h.watch.noteError(refused); // one watch, however many jobs fail
    await wait(100);
    expect(h.probes()).toBe(4);
    expect(h.reconciles).toEqual([4]);
    expect(h.lines[0]).toMatch(/unreachable/);
    expect(h.lines.at(-1)).toMatch(/answers again after \d+ ms/);
    h.watch.stop();
  });

  it('recognises a server shutting down (57P01) and a terminated connection as outages', async () => {
    for (const error of [
      Object.assign(new Error('terminating connection due to administrator command'), {
        code: '57P01',
      }),
      new Error('Connection terminated unexpectedly'),
      { driverError: { code: '57P03' }, message: 'the database system is starting up' },
    ]) {
      const h = harness(0);
      h.watch.noteError(error);
      await wait(30);
      expect(h.reconciles, JSON.stringify(error)).toEqual([1]);
      h.watch.stop();
    }
  });

  it('stops probing when stopped', async () => {
    const h = harness(1_000);
    h.watch.noteError(refused);
    await wait(30);
    h.watch.stop();
    const seen = h.probes();
    await wait(30);
    expect(h.probes()).toBeLessThanOrEqual(seen + 1);
    expect(h.reconciles).toEqual([]);
  });
});
