import type { Pool } from 'pg';

/**
 * Watches the stored scores of one workspace while the bench runs: every poll reads the
 * pending markers, each lead and account score's computed_at, and the history rows appended
 * since the last poll. A score write is known by its computed_at (the worker's clock at the
 * start of that rescore, on this same machine); writes that follow each other faster than the
 * poll interval are still seen when they changed the score (history rows carry the same time).
 */
export class ScoreWatcher {
  /** entity id → computed_at times (epoch ms) of the writes seen, in the order seen. */
  readonly leadWrites = new Map<string, number[]>();
  readonly accountWrites = new Map<string, number[]>();
  readonly current = { lead: new Map<string, number>(), account: new Map<string, number>() };
  pending = -1;
  polls = 0;
  pollMs = 0;
  private lastLeadHistory = '0';
  private lastAccountHistory = '0';

  constructor(
    private readonly pool: Pool,
    private readonly workspaceId: string,
  ) {}

  private static add(map: Map<string, number[]>, id: string, at: number): void {
    const list = map.get(id);
    if (!list) map.set(id, [at]);
    else if (!list.includes(at)) list.push(at);
  }

  async poll(): Promise<void> {
    const started = performance.now();
    const ws = this.workspaceId;
    const [pending, leads, accounts, leadHistory, accountHistory] = await Promise.all([
      this.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pending_rescores WHERE workspace_id = $1',
        [ws],
      ),
      this.pool.query<{ id: string; at: number }>(
        `SELECT contact_id AS id, extract(epoch FROM computed_at)::float8 * 1000 AS at
         FROM lead_scores WHERE workspace_id = $1`,
        [ws],
      ),
      this.pool.query<{ id: string; at: number }>(
        `SELECT account_id AS id, extract(epoch FROM computed_at)::float8 * 1000 AS at
         FROM account_scores WHERE workspace_id = $1`,
        [ws],
      ),
      this.pool.query<{ hid: string; id: string; at: number }>(
        `SELECT id::text AS hid, contact_id AS id, extract(epoch FROM at)::float8 * 1000 AS at
         FROM lead_score_history WHERE workspace_id = $1 AND id > $2::bigint ORDER BY id`,
        [ws, this.lastLeadHistory],
      ),
      this.pool.query<{ hid: string; id: string; at: number }>(
        `SELECT id::text AS hid, account_id AS id, extract(epoch FROM at)::float8 * 1000 AS at
         FROM account_score_history WHERE workspace_id = $1 AND id > $2::bigint ORDER BY id`,
        [ws, this.lastAccountHistory],
      ),
    ]);
    this.pending = pending.rows[0]!.n;
    for (const r of leads.rows) {
      const at = Math.round(r.at);
      this.current.lead.set(r.id, at);
      ScoreWatcher.add(this.leadWrites, r.id, at);
    }
    for (const r of accounts.rows) {
      const at = Math.round(r.at);
      this.current.account.set(r.id, at);
      ScoreWatcher.add(this.accountWrites, r.id, at);
    }
    for (const r of leadHistory.rows) ScoreWatcher.add(this.leadWrites, r.id, Math.round(r.at));
    for (const r of accountHistory.rows)
      ScoreWatcher.add(this.accountWrites, r.id, Math.round(r.at));
    if (leadHistory.rows.length) this.lastLeadHistory = leadHistory.rows.at(-1)!.hid;
    if (accountHistory.rows.length) this.lastAccountHistory = accountHistory.rows.at(-1)!.hid;
    this.polls += 1;
    this.pollMs += performance.now() - started;
  }

  /** Entities whose stored computed_at is older than the given time (their last accept). */
  behind(kind: 'lead' | 'account', lastAccept: ReadonlyMap<string, number>): string[] {
    const current = kind === 'lead' ? this.current.lead : this.current.account;
    return [...lastAccept].filter(([id, at]) => (current.get(id) ?? 0) < at).map(([id]) => id);
  }

  /** The first write of `id` at or after `at` (epoch ms), or undefined if none was seen. */
  firstWriteAfter(kind: 'lead' | 'account', id: string, at: number): number | undefined {
    const writes = (kind === 'lead' ? this.leadWrites : this.accountWrites).get(id);
    let best: number | undefined;
    for (const w of writes ?? []) if (w >= at && (best === undefined || w < best)) best = w;
    return best;
  }

  /** Score writes seen from `since` on. */
  writesSince(kind: 'lead' | 'account', since: number): number {
    let n = 0;
    for (const list of (kind === 'lead' ? this.leadWrites : this.accountWrites).values())
      for (const w of list) if (w >= since) n++;
    return n;
  }
}
