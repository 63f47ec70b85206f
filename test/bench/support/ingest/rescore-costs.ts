import 'reflect-metadata';
import { systemClock } from '@quorum/config';
import {
  createDataSource,
  Database,
  QueryCounter,
  trustedWorkspaceId,
  type WorkspaceId,
} from '@quorum/persistence';
import {
  AccountScoringService,
  ActivityService,
  LeadScoringService,
  NO_RESCORE,
  type ActivityInput,
} from '@quorum/services';

/**
 * What one unit of pipeline work costs, measured in this process against the bench's
 * database with the services' own code: the statements each issues (round trips to
 * PostgreSQL, BEGIN/COMMIT included) and the wall time, one call after another, nothing
 * else running. Each statement's share is the time until the next one was sent, so it
 * includes the JavaScript that ran between them (row mapping, scoring).
 */
class StatementLog extends QueryCounter {
  recording = false;
  calls: { sql: string; at: number }[] = [];
  override logQuery(query: string): void {
    super.logQuery(query);
    if (this.recording) this.calls.push({ sql: query ?? '?', at: performance.now() });
  }
}

export interface UnitCost {
  label: string;
  samples: number;
  msPerUnit: { p50: number; mean: number };
  statementsPerUnit: number;
  /** Statement (first words) → mean count and ms per unit, largest time first. */
  statements: { sql: string; perUnit: number; msPerUnit: number }[];
}

function shortSql(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 96 ? `${flat.slice(0, 95)}…` : flat;
}

async function measureUnits(
  log: StatementLog,
  label: string,
  units: (() => Promise<unknown>)[],
): Promise<UnitCost> {
  const times: number[] = [];
  const bySql = new Map<string, { n: number; ms: number }>();
  let statements = 0;
  for (const unit of units) {
    log.calls = [];
    log.recording = true;
    const started = performance.now();
    await unit();
    const ended = performance.now();
    log.recording = false;
    times.push(ended - started);
    statements += log.calls.length;
    log.calls.forEach((c, i) => {
      const next = log.calls[i + 1]?.at ?? ended;
      const key = shortSql(c.sql);
      const entry = bySql.get(key) ?? { n: 0, ms: 0 };
      entry.n += 1;
      entry.ms += next - c.at;
      bySql.set(key, entry);
    });
  }
  const sorted = [...times].sort((a, b) => a - b);
  const n = units.length;
  return {
    label,
    samples: n,
    msPerUnit: {
      p50: sorted[Math.floor(n / 2)] ?? NaN,
      mean: times.reduce((s, t) => s + t, 0) / n,
    },
    statementsPerUnit: statements / n,
    statements: [...bySql.entries()]
      .map(([sql, { n: count, ms }]) => ({ sql, perUnit: count / n, msPerUnit: ms / n }))
      .sort((a, b) => b.msPerUnit - a.msPerUnit),
  };
}

export async function measurePipelineCosts(options: {
  url: string;
  workspaceId: string;
  contactIds: string[];
  accountIds: string[];
  /** Batches of GraphQL-shaped activity inputs (occurredAt as ISO text), with fresh external ids. */
  activityBatches: Record<string, unknown>[][];
}): Promise<UnitCost[]> {
  const log = new StatementLog();
  const dataSource = createDataSource({
    url: options.url,
    poolSize: 2,
    logger: log,
    applicationName: 'quorum-bench',
  });
  await dataSource.initialize();
  try {
    const db = new Database(dataSource);
    const ws: WorkspaceId = trustedWorkspaceId(options.workspaceId);
    const leads = new LeadScoringService(db, systemClock);
    const accounts = new AccountScoringService(db, systemClock);
    const activities = new ActivityService(db, systemClock, 300_000, NO_RESCORE);
    // Warm up connections and the model cache.
    await leads.rescoreContact(ws, options.contactIds[0]!, 'BENCH');
    const results = [
      await measureUnits(
        log,
        'rescoreContact (lead score, one contact)',
        options.contactIds.map((id) => () => leads.rescoreContact(ws, id, 'BENCH')),
      ),
      await measureUnits(
        log,
        'rescoreAccount (account roll-up, one account)',
        options.accountIds.map((id) => () => accounts.rescoreAccount(ws, id, 'BENCH')),
      ),
    ];
    if (options.activityBatches.length) {
      const size = options.activityBatches[0]!.length;
      results.push(
        await measureUnits(
          log,
          `ActivityService.recordActivities (${size} activities, no HTTP/GraphQL, no queueing)`,
          options.activityBatches
            .map((batch) =>
              batch.map(
                (a) => ({ ...a, occurredAt: new Date(a['occurredAt'] as string) }) as ActivityInput,
              ),
            )
            .map((batch) => () => activities.recordActivities(ws, batch)),
        ),
      );
    }
    return results;
  } finally {
    await dataSource.destroy();
  }
}
