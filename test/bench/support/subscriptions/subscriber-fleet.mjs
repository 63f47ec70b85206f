/**
 * The subscription bench's subscribers: many graphql-ws connections to one API, each holding
 * `perConnection` subscriptions to `accountScoreChanged`, recording when each event reached each
 * subscription. Plain JavaScript so it can run as its own Node process (`fork`, driven over IPC,
 * see fleet-client.ts) and keep the bench process's CPU out of the measurement, or be imported
 * into the bench process for comparison.
 *
 * The clients speak the graphql-transport-ws protocol directly over `ws` (connection_init with
 * the key, subscribe, next / error / complete, ping → pong): the same frames a graphql-ws client
 * sends, without the per-message bookkeeping of a full client, since on a small machine the
 * clients' CPU competes with the API's.
 *
 * Also a "tap": one plain Redis subscriber on the workspace's event channel, which records when
 * each account event was published (as seen from this process), to split the latency between the
 * worker's side and the API's; with each account event's roll-up reasons (the lead totals it
 * read) and every lead event (contact, rescore time, new total, publish time), for the strict
 * matching rule (analysis.ts).
 *
 * Recorded per delivery (for the first `timed` subscriptions): the event's index and the receive
 * time (Date.now()); written to a binary file by `dump`, read by the bench (analysis.ts).
 *
 * With `follow` (BENCH_FOLLOW_ACCOUNTS), subscription i is sent with the variables
 * `{ ids: follow[i] }` (the query filters on `$ids`), and a delivery of an account event for an
 * account not in follow[i] is counted as `unfollowed` (the filter let through what it should
 * not have). Without it, subscriptions are sent with no variables, as before.
 */
import { writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import WebSocket from 'ws';

const GRAPHQL_WS = 'graphql-transport-ws';

/** A Float64Array / Uint32Array pair that grows by doubling. */
class Deliveries {
  constructor() {
    this.length = 0;
    this.event = new Uint32Array(1 << 16);
    this.time = new Float64Array(1 << 16);
  }

  push(eventIndex, time) {
    if (this.length === this.event.length) {
      const event = new Uint32Array(this.length * 2);
      event.set(this.event);
      const times = new Float64Array(this.length * 2);
      times.set(this.time);
      this.event = event;
      this.time = times;
    }
    this.event[this.length] = eventIndex;
    this.time[this.length] = time;
    this.length += 1;
  }
}

export function createFleet() {
  /** @type {WebSocket[]} */
  const sockets = [];
  /** @type {Redis | null} */
  let tap = null;
  let config = null;
  const eventIndex = new Map();
  const events = {
    id: [],
    accountId: [],
    at: [],
    cause: [],
    tap: [],
    first: [],
    count: [],
    rollup: [],
  };
  /** Lead events as the tap saw them: contact, its rescore's `at`, new total, when published. */
  const leads = { contactId: [], at: [], total: [], tap: [] };
  const deliveries = new Deliveries();
  let perSubscription = new Uint32Array(0);
  /** Per subscription, the account ids it follows (`config.follow`); null: no filter. */
  let follows = null;
  let unfollowed = 0;
  let total = 0;
  let errors = 0;
  let completed = 0;
  let nonAccount = 0;
  const closes = new Map();
  const errorSamples = [];

  function indexOf(id, accountId, at, cause) {
    let i = eventIndex.get(id);
    if (i === undefined) {
      i = events.id.length;
      eventIndex.set(id, i);
      events.id.push(id);
      events.accountId.push(accountId);
      events.at.push(Date.parse(at));
      events.cause.push(cause);
      events.tap.push(0);
      events.first.push(0);
      events.count.push(0);
      events.rollup.push(null);
    }
    return i;
  }

  function onMessage(subBase, raw) {
    const now = Date.now();
    const message = JSON.parse(raw.toString());
    switch (message.type) {
      case 'next': {
        const payload = message.payload ?? {};
        if (payload.errors) {
          errors += 1;
          if (errorSamples.length < 5) errorSamples.push(JSON.stringify(payload.errors));
          return;
        }
        const event = payload.data?.accountScoreChanged;
        if (!event) {
          nonAccount += 1;
          return;
        }
        const i = indexOf(event.eventId, event.accountId, event.at, event.cause);
        const sub = subBase + Number(message.id) - 1;
        perSubscription[sub] += 1;
        total += 1;
        events.count[i] += 1;
        if (events.first[i] === 0 || now < events.first[i]) events.first[i] = now;
        if (sub < config.timed) deliveries.push(i, now);
        if (follows !== null && !follows[sub].has(event.accountId)) unfollowed += 1;
        return;
      }
      case 'error':
        errors += 1;
        if (errorSamples.length < 5) errorSamples.push(JSON.stringify(message.payload));
        return;
      case 'complete':
        completed += 1;
        return;
      default:
        return;
    }
  }

  /** Opens one connection, sends its subscriptions once acknowledged; resolves when sent. */
  function connect(c) {
    const key = config.keys[Math.floor(c / config.connectionsPerKey)];
    const subBase = c * config.perConnection;
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(config.url, GRAPHQL_WS);
      sockets.push(socket);
      let acked = false;
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new Error(`connection ${c}: no connection_ack within 30 s`));
      }, 30_000);
      socket.on('open', () =>
        socket.send(
          JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }),
        ),
      );
      socket.on('message', (raw) => {
        if (acked) return onMessage(subBase, raw);
        const message = JSON.parse(raw.toString());
        if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
        if (message.type !== 'connection_ack') return;
        acked = true;
        clearTimeout(timer);
        for (let s = 1; s <= config.perConnection; s++) {
          socket.send(
            JSON.stringify({
              id: String(s),
              type: 'subscribe',
              payload: {
                query: config.query,
                variables: config.follow ? { ids: config.follow[subBase + s - 1] } : {},
              },
            }),
          );
        }
        resolve();
      });
      socket.on('close', (code) => {
        closes.set(code, (closes.get(code) ?? 0) + 1);
        clearTimeout(timer);
        if (!acked) reject(new Error(`connection ${c} closed before connection_ack (${code})`));
      });
      socket.on('error', () => undefined);
    });
  }

  return {
    /** Starts the tap, then opens every connection, `concurrency` at a time. */
    async start(cfg) {
      config = cfg;
      perSubscription = new Uint32Array(cfg.connections * cfg.perConnection);
      if (cfg.follow) {
        if (cfg.follow.length < perSubscription.length)
          throw new Error(
            `follow lists ${cfg.follow.length} subscriptions, not ${perSubscription.length}`,
          );
        follows = cfg.follow.map((ids) => new Set(ids));
      }
      if (cfg.tapRedisUrl) {
        tap = new Redis(cfg.tapRedisUrl, { maxRetriesPerRequest: null });
        tap.on('error', () => undefined);
        const tapEvent = (event, now) => {
          if (event.type === 'LEAD_SCORE_CHANGED') {
            leads.contactId.push(event.contactId);
            leads.at.push(Date.parse(event.at));
            leads.total.push(event.new.total);
            leads.tap.push(now);
            return;
          }
          if (event.type !== 'ACCOUNT_SCORE_CHANGED') return;
          const i = indexOf(event.eventId, event.accountId, event.at, event.cause);
          if (events.tap[i] === 0) events.tap[i] = now;
          // The lead totals this account rescore read: its roll-up reasons, one per contact.
          const rollup = {};
          for (const r of event.reasons ?? [])
            if (r.ruleId.startsWith('rollup.')) rollup[r.ruleId.slice(7)] = r.points;
          events.rollup[i] = rollup;
        };
        tap.on('message', (_channel, message) => {
          const now = Date.now();
          const parsed = JSON.parse(message);
          // A message holds the batch of events one publish sent (a single event from older
          // workers).
          for (const event of Array.isArray(parsed) ? parsed : [parsed]) tapEvent(event, now);
        });
        await tap.subscribe(cfg.tapChannel);
      }
      const started = Date.now();
      let next = 0;
      let failed = 0;
      const firstErrors = [];
      await Promise.all(
        Array.from({ length: Math.min(cfg.concurrency, cfg.connections) }, async () => {
          for (let c = next++; c < cfg.connections; c = next++) {
            try {
              await connect(c);
            } catch (error) {
              failed += 1;
              if (firstErrors.length < 3) firstErrors.push(error.message);
            }
          }
        }),
      );
      return { opened: cfg.connections - failed, failed, firstErrors, ms: Date.now() - started };
    },

    status() {
      let withEvents = 0;
      for (const n of perSubscription) if (n > 0) withEvents += 1;
      let open = 0;
      for (const s of sockets) if (s.readyState === WebSocket.OPEN) open += 1;
      return {
        subscriptions: perSubscription.length,
        withEvents,
        open,
        deliveries: total,
        events: events.id.length,
        errors,
        completed,
        nonAccount,
        unfollowed,
        closes: Object.fromEntries(closes),
        errorSamples,
        memory: process.memoryUsage().rss,
      };
    },

    /** Writes the timed deliveries (u32 event index, then f64 times) and returns the events. */
    dump(file) {
      const n = deliveries.length;
      const buffer = Buffer.alloc(n * 12);
      Buffer.from(deliveries.event.buffer, 0, n * 4).copy(buffer, 0);
      Buffer.from(deliveries.time.buffer, 0, n * 8).copy(buffer, n * 4);
      writeFileSync(file, buffer);
      return { deliveries: n, events, leads, status: this.status() };
    },

    async stop() {
      for (const s of sockets) s.terminate();
      tap?.disconnect();
    },
  };
}

// Forked by fleet-client.ts: serve the fleet's methods over IPC.
if (process.send && process.argv.includes('--subscriber-fleet')) {
  const fleet = createFleet();
  process.on('message', async ({ id, method, args }) => {
    try {
      const result = await fleet[method](...(args ?? []));
      process.send({ id, result });
    } catch (error) {
      process.send({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}
