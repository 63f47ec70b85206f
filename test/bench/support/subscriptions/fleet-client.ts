import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** Where the subscribers run: see subscriber-fleet.mjs. */
const FLEET_MODULE = path.join(__dirname, 'subscriber-fleet.mjs');

export interface FleetConfig {
  /** ws://…/graphql */
  url: string;
  keys: string[];
  connections: number;
  connectionsPerKey: number;
  perConnection: number;
  /** The subscription; with `follow`, it declares `$ids: [ID!]` and filters on it. */
  query: string;
  /**
   * Per subscription (index connection·perConnection + k), the account ids it follows: sent as
   * its variables `{ ids }`. Absent: every subscription is sent with no variables.
   */
  follow?: string[][];
  /** Deliveries to subscriptions 0 … timed-1 are recorded one by one; all are counted. */
  timed: number;
  /** Connections opened at once. */
  concurrency: number;
  tapRedisUrl?: string;
  tapChannel?: string;
}

export interface FleetStatus {
  subscriptions: number;
  /** Subscriptions that have received at least one account event. */
  withEvents: number;
  open: number;
  deliveries: number;
  events: number;
  errors: number;
  completed: number;
  nonAccount: number;
  /** With `follow`: deliveries of an account event for an account the subscription does not follow. */
  unfollowed: number;
  closes: Record<string, number>;
  errorSamples: string[];
  memory: number;
}

/** Every account event seen (by a subscriber or the tap), by index. Times in ms since the epoch. */
export interface FleetEvents {
  id: string[];
  accountId: string[];
  /** The event's `at`: when the worker's account rescore began. */
  at: number[];
  cause: string[];
  /** When the Redis tap received it (0: not seen by the tap). */
  tap: number[];
  /** The earliest delivery to any subscription (0: none). */
  first: number[];
  /** Deliveries to all subscriptions. */
  count: number[];
  /** Contact id → the lead total the account rescore read (its roll-up reasons); null if the tap missed it. */
  rollup: (Record<string, number> | null)[];
}

/** Lead events seen by the tap, in publish order. */
export interface FleetLeadEvents {
  contactId: string[];
  /** When the lead rescore began. */
  at: number[];
  /** The lead's new total. */
  total: number[];
  /** When the tap received it. */
  tap: number[];
}

export interface FleetDump {
  deliveries: number;
  events: FleetEvents;
  leads: FleetLeadEvents;
  status: FleetStatus;
}

export interface Fleet {
  /** The process the subscribers run in. */
  pid: number;
  inProcess: boolean;
  start(
    config: FleetConfig,
  ): Promise<{ opened: number; failed: number; firstErrors: string[]; ms: number }>;
  status(): Promise<FleetStatus>;
  /** Writes the timed deliveries to `file` (see readDeliveries). */
  dump(file: string): Promise<FleetDump>;
  /** Closes every connection; for a child process, ends it too. */
  close(): Promise<void>;
}

interface FleetModule {
  createFleet(): {
    start(config: FleetConfig): Promise<Awaited<ReturnType<Fleet['start']>>>;
    status(): FleetStatus;
    dump(file: string): FleetDump;
    stop(): Promise<void>;
  };
}

/** The subscribers in a child Node process of their own, driven over IPC. */
export function forkFleet(): Fleet {
  const child: ChildProcess = fork(FLEET_MODULE, ['--subscriber-fleet'], {
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 0;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error !== undefined) p.reject(new Error(`subscriber fleet: ${m.error}`));
    else p.resolve(m.result);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    for (const p of pending.values()) p.reject(new Error('subscriber fleet process exited'));
    pending.clear();
  });
  const call = <T>(method: string, ...args: unknown[]) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, method, args });
    });
  return {
    pid: child.pid!,
    inProcess: false,
    start: (config) => call('start', config),
    status: () => call('status'),
    dump: (file) => call('dump', file),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await call('stop').catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.disconnect();
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The subscribers in this process, competing with the bench's own work (for comparison). */
export async function inProcessFleet(): Promise<Fleet> {
  const specifier = FLEET_MODULE;
  const mod = (await import(/* @vite-ignore */ specifier)) as FleetModule;
  const fleet = mod.createFleet();
  return {
    pid: process.pid,
    inProcess: true,
    start: (config) => fleet.start(config),
    status: async () => fleet.status(),
    dump: async (file) => fleet.dump(file),
    close: () => fleet.stop(),
  };
}
