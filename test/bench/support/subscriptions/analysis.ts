import { readFileSync } from 'node:fs';
import type { FleetEvents, FleetLeadEvents } from './fleet-client';

/**
 * From accepted batches and received account events to latencies.
 *
 * Rescoring is debounced, so one account event may reflect several batches, and a batch may
 * be reflected by no event of its own. For each account, its events are taken in the order the
 * worker rescored the account (`at`, when its account rescore began, then the event id), and
 * each event E claims the not-yet-claimed batches touching that account that it reflects; a
 * delivery of E is timed from the EARLIEST batch it claims (its oldest activity: the worst
 * case among the batches it carries). An event that claims no batch is a follow-up (counted,
 * not timed); a batch claimed by no event is reported as unmatched.
 *
 * Simple rule (the headline figures; the one the issue describes): E reflects every batch
 * accepted (its recordActivities call returned) at or before E.at, since those activities were
 * committed before the rescore began. It is exact while the worker keeps up, but the account
 * score is a roll-up of lead scores that another job rescores first (queued 100 ms after the
 * activity, the account's 200 ms): when the worker falls behind, an account rescore may begin
 * after the accept yet read the leads from before it, and the simple rule then times the batch
 * from an event that does not reflect it (optimistic).
 *
 * Strict rule (printed next to it): E reflects a batch×account when, for every contact of that
 * account the batch touched, the lead total E's roll-up read (its `rollup.<contactId>` reason,
 * seen by the tap) is at least that contact's total after its first lead rescore that began
 * after the accept. The bench's model makes lead totals only grow, one point or more per
 * activity (workload.ts), so this says the event carries the batch's activities. Conservative
 * only in that a lead rescore that began after the commit but before the response came back is
 * not counted (the next one is).
 *
 * With BENCH_FOLLOW_ACCOUNTS, each subscription filters on the accounts it follows and receives
 * only their events. Which batch an event reflects does not depend on who receives it, so the
 * matching is unchanged and every delivery is timed from its event's batch as before; what
 * changes is the full delivery to expect: per event, the subscriptions following its account
 * (`followers`) instead of all of them.
 */

export interface AcceptedBatch {
  scheduledAt: number;
  sentAt: number;
  acceptedAt: number;
  /** Ids of the accounts the batch touched. */
  accounts: readonly string[];
  /** For each of those accounts, the ids of its contacts the batch touched. */
  contacts: readonly (readonly string[])[];
}

export interface Distribution {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function distribution(values: Float64Array | number[]): Distribution {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const at = (q: number) =>
    n === 0 ? Number.NaN : sorted[Math.min(n, Math.max(1, Math.ceil(q * n))) - 1]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    n,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: n ? sorted[n - 1]! : Number.NaN,
    mean: n ? sum / n : Number.NaN,
  };
}

export function readDeliveries(file: string): { event: Uint32Array; time: Float64Array } {
  const buffer = readFileSync(file);
  const n = buffer.length / 12;
  const event = new Uint32Array(n);
  const time = new Float64Array(n);
  for (let i = 0; i < n; i++) event[i] = buffer.readUInt32LE(i * 4);
  for (let i = 0; i < n; i++) time[i] = buffer.readDoubleLE(n * 4 + i * 8);
  return { event, time };
}

export interface RuleResult {
  /** Events that claimed at least one batch, and the others. */
  timedEvents: number;
  followUps: number;
  matchedTouches: number;
  unmatchedTouches: number;
  batchesPerEvent: number;
  /** Receive − accept of the earliest claimed batch, per timed delivery. */
  latency: Distribution;
  /** The same for each event's first and last (timed) delivery. */
  firstDelivery: Distribution;
  lastDelivery: Distribution;
}

export interface Analysis {
  /** Account events of the bench's accounts. */
  events: number;
  /** Batch × account pairs. */
  touches: number;
  /** Deliveries of the bench accounts' events to every subscription (counted, not all timed). */
  deliveries: number;
  /**
   * What full delivery would have been: events × subscriptions, or with `followers`, the sum
   * over events of the subscriptions following the event's account.
   */
  expectedDeliveries: number;
  simple: RuleResult;
  strict: RuleResult;
  /** By the simple rule, per timed event (the spread: per delivery). */
  stages: {
    /** Accept → account rescore began (debounce delay, queue wait, worker busy). */
    acceptToRescore: Distribution;
    /** Rescore began → published on Redis (account rescore transaction, then publish). */
    rescoreToPublish: Distribution;
    /** Published → first subscriber (API's hub, GraphQL execution, WebSocket, client). */
    publishToFirst: Distribution;
    /** First subscriber → each timed delivery (the spread of the fan-out). */
    fanOutSpread: Distribution;
  };
  /** By the strict rule, per timed event: the lead side, then the account side. */
  strictStages: {
    /** Accept → the batch's leads in the account rescored and published. */
    acceptToLeadsPublished: Distribution;
    /** Leads published → account event published. */
    leadsToAccountPublished: Distribution;
  };
  lastDeliveryAt: number;
}

interface Touch {
  accepted: number;
  /** Simple rule: claimable by an event whose rescore began at or after this. */
  ready: number;
  /** Strict rule: contact id → the lead total an event must have read for each. */
  needs: [string, number][] | null;
  /** Strict rule: when the last of those lead events was published. */
  leadsPublished: number;
}

/** Per event index, the accept time of the earliest batch it claimed (NaN: none). */
interface Claims {
  base: Float64Array;
  baseTouch: (Touch | undefined)[];
  matched: number;
}

function claimSimple(
  eventsByAccount: Map<string, number[]>,
  events: FleetEvents,
  touches: Map<string, Touch[]>,
): Claims {
  const base = new Float64Array(events.id.length).fill(Number.NaN);
  const baseTouch: (Touch | undefined)[] = [];
  let matched = 0;
  for (const [account, list] of eventsByAccount) {
    const pending = [...touches.get(account)!].sort((x, y) => x.ready - y.ready);
    let next = 0;
    for (const i of list) {
      let earliest: Touch | undefined;
      while (next < pending.length && pending[next]!.ready <= events.at[i]!) {
        const t = pending[next++]!;
        if (!earliest || t.accepted < earliest.accepted) earliest = t;
        matched += 1;
      }
      if (earliest) {
        base[i] = earliest.accepted;
        baseTouch[i] = earliest;
      }
    }
  }
  return { base, baseTouch, matched };
}

function claimStrict(
  eventsByAccount: Map<string, number[]>,
  events: FleetEvents,
  touches: Map<string, Touch[]>,
): Claims {
  const base = new Float64Array(events.id.length).fill(Number.NaN);
  const baseTouch: (Touch | undefined)[] = [];
  let matched = 0;
  for (const [account, list] of eventsByAccount) {
    let pending = touches.get(account)!.filter((t) => t.needs !== null);
    for (const i of list) {
      const rollup = events.rollup[i];
      if (!rollup) continue;
      let earliest: Touch | undefined;
      const left: Touch[] = [];
      for (const t of pending) {
        // Hundredths: totals are stored and published rounded to them.
        if (t.needs!.every(([c, total]) => (rollup[c] ?? 0) >= total - 0.005)) {
          if (!earliest || t.accepted < earliest.accepted) earliest = t;
          matched += 1;
        } else left.push(t);
      }
      pending = left;
      if (earliest) {
        base[i] = earliest.accepted;
        baseTouch[i] = earliest;
      }
    }
  }
  return { base, baseTouch, matched };
}

/** First index in ascending `xs` with xs[i] >= x. */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function analyse(options: {
  events: FleetEvents;
  leads: FleetLeadEvents;
  deliveries: { event: Uint32Array; time: Float64Array };
  batches: readonly AcceptedBatch[];
  subscriptions: number;
  /** Per account id, the subscriptions that follow it (filtered subscriptions); absent: all do. */
  followers?: ReadonlyMap<string, number>;
}): Analysis {
  const { events, leads, deliveries, batches } = options;

  // Per contact, its lead events by rescore start.
  const leadsOf = new Map<string, { at: number[]; total: number[]; tap: number[] }>();
  const order = leads.at.map((_, i) => i).sort((x, y) => leads.at[x]! - leads.at[y]!);
  for (const i of order) {
    const entry = leadsOf.get(leads.contactId[i]!) ?? { at: [], total: [], tap: [] };
    entry.at.push(leads.at[i]!);
    entry.total.push(leads.total[i]!);
    entry.tap.push(leads.tap[i]!);
    leadsOf.set(leads.contactId[i]!, entry);
  }

  const touches = new Map<string, Touch[]>();
  let touchCount = 0;
  for (const b of batches) {
    b.accounts.forEach((account, k) => {
      touchCount += 1;
      let needs: [string, number][] | null = [];
      let leadsPublished = b.acceptedAt;
      for (const c of b.contacts[k]!) {
        const entry = leadsOf.get(c);
        const j = entry ? lowerBound(entry.at, b.acceptedAt) : 0;
        if (!entry || j === entry.at.length) {
          needs = null;
          break;
        }
        needs.push([c, entry.total[j]!]);
        leadsPublished = Math.max(leadsPublished, entry.tap[j]!);
      }
      const list = touches.get(account) ?? [];
      list.push({ accepted: b.acceptedAt, ready: b.acceptedAt, needs, leadsPublished });
      touches.set(account, list);
    });
  }

  const seq = (id: string) => Number(id.slice(id.indexOf(':') + 1));
  const eventsByAccount = new Map<string, number[]>();
  let benchEvents = 0;
  let deliveredTotal = 0;
  let expectedDeliveries = 0;
  for (let i = 0; i < events.id.length; i++) {
    const account = events.accountId[i]!;
    if (!touches.has(account)) continue;
    benchEvents += 1;
    deliveredTotal += events.count[i]!;
    expectedDeliveries += options.followers
      ? (options.followers.get(account) ?? 0)
      : options.subscriptions;
    const list = eventsByAccount.get(account) ?? [];
    list.push(i);
    eventsByAccount.set(account, list);
  }
  for (const list of eventsByAccount.values())
    list.sort((x, y) => events.at[x]! - events.at[y]! || seq(events.id[x]!) - seq(events.id[y]!));

  const simple = claimSimple(eventsByAccount, events, touches);
  const strict = claimStrict(eventsByAccount, events, touches);

  const perRule = [simple, strict].map((r) => ({
    ...r,
    latency: [] as number[],
    last: new Float64Array(events.id.length),
  }));
  const spread: number[] = [];
  let lastDeliveryAt = 0;
  for (let d = 0; d < deliveries.event.length; d++) {
    const i = deliveries.event[d]!;
    const t = deliveries.time[d]!;
    if (!touches.has(events.accountId[i]!)) continue;
    lastDeliveryAt = Math.max(lastDeliveryAt, t);
    for (const r of perRule) {
      if (Number.isNaN(r.base[i]!)) continue;
      r.latency.push(t - r.base[i]!);
      if (t > r.last[i]!) r.last[i] = t;
    }
    if (!Number.isNaN(simple.base[i]!)) spread.push(t - events.first[i]!);
  }

  const result = (r: (typeof perRule)[number]): RuleResult => {
    const first: number[] = [];
    const last: number[] = [];
    let timed = 0;
    for (let i = 0; i < events.id.length; i++) {
      if (Number.isNaN(r.base[i]!)) continue;
      timed += 1;
      if (events.first[i]) first.push(events.first[i]! - r.base[i]!);
      if (r.last[i]) last.push(r.last[i]! - r.base[i]!);
    }
    return {
      timedEvents: timed,
      followUps: benchEvents - timed,
      matchedTouches: r.matched,
      unmatchedTouches: touchCount - r.matched,
      batchesPerEvent: timed ? r.matched / timed : Number.NaN,
      latency: distribution(r.latency),
      firstDelivery: distribution(first),
      lastDelivery: distribution(last),
    };
  };

  const toRescore: number[] = [];
  const toPublish: number[] = [];
  const toFirst: number[] = [];
  const toLeads: number[] = [];
  const leadsToAccount: number[] = [];
  for (let i = 0; i < events.id.length; i++) {
    const t = strict.baseTouch[i];
    if (t) {
      toLeads.push(t.leadsPublished - t.accepted);
      if (events.tap[i]) leadsToAccount.push(events.tap[i]! - t.leadsPublished);
    }
    if (Number.isNaN(simple.base[i]!)) continue;
    toRescore.push(events.at[i]! - simple.base[i]!);
    if (events.tap[i]) toPublish.push(events.tap[i]! - events.at[i]!);
    if (events.tap[i] && events.first[i]) toFirst.push(events.first[i]! - events.tap[i]!);
  }
  return {
    events: benchEvents,
    touches: touchCount,
    deliveries: deliveredTotal,
    expectedDeliveries,
    simple: result(perRule[0]!),
    strict: result(perRule[1]!),
    stages: {
      acceptToRescore: distribution(toRescore),
      rescoreToPublish: distribution(toPublish),
      publishToFirst: distribution(toFirst),
      fanOutSpread: distribution(spread),
    },
    strictStages: {
      acceptToLeadsPublished: distribution(toLeads),
      leadsToAccountPublished: distribution(leadsToAccount),
    },
    lastDeliveryAt,
  };
}
